"""A digest over 20 locally served feeds with 500 items: wall time and peak memory.

Run from the project root:
    .venv/bin/python benchmarks/digest_scale.py [--data ../shared/data]

The feeds are built from real articles in ../shared/data: the migration stories of the BBC
and CNN/DailyMail sets (each reported by 3-4 "outlets", some through tracking-parameter
variants of the URL), and off-topic items that are real web pages (the article-extraction
benchmark) or BBC/CNN texts. A server process serves them on 127.0.0.1, and
`newsbrief digest --dry-run` runs as a user would run it, in its own process.
Baseline, same run: plain aiohttp GETs of the same feeds and on-topic pages (the network floor).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import html
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import trafilatura
from aiohttp import web

from benchmarks._data import add_data_argument, data_file, read_jsonl
from bot.digests.topics import load_profile

FEEDS, ITEMS_PER_FEED = 20, 25
NOW = datetime.now(UTC).replace(microsecond=0)


def page(title: str, text: str, outlet: str, published: datetime) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f'</title><meta property="og:site_name" content="{outlet}"><meta property='
        f'"article:published_time" content="{published.isoformat()}"></head><body><nav>Home'
        f"</nav><article><h1>{html.escape(title)}</h1>{body}</article><footer>Share</footer>"
        "</body></html>"
    ).encode()


def build_site(data: Path) -> tuple[dict[str, tuple[bytes, str]], list[str], list[str]]:
    """Paths -> (body, content type); feed paths; on-topic page paths."""
    rng = random.Random(7)
    profile = load_profile("migration")
    on_topic, off_topic = [], []
    for row in read_jsonl(data_file(data, "summaries/bbc-dev.jsonl.gz")):
        title, text = row["title"], row["text"].split("\n", 1)[-1]
        (on_topic if profile.score(title, text).is_match else off_topic).append((title, text))
    for row in read_jsonl(data_file(data, "summaries/cnndm-dev.jsonl.gz")):
        text = row["article"]
        title = text.split(".")[0][:90]
        (on_topic if profile.score(title, text).is_match else off_topic).append((title, text))
    aeb = sorted((data / "extraction/aeb/html").glob("*.html.gz"))
    truth = json.loads(data_file(data, "extraction/aeb/ground-truth.json").read_text())

    routes: dict[str, tuple[bytes, str]] = {}
    entries: list[tuple[str, str, str, datetime]] = []  # path, title, summary, published
    on_paths: list[str] = []
    for number, (title, text) in enumerate(on_topic):
        paragraphs = [p for p in text.split("\n") if p.strip()]
        for outlet in range(rng.randint(3, 4)):  # the same story from several outlets
            published = NOW - timedelta(hours=rng.uniform(1, 20))
            path = f"/o{outlet}/migration-{number}"
            # Each outlet's version leaves out a different later paragraph: same event, not
            # the same text (identical copies would rightly count as one article).
            version = [p for i, p in enumerate(paragraphs) if i == 0 or i % 4 != outlet]
            body = page(title, "\n".join(version), f"Outlet {outlet}", published)
            routes[path] = (body, "text/html")
            query = "?utm_source=rss&utm_medium=feed" if outlet == 3 else ""
            entries.append((path + query, title, text[:400], published))
            on_paths.append(path)
    for number, html_file in enumerate(aeb):
        path = f"/web/{number}"
        routes[path] = (gzip.decompress(html_file.read_bytes()), "text/html; charset=utf-8")
        key = html_file.name.removesuffix(".html.gz")
        body = truth.get(key, {}).get("articleBody", "")
        entries.append(
            (
                path,
                body.split(".")[0][:90] or f"Page {number}",
                body[:400],
                NOW - timedelta(hours=rng.uniform(1, 20)),
            )
        )
    for number, (title, text) in enumerate(off_topic):
        if len(entries) >= FEEDS * ITEMS_PER_FEED:
            break
        published = NOW - timedelta(hours=rng.uniform(1, 20))
        path = f"/news/{number}"
        routes[path] = (page(title, text, "Daily Other", published), "text/html")
        entries.append((path, title, text[:400], published))
    entries = entries[: FEEDS * ITEMS_PER_FEED]
    rng.shuffle(entries)
    feeds = []
    for feed in range(FEEDS):
        chunk = entries[feed * ITEMS_PER_FEED : (feed + 1) * ITEMS_PER_FEED]
        items = "".join(
            f"<item><title>{html.escape(t)}</title><link>{{base}}{html.escape(p)}</link>"
            f"<guid>{feed}-{i}</guid><pubDate>{format_datetime(d)}</pubDate>"
            f"<description>{html.escape(s)}</description></item>"
            for i, (p, t, s, d) in enumerate(chunk)
        )
        routes[f"/feed/{feed}.xml"] = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed '
            f"{feed}</title><link>{{base}}/</link><description>x</description>{items}"
            "</channel></rss>".encode(),
            "application/rss+xml",
        )
        feeds.append(f"/feed/{feed}.xml")
    return routes, feeds, on_paths


def serve(routes: dict[str, tuple[bytes, str]], port_queue: multiprocessing.Queue) -> None:
    async def handler(request: web.Request) -> web.Response:
        body, kind = routes[request.path]
        base = f"http://127.0.0.1:{request.url.port}".encode()
        return web.Response(
            body=body.replace(b"{base}", base), content_type=None, headers={"Content-Type": kind}
        )

    async def main() -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_queue.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


def extraction_floor(routes: dict[str, tuple[bytes, str]], paths: list[str]) -> float:
    """Seconds for trafilatura's default extract() alone on the on-topic pages."""
    start = time.perf_counter()
    for path in paths:
        trafilatura.extract(routes[path][0])
    return time.perf_counter() - start


async def fetch_floor(base: str, paths: list[str]) -> float:
    start = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        semaphore = asyncio.Semaphore(8)

        async def get(path: str) -> None:
            async with semaphore, session.get(base + path) as response:
                await response.read()

        await asyncio.gather(*(get(path) for path in paths))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    args = parser.parse_args()
    routes, feeds, on_paths = build_site(args.data)
    items = sum(body.count(b"<item>") for path, (body, _) in routes.items() if path in feeds)
    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(routes, ports), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=30)}"
    try:
        floor = asyncio.run(fetch_floor(base, feeds + on_paths))
        extract_floor = extraction_floor(routes, on_paths)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as feed_file:
            feed_file.write("\n".join(base + path for path in feeds) + "\n")
        env = {**os.environ, "NEWSBRIEF_ALLOW_PRIVATE_NETWORKS": "1", "NEWSBRIEF_DB": "/dev/null"}
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "adapters.cli",
                "digest",
                "--dry-run",
                "--feeds",
                feed_file.name,
                "--since",
                "24h",
                "--format",
                "json",
            ],
            capture_output=True,
            env=env,
            check=True,
        )
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        server.terminate()
    digest = json.loads(done.stdout)
    stories = digest["stories"]
    stories_served = len({path.rsplit("-", 1)[1] for path in on_paths})
    print(
        f"{len(feeds)} feeds, {items} items ({stories_served} migration stories told by "
        f"{len(on_paths)} outlet pages), served on 127.0.0.1"
    )
    print(
        f"newsbrief digest --dry-run: {wall:.2f} s wall, peak RSS {peak_mb:.0f} MB "
        f"(targets: 10 s, 300 MB)"
    )
    print(
        f"baselines, same run: plain aiohttp GET of the feeds and on-topic pages {floor:.2f} s; "
        f"trafilatura.extract() alone on the on-topic pages {extract_floor:.2f} s; "
        f"digest / (GET + extract) = {wall / (floor + extract_floor):.1f}x"
    )
    print(
        f"digest: {len(stories)} stories shown, {digest['more_stories']} more; outlets per "
        f"story: {[len(s['articles']) for s in stories]}; feeds failed: "
        f"{len(digest['feeds_failed'])}"
    )


if __name__ == "__main__":
    main()
