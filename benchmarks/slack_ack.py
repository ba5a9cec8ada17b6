"""Slack acknowledgement latency while summaries are computed: 50 concurrent signed commands.

Run from the project root:
    .venv/bin/python benchmarks/slack_ack.py [--data ../shared/data] [--count 50]

The bot (real core: SQLite store, fetcher, summarizer, commands; real slack-bolt app in HTTP
mode) runs in its own process, so the load generator does not share its event loop or GIL.
This process runs the local fake Slack (tests/fakes/slack_api.py: Web API and response_url)
and an article server with real news pages from the article-extraction-benchmark set
(``extraction/aeb/html``), one page per command. It then sends, each signed with the signing
secret:

1. reference: ``--count`` concurrent ``/newsbrief help`` (trivial work after the ack);
2. ``--count`` concurrent ``/newsbrief summarize <page>``, and while those summaries are being
   computed, ``--count`` ``help`` commands one after another (the ack path under load);
3. then ``--count`` concurrent presses of the summaries' **Figures** buttons, by as many
   people (block_actions: every key figure, computed from the stored text after the ack).

Ack latency = signed POST sent -> HTTP answer. Time to summary = POST sent -> the summary (or
its one-sentence failure) arrives at the fake response_url. Slack's limit for the ack is 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests"), str(PROJECT_ROOT / "benchmarks")]

from _data import add_data_argument  # noqa: E402
from fakes.slack_actions import block_actions_payload, buttons  # noqa: E402
from fakes.slack_api import FakeSlack  # noqa: E402
from fakes.slack_payloads import slash_command_body  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

FORM = "application/x-www-form-urlencoded"
ACK_TARGET_MS = 300.0


# --- the bot, in a child process -----------------------------------------------------------


async def run_bot(api_url: str) -> None:
    """Start the real core and Slack adapter, print its port, serve until stdin closes."""
    from fakes.slack_payloads import BOT_TOKEN, SIGNING_SECRET
    from pydantic import SecretStr

    from adapters.slack import SlackAdapter
    from bot.chat.commands import Commands
    from bot.config import Settings
    from bot.service import Summarizer
    from bot.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None).model_copy(  # type: ignore[call-arg]
            update={
                "allow_private_networks": True,  # the articles are served on 127.0.0.1
                "db_path": Path(folder) / "bench.db",
                "slack_api_url": api_url,
                "slack_bot_token": SecretStr(BOT_TOKEN),
                "slack_signing_secret": SecretStr(SIGNING_SECRET),
                "slack_app_token": None,
                "http_host": "127.0.0.1",
                "http_port": 0,
                # 50 requests from one user in one channel: measure latency, not rate limits.
                "user_rate": "off",
                "channel_rate": "off",
            }
        )
        store = await open_store(settings.db_path)
        summarizer = Summarizer(settings)
        adapter = SlackAdapter(settings, Commands(summarizer, store))
        await adapter.start()
        print(f"READY {adapter.port}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await adapter.aclose()
        await summarizer.aclose()
        await store.aclose()


# --- load generator ------------------------------------------------------------------------


class Sender:
    """Sends signed slash commands and times the acknowledgement."""

    def __init__(self, session: aiohttp.ClientSession, url: str, fake: FakeSlack) -> None:
        self._session = session
        self._url = url
        self._fake = fake
        self._verifier = SignatureVerifier(fake.signing_secret)
        self.sent_at: dict[str, float] = {}

    async def press(self, message: dict[str, object], key: str, user: str) -> float:
        """``user`` presses the Figures button of a posted summary, answered at ``key``;
        returns ack ms."""
        (button,) = [b for b in buttons(message) if b["action_id"] == "newsbrief_figures"]
        url = self._fake.response_url(key)
        payload = block_actions_payload(message, button, url, channel="C0BENCH", user=user)
        return await self._post(urlencode({"payload": json.dumps(payload)}), key)

    async def command(self, text: str, key: str) -> float:
        """Send ``/newsbrief text`` answered at response_url ``key``; returns ack ms."""
        body = slash_command_body(text, self._fake.response_url(key), channel="C0BENCH", user="U1")
        return await self._post(body, key)

    async def _post(self, body: str, key: str) -> float:
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self._verifier.generate_signature(timestamp=stamp, body=body)
            or "",
        }
        started = self.sent_at[key] = time.monotonic()
        async with self._session.post(self._url, data=body.encode(), headers=headers) as resp:
            await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"{key}: HTTP {resp.status}")
        return (time.monotonic() - started) * 1000


def article_server(pages: list[bytes]) -> web.Application:
    async def page(request: web.Request) -> web.Response:
        return web.Response(body=pages[int(request.match_info["n"])], content_type="text/html")

    app = web.Application()
    app.router.add_get("/article/{n}.html", page)
    return app


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def line(name: str, values: list[float]) -> str:
    return (
        f"{name:<50} p50 {percentile(values, 50):8.1f} ms   p99 {percentile(values, 99):8.1f} ms"
        f"   max {max(values):8.1f} ms"
    )


async def benchmark(data: Path, count: int) -> None:
    html_dir = data / "extraction" / "aeb" / "html"
    files = sorted(html_dir.glob("*.html.gz"))[:count]
    if len(files) < count:
        raise SystemExit(f"Need {count} pages in {html_dir} (pass --data PATH).")
    pages = [gzip.decompress(file.read_bytes()) for file in files]
    runner = web.AppRunner(article_server(pages), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    article_port = runner.addresses[0][1]

    async with FakeSlack() as fake, aiohttp.ClientSession() as session:
        bot = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--bot", fake.api_url,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert bot.stdin is not None and bot.stdout is not None
        ready = (await asyncio.wait_for(bot.stdout.readline(), 60)).decode().split()
        sender = Sender(session, f"http://127.0.0.1:{ready[1]}/slack/events", fake)
        try:
            # Warm-up burst (not measured): opens the client's connections, as Slack keeps them.
            await asyncio.gather(*(sender.command("help", f"w{n}") for n in range(count)))
            await fake.wait_until(lambda: len(fake.responses) >= count, 30)

            help_acks = await asyncio.gather(
                *(sender.command("help", f"h{n}") for n in range(count))
            )
            await fake.wait_until(lambda: len(fake.responses) >= 2 * count, 30)

            keys = [f"s{n}" for n in range(count)]
            urls = [f"http://127.0.0.1:{article_port}/article/{n}.html" for n in range(count)]
            burst = asyncio.gather(
                *(
                    sender.command(f"summarize {url}", key)
                    for url, key in zip(urls, keys, strict=True)
                )
            )
            summarize_acks = await burst
            loaded_acks = []
            for n in range(count):  # one at a time, while the summaries are being computed
                loaded_acks.append(await sender.command("help", f"l{n}"))
            await fake.wait_until(lambda: all(fake.responses_to(k) for k in keys), 300)

            shown = [k for k in keys if buttons(fake.responses_to(k)[0].body)]
            presses = [f"b{k}" for k in shown]
            press_acks = await asyncio.gather(
                *(
                    sender.press(fake.responses_to(k)[0].body, p, f"U0READER{n}")
                    for n, (k, p) in enumerate(zip(shown, presses, strict=True))
                )
            )
            await fake.wait_until(lambda: all(fake.responses_to(p) for p in presses), 300)
        finally:
            bot.stdin.close()
            await asyncio.wait_for(bot.wait(), 60)
    await runner.cleanup()

    posts = {key: fake.responses_to(key)[0] for key in keys}
    to_summary = [(posts[k].at - sender.sent_at[k]) * 1000 for k in keys]
    summaries = [k for k in keys if posts[k].body.get("response_type") == "in_channel"]
    busy_until = max(posts[k].at for k in keys)
    under_load = sum(1 for n in range(count) if sender.sent_at[f"l{n}"] < busy_until)

    print(f"Slack ack latency, {count} concurrent signed slash commands (bot in its own process)")
    print(line("reference: help (trivial), concurrent", help_acks))
    print(line("summarize <article>, concurrent", summarize_acks))
    print(line(f"help, one by one, during the summaries ({under_load}/{count})", loaded_acks))
    print(line("summarize: time until the summary is posted", to_summary))
    print(
        f"summaries posted: {len(summaries)}/{count} "
        f"(others answered with a one-sentence ephemeral failure: "
        f"{sorted({posts[k].body['text'] for k in keys if k not in summaries})[:3]})"
    )
    to_figures = [(fake.responses_to(p)[0].at - sender.sent_at[p]) * 1000 for p in presses]
    if presses:
        print(line(f"Figures button, concurrent ({len(presses)} summaries)", press_acks))
        print(line("Figures button: time until the answer is posted", to_figures))
        texts = [fake.responses_to(p)[0].body["text"] for p in presses]
        listed = sum(" key figures in " in text or "no key figures" in text for text in texts)
        print(f"Figures answers (a list, or 'no key figures'): {listed}/{len(presses)}")
        button_ratio = percentile(press_acks, 99) / percentile(help_acks, 99)
        print(f"ack p99, Figures button / help reference: {button_ratio:.2f}x")
    ratio = percentile(summarize_acks, 99) / percentile(help_acks, 99)
    worst = max(
        percentile(summarize_acks, 99),
        percentile(loaded_acks, 99),
        percentile(press_acks, 99) if presses else 0.0,
    )
    verdict = "met" if worst < ACK_TARGET_MS else "MISSED"
    print(f"ack p99, summarize / help reference: {ratio:.2f}x")
    print(f"worst ack p99 {worst:.1f} ms: target {ACK_TARGET_MS:.0f} ms {verdict} (Slack: 3000 ms)")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--bot":
        asyncio.run(run_bot(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_data_argument(parser)
    parser.add_argument("--count", type=int, default=50, help="concurrent commands (default 50)")
    args = parser.parse_args()
    asyncio.run(benchmark(args.data, args.count))


if __name__ == "__main__":
    main()
