"""The bot side of benchmarks/soak.py, run in its own process so its RSS can be read alone.

    python benchmarks/soak_bot.py PLATFORM API_URL GATEWAY_URL

Prints "READY <port>" once connected; each stdin line "digest <channel> <url>..." delivers
that channel's digest of those pages and prints "DIGEST <seconds> <outcome>"; at end of input
it stops and prints "STATS <error log records> <unhandled loop exceptions>".
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]

from fakes.slack_payloads import BOT_TOKEN, SIGNING_SECRET  # noqa: E402
from pydantic import SecretStr  # noqa: E402


async def run_bot(platform: str, api_url: str, gateway_url: str) -> None:
    """Start the real bot, print READY; "digest <channel> <url>..." delivers one; EOF stops."""
    from bot.chat.commands import Commands
    from bot.config import Settings
    from bot.digests.builder import DigestCandidate, build_digest
    from bot.digests.delivery import BuiltDigest, DigestDelivery
    from bot.service import Summarizer
    from bot.store import Subscription, open_store

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # no voice support: fine
    errors: list[logging.LogRecord] = []
    error_counter = logging.Handler(logging.ERROR)
    error_counter.emit = errors.append  # type: ignore[method-assign]  # keep every ERROR record
    logging.getLogger().addHandler(error_counter)
    loop = asyncio.get_running_loop()
    unhandled: list[object] = []
    loop.set_exception_handler(lambda _loop, context: unhandled.append(context))
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None).model_copy(  # type: ignore[call-arg]
            update={
                "allow_private_networks": True,  # the articles are served on 127.0.0.1
                "db_path": Path(folder) / "soak.db",
                "slack_api_url": api_url,
                "slack_bot_token": SecretStr(BOT_TOKEN),
                "slack_signing_secret": SecretStr(SIGNING_SECRET),
                "slack_app_token": None,  # HTTP mode, whatever the environment says
                "http_host": "127.0.0.1",
                "http_port": 0,
                "discord_token": SecretStr("fake-bot-token"),
                "discord_api_url": api_url,
                "discord_gateway_url": gateway_url,
                "discord_guild_ids": "",
            }
        )
        store = await open_store(settings.db_path)
        summarizer = Summarizer(settings)
        commands = Commands(summarizer, store)
        from adapters.discord import DiscordAdapter
        from adapters.slack import SlackAdapter

        adapter: Any = (SlackAdapter if platform == "slack" else DiscordAdapter)(settings, commands)
        await adapter.start()
        print("READY", getattr(adapter, "port", 0), flush=True)

        class Pages:  # a DigestBuilder: the digest of the given pages
            def __init__(self, urls: list[str]) -> None:
                self.urls = urls

            async def for_subscription(self, subscription: Any, **period: datetime) -> Any:
                summaries = await asyncio.gather(*map(summarizer.summarize, self.urls))
                since = datetime(2000, 1, 1, tzinfo=UTC)
                candidates = [DigestCandidate(summary) for summary in summaries]
                built = build_digest(
                    candidates, topic=subscription.topic, since=since, until=period["until"]
                )
                return BuiltDigest(built, ())

        while line := await loop.run_in_executor(None, sys.stdin.readline):
            _, channel, *urls = line.split()
            started = time.perf_counter()
            subscription = await store.subscribe(Subscription(platform, channel))  # type: ignore[arg-type]
            delivery = DigestDelivery(store, Pages(urls), {platform: adapter})  # type: ignore[dict-item]
            outcome = await delivery.deliver(subscription, date.today())
            print("DIGEST", f"{time.perf_counter() - started:.1f}", outcome, flush=True)
        await adapter.aclose()
        await summarizer.aclose()
        await store.aclose()
    print("STATS", len(errors), len(unhandled), flush=True)


if __name__ == "__main__":
    asyncio.run(run_bot(*sys.argv[1:4]))
