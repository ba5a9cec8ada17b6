"""A digest that failed three days in a row is paused, and that is said where it will be seen.

The real scheduler (its start-up catch-up, with no retries left, gives the day up), the real
``DigestDelivery`` and store, posting over HTTP to the fake platform, which refuses every post.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import aiohttp
import pytest
from delivery_child import StoreDigestBuilder, seed_articles
from fakes.discord_harness import discord_rig
from platform_fake import FakePlatform, PlatformSink

from bot.config import Settings
from bot.digests.delivery import DigestDelivery
from bot.digests.lifecycle import pause_if_failing
from bot.digests.scheduler import DigestScheduler
from bot.store import Subscription, open_store

SUB = Subscription("slack", "C1", "migration", "07:00", "UTC")


async def test_three_failed_days_in_a_row_pause_the_digest_and_say_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.digests.lifecycle")
    notices: list[tuple[str, str]] = []

    async def poster(channel: str, text: str) -> None:
        notices.append((channel, text))

    async with (
        await open_store(tmp_path / "nb.db") as store,
        FakePlatform() as platform,
        aiohttp.ClientSession() as session,
    ):
        await seed_articles(store)
        await store.subscribe(SUB)
        delivery = DigestDelivery(
            store, StoreDigestBuilder(store), {"slack": PlatformSink(platform.url, session)}
        )
        platform.fail_next_posts(1000)
        enabled_after = []
        for day in (1, 2, 3):
            now = datetime(2026, 3, day, 7, 5, tzinfo=UTC)
            scheduler = DigestScheduler(
                store, delivery.deliver, retry_delays=(), clock=lambda now=now: now
            )
            scheduler.on_give_up = partial(pause_if_failing, store, scheduler, {"slack": poster})
            await scheduler.catch_up(await store.list_subscriptions())
            enabled_after.append(bool(await store.list_subscriptions()))
        [paused] = await store.list_subscriptions(include_disabled=True)
    assert enabled_after == [True, True, False]
    assert not paused.enabled
    assert notices == [
        (
            "C1",
            "The daily migration digest could not be posted here for 3 days in a row, so it "
            "is paused; subscribe again to restart it.",
        )
    ]
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.digests.lifecycle"]
    assert line.startswith("Paused the migration digest of slack channel C1: it failed 3 days")


async def test_a_day_that_went_out_breaks_the_run(tmp_path: Path) -> None:
    async with (
        await open_store(tmp_path / "nb.db") as store,
        FakePlatform() as platform,
        aiohttp.ClientSession() as session,
    ):
        await seed_articles(store)
        await store.subscribe(SUB)
        delivery = DigestDelivery(
            store, StoreDigestBuilder(store), {"slack": PlatformSink(platform.url, session)}
        )
        for day in (1, 2, 3, 4):
            platform.fail_next_posts(0 if day == 2 else 1000)
            now = datetime(2026, 3, day, 7, 5, tzinfo=UTC)
            scheduler = DigestScheduler(
                store, delivery.deliver, retry_delays=(), clock=lambda now=now: now
            )
            scheduler.on_give_up = partial(pause_if_failing, store, scheduler, {})
            await scheduler.catch_up(await store.list_subscriptions())
        # Days 1, 3 and 4 failed, day 2 was sent: not three in a row.
        assert [s.enabled for s in await store.list_subscriptions(include_disabled=True)] == [True]
        assert await pause_if_failing(store, None, {}, SUB, date(2026, 3, 4)) is False


async def test_on_discord_the_last_message_is_posted_in_the_channel(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        channel = rig.fake.channel_id("digest")
        sub = await rig.store.subscribe(Subscription("discord", channel, "migration"))
        for day in (1, 2, 3):
            begun = await rig.store.begin_delivery(
                "discord", channel, "migration", date(2026, 3, day)
            )
            await rig.store.fail_delivery(begun.delivery_key, "HTTPException: 403 Forbidden")
        posters = {"discord": rig.adapter.post_notice}
        assert await pause_if_failing(rig.store, None, posters, sub, date(2026, 3, 3))
        [last] = rig.fake.bot_messages("digest")
        assert await rig.store.list_subscriptions() == []
    assert last["content"].startswith("The daily migration digest could not be posted here")
