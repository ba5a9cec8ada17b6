"""`newsbrief run`: wire store, fetcher, scheduler and every configured adapter, then serve."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections import ChainMap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import TextIO

from adapters.base import Adapter
from adapters.console import ConsoleAdapter
from adapters.operations import Operations, package_version
from bot.alerts.service import AlertService
from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.limits.shared import SharedSummarizeLimits
from bot.config import Settings
from bot.digests.delivery import DigestDelivery
from bot.digests.feeds import FeedCatalog, default_feed_list, load_feed_list
from bot.digests.leases import LeaderLease
from bot.digests.lifecycle import pause_if_failing
from bot.digests.scheduler import SYNC_INTERVAL, DigestScheduler
from bot.digests.service import DigestService
from bot.digests.topics import list_profiles, load_profile
from bot.service import Summarizer
from bot.store import OPERATOR_TENANT, Store, open_store
from bot.store.run_lock import hold_for_run
from bot.web.fetch import Fetcher
from bot.web.language import preload as preload_language_model

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_S = 20.0
SUMMARY_THREADS = 4


async def seed_feeds(store: Store, settings: Settings) -> int:
    """Fill an empty operator's list from NEWSBRIEF_FEEDS or the shipped list; how many.

    Each tenant (Slack workspace, Discord server, the console) starts from a copy of it.
    """
    if await store.tenant_feeds(OPERATOR_TENANT):
        return 0
    urls = load_feed_list(settings.feeds_file) if settings.feeds_file else default_feed_list()
    for url in urls:
        await store.add_feed(url)
    return len(urls)


def chat_platforms_configured(settings: Settings) -> bool:
    """Whether a Slack or Discord token is set (else the console chat runs)."""
    slack = settings.slack_bot_token is not None or settings.slack_oauth
    return slack or settings.discord_token is not None


def summarize_limits(settings: Settings, store: Store | None = None) -> SummarizeLimits:
    """The per-user and per-channel limits: they guard shared chats, not one person's console.

    Given the store, the windows are counted there, shared by every replica (docs/scaling.md).
    """
    if not chat_platforms_configured(settings):
        return SummarizeLimits()
    if store is not None:
        return SharedSummarizeLimits.shared_from_rates(
            store, settings.user_rate, settings.channel_rate
        )
    return SummarizeLimits.from_rates(settings.user_rate, settings.channel_rate)


def platform_adapters(settings: Settings, commands: Commands) -> list[Adapter]:
    """The Slack and Discord adapters whose tokens are set (imported only when needed)."""
    adapters: list[Adapter] = []
    if settings.slack_bot_token is not None or settings.slack_oauth:
        from adapters.slack import SlackAdapter

        managers = [m.strip() for m in settings.slack_managers.split(",") if m.strip()]
        adapters.append(SlackAdapter(settings, commands, managers=managers))
    if settings.discord_token is not None:
        from adapters.discord import DiscordAdapter

        adapters.append(DiscordAdapter(settings, commands))
    return adapters


async def run_bot(
    settings: Settings,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until SIGINT/SIGTERM (or the console's end of input when no platform is set)."""
    stop = stop or asyncio.Event()
    # Summaries run in worker threads; a few threads keep the work parallel enough on a small
    # machine, and fewer threads mean fewer glibc malloc arenas holding freed memory.
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=SUMMARY_THREADS, thread_name_prefix="summarize")
    )
    extra_dirs = [settings.topics_dir] if settings.topics_dir else []
    # Before the store opens: a second `run` on this file must not touch it (or send digests).
    # (A damaged SQLite file is refused here too, with what to do.) Two statements, not one
    # combined, to leave the block below as it was.
    async with hold_for_run(settings.database):  # noqa: SIM117
        async with await open_store(settings.database) as store, Fetcher(settings) as fetcher:
            operations = Operations(settings, store)
            preloading = asyncio.create_task(asyncio.to_thread(preload_language_model))
            summarizer = Summarizer(settings, fetcher)
            seeded = await seed_feeds(store, settings)
            if seeded:
                log.info("added %d default feeds", seeded)
            digests = DigestService(
                settings,
                store,
                summarizer,
                topics=partial(load_profile, extra_dirs=extra_dirs),
                limit=settings.digest_stories,
            )
            delivery = DigestDelivery(store, digests, {})
            scheduler = DigestScheduler(
                store,
                operations.delivering(delivery.deliver),
                operations.polling(digests.refresh),
                poll_interval=timedelta(minutes=settings.poll_minutes),
                # Replicas on one database (docs/scaling.md): one polls, all schedule from it.
                leader=LeaderLease(store),
                sync_interval=SYNC_INTERVAL,
            )
            commands = Commands(
                summarizer,
                store,
                digests=digests,
                scheduler=scheduler,
                feeds=FeedCatalog(store, fetcher),
                topics=lambda: list_profiles(extra_dirs),
                limits=summarize_limits(settings, store),
            )
            # Where a paused digest's last message can go: Slack's subscribe poster, Discord's.
            notices = ChainMap(commands.channel_posters, {})
            scheduler.on_give_up = partial(pause_if_failing, store, scheduler, notices)
            # Figure alerts go out through the same posters, after each feed refresh.
            digests.on_ingested = AlertService(store, notices).on_ingested
            adapters = platform_adapters(settings, commands)
            console = None
            if not adapters:
                console = ConsoleAdapter(
                    commands, stdin=stdin or sys.stdin, stdout=stdout or sys.stdout
                )
                adapters.append(console)
            _install_signal_handlers(stop.set)
            started: list[Adapter] = []
            log.info(
                "Newsbrief %s starting: %s, database %s",
                package_version(),
                ", ".join(adapter.platform for adapter in adapters),
                settings.database_name,
            )
            try:
                await operations.serve(adapters)
                for adapter in adapters:
                    await adapter.start()
                    started.append(adapter)
                    delivery.add_sink(adapter.platform, adapter)
                    if (post_notice := getattr(adapter, "post_notice", None)) is not None:
                        notices.maps[1][adapter.platform] = post_notice
                    operations.watch_adapter(adapter)
                await preloading
                await scheduler.start()
                operations.watch_scheduler(lambda: scheduler.running)
                operations.start_pruning()
                log.info("Newsbrief is ready")
                waiters = [asyncio.create_task(stop.wait())]
                if console is not None:
                    waiters.append(asyncio.create_task(console.run()))
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                for waiter in waiters:
                    waiter.cancel()
            finally:
                log.info("Newsbrief is stopping (digests being sent get %g s)", SHUTDOWN_GRACE_S)
                await scheduler.shutdown(grace_s=SHUTDOWN_GRACE_S)
                for adapter in reversed(started):
                    with contextlib.suppress(Exception):
                        await adapter.aclose()
                await operations.aclose()
                log.info("Newsbrief stopped")


def _install_signal_handlers(on_stop: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, on_stop)
