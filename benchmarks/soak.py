"""Soak: 1,000 summarize requests per platform at a steady rate, with a digest halfway.

    .venv/bin/python benchmarks/soak.py [--requests 1000] [--rate 20] [--data ../shared/data]
                                        [--platform slack|discord|both]

The real bot (store, fetcher, summarizer, commands, Slack or Discord adapter) runs in a child
process, whose RSS is read from /proc (Linux). This process runs the local fake platform
(tests/fakes), a server with news pages (the AEB set under --data, else the repo's fixtures) and
the load, sent open-loop at --rate per second from a newsroom of people and channels sized to
stay within the bot's per-user and per-channel limits: signed ``/newsbrief summarize`` commands
(Slack, HTTP mode) or ``/summarize`` INTERACTION_CREATE events through the fake gateway
(Discord). Halfway, the bot delivers a subscribed channel's digest of 8 pages (DigestDelivery).
Acknowledgement: Slack's HTTP answer, Discord's deferral (each platform allows 3 s). Baseline,
same run: the idle bot's RSS, and ``help`` acknowledged at the same rate before the soak.
``--malloc-arena-max N`` runs the bot with glibc's MALLOC_ARENA_MAX=N (see the RSS trend).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
import numpy as np
from aiohttp import web

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests"), str(PROJECT_ROOT / "benchmarks")]

from _data import add_data_argument  # noqa: E402
from fakes import discord_payloads as payloads  # noqa: E402
from fakes.discord_api import FakeDiscord, FakeInteraction  # noqa: E402
from fakes.slack_api import FakeSlack  # noqa: E402
from fakes.slack_payloads import SIGNING_SECRET, slash_command_body  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

from adapters.discord.rendering.render import read_marker  # noqa: E402

DIGEST_PAGES = 8
Answers = dict[str, tuple[list[float], str | None]]  # key -> (arrival times, failure sentence)


# --- the bot runs in a child process (benchmarks/soak_bot.py) ------------------------------


class Child:
    """The bot process: stdout lines in a queue, commands on stdin, RSS sampled from /proc."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: asyncio.Queue[list[str]] = asyncio.Queue()
        self.samples: list[tuple[float, int]] = []  # (monotonic time, RSS bytes)
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._sample())]

    @classmethod
    async def start(cls, *args: str, env: dict[str, str]) -> tuple[Child, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(Path(__file__).with_name("soak_bot.py")), *args,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=os.environ | env,
        )  # fmt: skip
        child = cls(process)
        return child, (await asyncio.wait_for(child.lines.get(), 120))[1]

    def rss(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return next(int(line.split()[1]) * 1024 for line in status.splitlines() if "VmRSS" in line)

    async def send(self, line: str) -> list[str]:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()
        return await asyncio.wait_for(self.lines.get(), 300)

    async def stop(self) -> list[str]:
        assert self.process.stdin is not None
        self.process.stdin.close()
        stats = await asyncio.wait_for(self.lines.get(), 120)
        await self.process.wait()
        for task in self._tasks:
            task.cancel()
        return stats

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            await self.lines.put(line.decode().split())

    async def _sample(self) -> None:
        while self.process.returncode is None:
            self.samples.append((time.monotonic(), self.rss()))
            await asyncio.sleep(0.25)


# --- the load, in this process ----------------------------------------------------------------


class SlackLoad:
    """Signed slash commands over HTTP; answers are the fake's response_url posts."""

    def __init__(self, fake: FakeSlack, port: str, people: int, channels: int) -> None:
        self.fake, self.people, self.channels = fake, people, channels
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.verifier = SignatureVerifier(SIGNING_SECRET)
        self.session = aiohttp.ClientSession()
        self.digest_channel = "C0DIGEST"

    async def send(self, key: str, text: str, who: int) -> tuple[float, float]:
        """(sent at, seconds to the acknowledgement); raises if it is not a 200."""
        where, user = f"C{who % self.channels:04d}", f"U{who % self.people:04d}"
        body = slash_command_body(text, self.fake.response_url(key), channel=where, user=user)
        stamp = str(int(time.time()))
        signature = self.verifier.generate_signature(timestamp=stamp, body=body) or ""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        headers |= {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
        sent = time.monotonic()
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
        return sent, time.monotonic() - sent

    def answers(self) -> Answers:
        found: Answers = {}
        for post in self.fake.responses:
            failed = post.body["text"] if post.body.get("response_type") == "ephemeral" else None
            found[post.key] = ([*found.get(post.key, ([], None))[0], post.at], failed)
        return found

    def digest_parts(self) -> list[tuple[int, int]]:
        metadata = [m["metadata"]["event_payload"] for m in self.fake.posts(self.digest_channel)]
        return [(data["part"], data["parts"]) for data in metadata]


class DiscordLoad:
    """/summarize interactions through the fake gateway; answers are the fake's records."""

    def __init__(self, fake: FakeDiscord, people: int, channels: int) -> None:
        self.fake = fake
        self.people = [payloads.user(payloads.snowflake(), f"reader{n}") for n in range(people)]
        self.channels = [f"desk{n}" for n in range(channels)]
        for position, name in enumerate(self.channels, start=len(fake.channels)):
            channel = payloads.text_channel(payloads.snowflake(), fake.guild_id, name, position)
            fake.channels[name], fake.messages[channel["id"]] = channel, []
        self.digest_channel = fake.channel_id("digest")
        self.interactions: dict[str, FakeInteraction] = {}

    async def send(self, key: str, text: str, who: int) -> tuple[float, float]:
        name, _, source = text.partition(" ")
        where, user = self.channels[who % len(self.channels)], self.people[who % len(self.people)]
        options = {"url-or-text": source} if source else {}
        record = await self.fake.invoke(name, options, channel=where, user=user, manager=False)
        self.interactions[key] = record
        while not record.callbacks and time.monotonic() < record.sent_at + 30:
            await asyncio.sleep(0.005)  # the fake timestamps the deferral when it arrives
        if record.first_callback_latency is None:
            raise RuntimeError("no acknowledgement within 30 s")
        return record.sent_at, record.first_callback_latency

    def answers(self) -> Answers:
        return {
            key: (record.posted_at[: len(record.replies)], record.replies[0].get("content"))
            for key, record in self.interactions.items()
            if record.replies
        }

    def digest_parts(self) -> list[tuple[int, int]]:
        messages = self.fake.bot_messages("digest")
        markers = [read_marker([discord.Embed.from_dict(e) for e in m["embeds"]]) for m in messages]
        return [(marker[0], marker[1]) if marker else (0, 0) for marker in markers]


async def paced(count: int, rate: float, send: Callable[[int], Awaitable[None]]) -> float:
    """Start ``send(0..count-1)`` at ``rate`` per second (open loop); returns the rate achieved."""
    loop = asyncio.get_running_loop()
    start, tasks = loop.time(), []
    for number in range(count):
        await asyncio.sleep(max(0.0, start + number / rate - loop.time()))
        tasks.append(asyncio.create_task(send(number)))
    took = loop.time() - start
    await asyncio.gather(*tasks)
    return (count - 1) / took if took > 0 else float("inf")


async def soak(
    platform: str, urls: list[str], requests: int, rate: float, env: dict[str, str]
) -> dict[str, Any]:
    """Baseline, then the soak with a digest halfway; what was acknowledged and what arrived."""
    started = time.monotonic()
    # Within the bot's default limits (5 summaries a minute per person, 20 per channel).
    people, channels = math.ceil(rate * 60 / 4), math.ceil(rate * 60 / 15)
    fake: Any = FakeSlack() if platform == "slack" else FakeDiscord()
    async with fake:
        load: Any = None if platform == "slack" else DiscordLoad(fake, people, channels)
        gateway = getattr(fake, "gateway_url", "-")
        child, port = await Child.start(platform, fake.api_url, gateway, env=env)
        load = load or SlackLoad(fake, port, people, channels)
        failures: list[str] = []
        sent: dict[str, tuple[float, float]] = {}

        async def send(key: str, text: str, who: int) -> None:
            try:
                sent[key] = await load.send(key, text, who)
            except Exception as err:
                failures.append(f"{key}: {err!r}")

        await asyncio.sleep(1.0)
        result: dict[str, Any] = {"rss start": child.rss()}
        baseline = max(20, requests // 10)
        await paced(baseline, rate, lambda n: send(f"h{n}", "help", n))
        result["baseline ack"] = [sent.pop(f"h{n}")[1] for n in range(baseline) if f"h{n}" in sent]
        digest: list[asyncio.Task[list[str]]] = []

        async def summarize(number: int) -> None:
            if number == requests // 2:
                result["rss digest"] = child.rss()
                command = f"digest {load.digest_channel} {' '.join(urls[:DIGEST_PAGES])}"
                digest.append(asyncio.create_task(child.send(command)))
            await send(f"s{number}", f"summarize {urls[number % len(urls)]}", number)

        result["achieved rate"] = await paced(requests, rate, summarize)
        keys = [f"s{n}" for n in range(requests)]
        deadline = time.monotonic() + 300
        while len(load.answers().keys() & set(keys)) < requests and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        _, seconds, *outcome = await digest[0]
        await asyncio.sleep(2.0)  # a late second answer would land now
        answers, parts = load.answers(), load.digest_parts()
        result["rss end"] = child.rss()
        stats = await child.stop()
        if isinstance(load, SlackLoad):
            await load.session.close()
    once = bool(parts) and [part for part, _ in parts] == list(range(1, parts[0][1] + 1))
    first = sorted(answers[k][0][0] for k in keys if k in answers) or [float("inf")]
    warm_at = first[len(first) // 10]
    steady = [(at, rss) for at, rss in child.samples if warm_at <= at <= first[-1]]
    slope = np.polyfit(*zip(*steady, strict=True), 1)[0] if len(steady) > 2 else np.nan
    result.update(
        {
            "rss warm": next((rss for at, rss in child.samples if at >= warm_at), 0),
            "rss peak": max(rss for _, rss in child.samples),
            "rss trend": slope * 1000 / result["achieved rate"],  # bytes per 1,000 requests
            "digest": f"{'once' if once else 'NOT ONCE'}: {len(parts)} message(s), "
            f"{' '.join(outcome)} in {seconds} s",
            "errors": len(failures) + int(stats[1]) + int(stats[2]),
            "error lines": [*failures[:3], f"bot: {stats[1]} logged errors, {stats[2]} unhandled"],
            "ack": [sent[k][1] for k in keys if k in sent],
            "to answer": [
                answers[k][0][0] - sent[k][0] for k in keys if k in answers and k in sent
            ],
            "once": sum(len(answers[k][0]) == 1 for k in keys if k in answers),
            "lost": sum(k not in answers for k in keys),
            "twice": sum(len(answers[k][0]) > 1 for k in keys if k in answers),
            "failed": Counter(answers[k][1] for k in keys if k in answers and answers[k][1]),
            "wall": time.monotonic() - started,
            "newsroom": f"{people} people in {channels} channels",
        }
    )
    return result


# --- pages, table, main ---------------------------------------------------------------------


def news_pages(data_dir: Path) -> tuple[list[bytes], str]:
    """The AEB news pages under ``data_dir``, or the repo's fixture pages when it is missing."""
    files = sorted((data_dir / "extraction" / "aeb" / "html").glob("*.html.gz"))
    if files:
        return [gzip.decompress(f.read_bytes()) for f in files], f"{len(files)} AEB news pages"
    fixtures = PROJECT_ROOT / "tests" / "fixtures"
    pages = [gzip.decompress(f.read_bytes()) for f in (fixtures / "pages" / "aeb").glob("*.gz")]
    pages.append((fixtures / "seed" / "bbc-us-mexico-migration.html").read_bytes())
    return pages, f"{len(pages)} fixture pages (no AEB set under {data_dir})"


def spread(seconds: list[float]) -> str:
    values = np.array(seconds or [np.nan]) * 1000
    return f"{np.percentile(values, 50):.0f} / {np.percentile(values, 99):.0f} / {values.max():.0f}"


def rows(r: dict[str, Any], requests: int) -> list[tuple[str, str]]:
    ratio = np.percentile(r["ack"], 99) / np.percentile(r["baseline ack"], 99)
    growth, mb = r["rss end"] - r["rss warm"], 2**20
    failed = sum(r["failed"].values())
    reasons = "; ".join(f"{n}x {text}" for text, n in r["failed"].most_common(2))
    return [
        ("requests, rate achieved", f"{requests} at {r['achieved rate']:.1f}/s"),
        ("  from", r["newsroom"]),
        ("errors (must be 0)", str(r["errors"])),
        ("ack p50 / p99 / max, ms", spread(r["ack"])),
        ("  baseline: help, same rate, ms", spread(r["baseline ack"])),
        ("  ack p99 / baseline p99", f"{ratio:.1f}x"),
        ("  every ack within 3 s", "yes" if max(r["ack"], default=9) < 3 else "NO"),
        ("time to answer p50 / p99 / max, ms", spread(r["to answer"])),
        ("answered exactly once / requests", f"{r['once']}/{requests}"),
        ("  lost / answered twice", f"{r['lost']} / {r['twice']}"),
        ("  summaries / one-sentence failures", f"{r['once'] - failed} / {failed}"),
        ("digest (halfway)", r["digest"]),
        ("RSS idle after start, MB", f"{r['rss start'] / mb:.1f}"),
        ("RSS after warm-up (10% answered), MB", f"{r['rss warm'] / mb:.1f}"),
        ("RSS when the digest started, MB", f"{r['rss digest'] / mb:.1f}"),
        ("RSS at the end, MB", f"{r['rss end'] / mb:.1f}"),
        ("RSS peak, MB", f"{r['rss peak'] / mb:.1f}"),
        ("RSS end - after warm-up", f"{growth / mb:+.1f} MB ({growth / r['rss warm']:+.1%})"),
        ("  trend after warm-up", f"{r['rss trend'] / mb:+.1f} MB per 1,000 requests"),
        ("  most common failures", reasons[:44] or "-"),
        ("wall time, s", f"{r['wall']:.0f}"),
    ]


async def main(args: argparse.Namespace) -> None:
    pages, source = news_pages(args.data)
    server = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(body=pages[int(request.match_info["n"])], content_type="text/html")

    server.router.add_get("/article/{n}.html", page)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    urls = [
        f"http://127.0.0.1:{runner.addresses[0][1]}/article/{n}.html" for n in range(len(pages))
    ]
    results = {}
    for platform in ["slack", "discord"] if args.platform == "both" else [args.platform]:
        print(f"soaking {platform}: {args.requests} requests at {args.rate:g}/s ...", flush=True)
        env = {"MALLOC_ARENA_MAX": str(args.malloc_arena_max)} if args.malloc_arena_max else {}
        results[platform] = await soak(platform, urls, args.requests, args.rate, env)
    await runner.cleanup()
    print(f"\nSoak: {args.requests} summarize requests per platform at {args.rate:g}/s, a digest")
    arenas = f", MALLOC_ARENA_MAX={args.malloc_arena_max}" if args.malloc_arena_max else ""
    print(f"halfway; articles: {source}; the bot in its own process{arenas}.")
    table = {name: rows(result, args.requests) for name, result in results.items()}
    print(f"{'':<38}" + "".join(f"{name:<46}" for name in table))
    for index, (label, _) in enumerate(next(iter(table.values()))):
        print(f"{label:<38}" + "".join(f"{column[index][1]:<46}" for column in table.values()))
    for name, result in results.items():
        if result["errors"]:
            print(f"{name} errors: {result['error lines']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_data_argument(parser)
    parser.add_argument("--requests", type=int, default=1000, help="per platform")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    parser.add_argument("--platform", choices=["slack", "discord", "both"], default="both")
    parser.add_argument("--malloc-arena-max", type=int, help="glibc malloc arenas for the bot")
    asyncio.run(main(parser.parse_args()))
