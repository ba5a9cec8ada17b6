"""Discord interaction latency: 50 concurrent /summarize through the local Discord gateway.

Run from the project root:
    .venv/bin/python benchmarks/discord_interactions.py [--data ../shared/data] [--count 50]

The real bot (store, summarizer, commands, discord.py client) connects to the fake Discord of
tests/fakes over 127.0.0.1; a local web server serves news pages (the AEB extraction set, or
the seed article when the data folder is missing). The fake sends ``--count`` /summarize
interactions at once and records, on its own clock, when each deferral arrives (Discord's
3-second limit applies to it; target p99 < 300 ms) and when each follow-up is posted. As the
reference, the same number of /help interactions (answered at once, no work) go first. Then
each posted summary's **Figures** button is pressed by a different member, all at once (a
component interaction: deferred privately, answered with every key figure from the stored
article text).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]

from fakes import discord_payloads as payloads  # noqa: E402
from fakes.discord_api import FakeInteraction  # noqa: E402
from fakes.discord_components import buttons, press  # noqa: E402
from fakes.discord_harness import DiscordRig, discord_rig  # noqa: E402
from webserver import WebServer  # noqa: E402

from bot.config import Settings  # noqa: E402

DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
SEED = PROJECT_ROOT / "tests" / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
TARGET_P99_MS = 300.0


def news_pages(data_dir: Path, count: int) -> tuple[list[bytes], str]:
    """``count`` HTML pages: the AEB news pages, cycled, or the seed article if they are absent."""
    folder = data_dir / "extraction" / "aeb" / "html"
    files = sorted(folder.glob("*.html.gz")) if folder.is_dir() else []
    if not files:
        return [SEED.read_bytes()] * count, "the seed BBC article (no --data folder found)"
    pages = [gzip.decompress(files[i % len(files)].read_bytes()) for i in range(count)]
    return pages, f"{min(count, len(files))} AEB news pages"


def readers(count: int) -> list[dict[str, object]]:
    """As many members as buttons pressed: each person's answers are limited per minute."""
    return [payloads.user(payloads.snowflake(), f"reader{n}") for n in range(count)]


def answered(interaction: FakeInteraction) -> bool:
    """The Figures answer is all there (a long list comes in several messages)."""
    text = "\n".join(reply.get("content", "") for reply in interaction.replies)
    head = re.match(r"\D*(\d+) key figures", text)
    if head is None:
        return bool(interaction.replies)  # "no key figures", or a one-sentence failure
    return len(text.splitlines()) >= int(head[1]) + 1


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p99 and max, in milliseconds."""
    values = np.array(samples) * 1000
    return float(np.percentile(values, 50)), float(np.percentile(values, 99)), float(values.max())


async def burst(rig: DiscordRig, name: str, options: list[dict[str, str]]) -> list[FakeInteraction]:
    """Send one interaction per options dict at once; wait until each has its answer."""
    interactions = await asyncio.gather(*(rig.fake.invoke(name, o) for o in options))
    await rig.fake.wait_for(lambda: all(i.replies for i in interactions), timeout=300)
    return list(interactions)


def row(label: str, samples: list[float]) -> str:
    p50, p99, worst = percentiles(samples)
    return f"{label:<34}{p50:>9.1f}{p99:>9.1f}{worst:>9.1f}"


async def run(count: int, data_dir: Path) -> None:
    pages, source = news_pages(data_dir, count)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            allow_private_networks=True,  # the pages are served on 127.0.0.1
            db_path=Path(tmp) / "bench.db",
            discord_guild_ids="",
            # 50 requests from one user in one channel: measure latency, not rate limits.
            NEWSBRIEF_USER_RATE="off",
            NEWSBRIEF_CHANNEL_RATE="off",
        )
        async with WebServer() as web, discord_rig(settings) as rig:
            for number, page in enumerate(pages):
                web.respond(f"/article/{number}", page)
            await burst(rig, "summarize", [{"url-or-text": web.url("/article/0")}])  # warm-up
            started = time.perf_counter()
            helps = await burst(rig, "help", [{}] * count)
            links = [{"url-or-text": web.url(f"/article/{n}")} for n in range(count)]
            summarizing = asyncio.create_task(burst(rig, "summarize", links))
            await asyncio.sleep(0.2)  # the summaries are being worked on now
            helps_under_load = await burst(rig, "help", [{}] * 10)
            summaries = await summarizing
            elapsed = time.perf_counter() - started
            posted = [i.replies[0] for i in summaries if buttons(i.replies[0])]
            presses = await asyncio.gather(
                *(
                    press(rig.fake, m, buttons(m)[1]["custom_id"], user=reader)
                    for m, reader in zip(posted, readers(len(posted)), strict=True)
                )
            )
            await rig.fake.wait_for(lambda: all(map(answered, presses)), timeout=300)

    help_deferrals = [i.first_callback_latency or 0.0 for i in helps]
    deferrals = [i.first_callback_latency or 0.0 for i in summaries]
    follow_ups = [i.first_reply_latency or 0.0 for i in summaries]
    embeds = sum(1 for i in summaries if i.replies[0].get("embeds"))
    print(f"{count} concurrent interactions through the local Discord gateway; articles: {source}")
    print(f"{'':<34}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    print(row("/help first answer (reference)", help_deferrals))
    print(row("/summarize deferral", deferrals))
    print(row("/summarize follow-up posted", follow_ups))
    print(
        row(
            "/help sent 0.2 s into the burst",
            [i.first_callback_latency or 0.0 for i in helps_under_load],
        )
    )
    if presses:
        print(row("Figures button deferral", [i.first_callback_latency or 0.0 for i in presses]))
        print(row("Figures button answer posted", [i.first_reply_latency or 0.0 for i in presses]))
    help_p99, summarize_p99 = percentiles(help_deferrals)[1], percentiles(deferrals)[1]
    print(f"deferral p99 / /help p99: {summarize_p99 / max(help_p99, 1e-9):.2f}x")
    if presses:
        button_p99 = percentiles([i.first_callback_latency or 0.0 for i in presses])[1]
        print(f"Figures button deferral p99 / /help p99: {button_p99 / max(help_p99, 1e-9):.2f}x")
        texts = ["".join(r.get("content", "") for r in i.replies) for i in presses]
        listed = sum(" key figures in " in text or "no key figures" in text for text in texts)
        print(f"buttons pressed: {len(presses)}; answered with figures: {listed}")
    verdict = "met" if summarize_p99 < TARGET_P99_MS else "MISSED"
    print(f"target deferral p99 < {TARGET_P99_MS:.0f} ms: {verdict}")
    print(f"answers: {embeds} summaries, {count - embeds} one-sentence failures")
    print(f"wall time for both bursts: {elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # no voice support: fine
    asyncio.run(run(args.count, args.data))


if __name__ == "__main__":
    main()
