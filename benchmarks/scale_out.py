"""Replicas on one database: 2,000 digests due at one minute; SQLite, 1 and 3 PostgreSQL replicas.

Run from the project root:
    .venv/bin/python benchmarks/scale_out.py [--dsn postgresql://...] [--subscriptions 2000]

Each replica is a process (tests/replica_child.py: the real DigestScheduler with its cron jobs,
subscription sync and leader lease, and the real DigestDelivery with claims and leases) posting
to a fake platform served here with a fixed latency per post (tests/platform_fake.py). Articles
are stored beforehand and the digest builder is the small one of tests/delivery_child.py, so
this measures the delivery machinery, not fetching or summarizing. Without --dsn a throwaway
PostgreSQL server is started (tests/pgserver.py; Debian's postgresql package must be installed).

Printed per run: seconds from the due minute to the last digest posted and to the last one
logged as sent, duplicates and misses (exactly once), CPU seconds and peak RSS of each replica
(its own getrusage, whole life), and peak PostgreSQL connections (pg_stat_activity, sampled
every 0.2 s). Ratios are against the SQLite run of the same invocation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import asyncpg  # noqa: E402
from aiohttp import web  # noqa: E402
from delivery_child import SEED_ARTICLES, seed_articles  # noqa: E402
from platform_fake import FakePlatform  # noqa: E402

from bot.store import Subscription, open_store  # noqa: E402

CHILD = ROOT / "tests" / "replica_child.py"
START_MARGIN_S = 20  # replicas start, read and schedule every subscription before the minute


class TimedPlatform(FakePlatform):
    """The fake platform, noting when each post arrived (wall clock)."""

    def __init__(self, latency_s: float) -> None:
        super().__init__()
        self.answer_delay_s = latency_s
        self.arrivals: list[float] = []

    async def _post(self, request: web.Request) -> web.Response:
        self.arrivals.append(time.time())
        return await super()._post(request)


@dataclass
class Result:
    name: str
    replicas: int
    last_post_s: float
    all_sent_s: float
    duplicates: int
    misses: int
    cpu_s: list[float]
    rss_mb: list[float]
    connections: int | None


def due_minute() -> datetime:
    start = datetime.now(UTC) + timedelta(seconds=START_MARGIN_S)
    return start.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def seed(database: str, args: argparse.Namespace, due: datetime) -> list[str]:
    channels = [f"C{n:05d}" for n in range(args.subscriptions)]
    async with await open_store(database) as store:
        await seed_articles(store, SEED_ARTICLES)
        for n, channel in enumerate(channels):
            tenant = f"slack:T{n % args.tenants:03d}"
            await store.subscribe(
                Subscription("slack", channel, "migration", f"{due:%H:%M}", "UTC", tenant=tenant)
            )
    return channels


async def logged_sent(database: str, postgres: bool) -> int:
    """Deliveries logged as sent (one short connection, so it barely shows in the peak)."""
    query = "SELECT count(*) FROM deliveries WHERE state = 'sent'"
    if postgres:
        conn = await asyncpg.connect(database)
        try:
            return int(await conn.fetchval(query))
        finally:
            await conn.close()
    with sqlite3.connect(database) as conn:
        return int(conn.execute(query).fetchone()[0])


async def count_connections(admin_dsn: str, database: str, peak: list[int]) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        while True:
            used = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", database
            )
            peak[0] = max(peak[0], int(used))
            await asyncio.sleep(0.2)
    finally:
        await conn.close()


async def run_case(
    name: str, database: str, replicas: int, args: argparse.Namespace, admin: str | None
) -> Result:
    due = due_minute()
    channels = await seed(database, args, due)
    peak = [0]
    async with TimedPlatform(args.latency_ms / 1000) as platform:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        # The production timings: delivery lease 60 s, leader 45/20 s, sync 45 s, retry 60 s.
        options = "--lease 60 --leader-ttl 45 --renew 20 --sync 45 --poll 900 --retry 60"
        children = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                str(CHILD),
                database,
                platform.url,
                f"r{i}",
                *options.split(),
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.PIPE,
            )
            for i in range(replicas)
        ]
        monitor = None
        if admin is not None:
            db_name = urlsplit(database).path.lstrip("/")
            monitor = asyncio.create_task(count_connections(admin, db_name, peak))
        while True:  # until every digest is logged as sent (or the time is up)
            await asyncio.sleep(0.5)
            late = time.time() > due.timestamp() + args.timeout
            if len(platform.arrivals) < len(channels) and not late:
                continue
            pending = len(channels) - await logged_sent(database, admin is not None)
            if pending == 0:
                break
            if time.time() > due.timestamp() + args.timeout:
                print(f"{name}: timed out with {pending} not logged as sent", file=sys.stderr)
                break
        all_sent = time.time() - due.timestamp()
        if monitor is not None:
            monitor.cancel()
        usage: list[tuple[float, float]] = []
        for child in children:
            child.send_signal(signal.SIGTERM)
            out, _ = await child.communicate()
            line = [x for x in out.decode().splitlines() if x.startswith("usage ")]
            cpu, rss = line[-1].split()[1:] if line else ("nan", "nan")
            usage.append((float(cpu), float(rss) / 1024))
        counts = Counter(message.channel for message in platform.messages)
    return Result(
        name,
        replicas,
        max(platform.arrivals, default=due.timestamp()) - due.timestamp(),
        all_sent,
        sum(c - 1 for c in counts.values() if c > 1),
        sum(1 for channel in channels if counts[channel] == 0),
        [cpu for cpu, _ in usage],
        [rss for _, rss in usage],
        peak[0] if admin is not None else None,
    )


async def main(args: argparse.Namespace) -> None:
    server = None
    if args.dsn is None:
        from pgserver import PgServer

        server = PgServer().start()
        admin = server.dsn()
    else:
        admin = args.dsn
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            results.append(await run_case("sqlite", f"{folder}/n.db", 1, args, None))
        for replicas in args.replicas:
            name = f"bench_{uuid.uuid4().hex[:10]}"
            conn = await asyncpg.connect(admin)
            await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.close()
            dsn = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
            try:
                results.append(await run_case("postgres", dsn, replicas, args, admin))
            finally:
                conn = await asyncpg.connect(admin)
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await conn.close()
    finally:
        if server is not None:
            server.stop()
    report(results, args)


def report(results: list[Result], args: argparse.Namespace) -> None:
    print(
        f"scale_out: {args.tenants} tenants, {args.subscriptions} subscriptions due at one "
        f"minute, {args.latency_ms:g} ms per post, {os.cpu_count()} CPUs"
    )
    print(
        f"{'run':<10} {'replicas':>8} {'last post s':>11} {'all sent s':>10} {'dup':>4} "
        f"{'miss':>4} {'CPU s each':>16} {'RSS MB each':>18} {'DB conns':>8}"
    )
    for r in results:
        cpu = "/".join(f"{c:.1f}" for c in r.cpu_s)
        rss = "/".join(f"{m:.0f}" for m in r.rss_mb)
        conns = "-" if r.connections is None else str(r.connections)
        print(
            f"{r.name:<10} {r.replicas:>8} {r.last_post_s:>11.1f} {r.all_sent_s:>10.1f} "
            f"{r.duplicates:>4} {r.misses:>4} {cpu:>16} {rss:>18} {conns:>8}"
        )
    base = results[0]
    for r in results[1:]:
        print(
            f"{r.name} x{r.replicas} vs sqlite: last post x{r.last_post_s / base.last_post_s:.2f}, "
            f"all sent x{r.all_sent_s / base.all_sent_s:.2f}, "
            f"CPU total x{sum(r.cpu_s) / sum(base.cpu_s):.2f}"
        )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="an existing server's database (we create others beside)")
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--subscriptions", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=20.0, help="per post, at the fake")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds after the minute")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
