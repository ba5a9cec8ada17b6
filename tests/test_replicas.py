"""Three `run` replicas on one PostgreSQL database, one SIGKILLed mid-digest (issue 15, item 2).

Each replica is a process (tests/replica_child.py) running the real scheduler, delivery and
leader lease against the database of ``pg_dsn``, posting to one fake platform served here. The
50 subscriptions were made by none of them (written to the database before they start, as a
`subscribe` handled by a replica that is gone since), all due in the current minute, so each
replica's start-up schedules them from the database and sends the ones it can claim.

The first replica starts alone, becomes the poller and stops for good right after the platform
answered its first digest, before logging it as sent. The others start, race for the other
digests, and the first is SIGKILLed: its claim must run out and be taken over (the platform is
asked first, so nothing is posted twice), and its leader lease must move to a survivor, which
then polls. Every channel must end with exactly one digest.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from delivery_child import PLATFORM, TOPIC, day_articles, seed_articles
from platform_fake import FakePlatform

from bot.digests.scheduler import last_fire_time
from bot.store import Subscription, delivery_key, open_store
from bot.store.records.leases import POLLER_LEASE

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).with_name("replica_child.py")
CHANNELS = tuple(f"c{n:02d}" for n in range(50))
# Generous: on a loaded machine a child takes seconds to start; only a hang reaches these.
STEP_TIMEOUT_S = 60.0
SETTLE_TIMEOUT_S = 90.0
# Leader lease for the children: long enough that a busy child's late renewal keeps it.
LEADER = ("--leader-ttl", "6", "--renew", "1")


class Replica:
    """A child process and the lines it printed so far."""

    def __init__(self, name: str, process: asyncio.subprocess.Process) -> None:
        self.name = name
        self.process = process
        self.lines: list[str] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def launch(cls, dsn: str, url: str, name: str, stderr: Path, *extra: str) -> Replica:
        with stderr.open("ab") as errors:
            process = await asyncio.create_subprocess_exec(
                sys.executable, str(CHILD), dsn, url, name, *extra,
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=asyncio.subprocess.PIPE, stderr=errors,
            )  # fmt: skip
        replica = cls(name, process)
        await replica.wait_for(lambda line: line == "ready", stderr)
        return replica

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode().strip())
            self._changed.set()
        self._changed.set()

    async def wait_for(self, wanted: object, stderr: Path) -> str:
        async def found() -> str:
            while True:
                for line in self.lines:
                    if wanted(line):  # type: ignore[operator]
                        return line
                if self._reader.done():
                    raise AssertionError(
                        f"{self.name} ended early: {self.lines} {stderr.read_text()[-3000:]}"
                    )
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(found(), STEP_TIMEOUT_S)

    async def stop(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), STEP_TIMEOUT_S)
        finally:
            if self.process.returncode is None:
                self.process.kill()
                await self.process.wait()
            await self._reader


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The shared database: PostgreSQL (skipped without a server), or one SQLite file, whose
    leases and claims take the same code path (not how SQLite is deployed: see docs/scaling.md)."""
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_dsn"))
    return str(tmp_path / "newsbrief.db")


async def test_three_replicas_one_killed_mid_digest_send_each_digest_once_and_keep_polling(
    database: str, tmp_path: Path
) -> None:
    pg_dsn = database
    stderr = tmp_path / "replicas-stderr.txt"
    now = datetime.now(UTC)
    due = f"{now:%H:%M}"
    async with await open_store(pg_dsn) as store:
        await seed_articles(store, day_articles(now.date()))
        for channel in CHANNELS:
            await store.subscribe(Subscription(PLATFORM, channel, TOPIC, due, "UTC"))
    day = last_fire_time(Subscription(PLATFORM, "c00", TOPIC, due, "UTC"), now).date()
    replicas: list[Replica] = []
    async with FakePlatform() as platform:
        try:
            first = await Replica.launch(
                pg_dsn, platform.url, "r0", stderr, "--hold", "answered:1", *LEADER
            )
            replicas.append(first)
            held = await first.wait_for(lambda line: line.startswith("hold answered"), stderr)
            held_channel = held.split()[-1]
            await first.wait_for(lambda line: line == "poll r0", stderr)  # alone: the poller
            for name in ("r1", "r2"):
                replicas.append(await Replica.launch(pg_dsn, platform.url, name, stderr, *LEADER))
            first.process.send_signal(signal.SIGKILL)  # mid-digest: posted, not logged as sent
            assert await first.process.wait() == -signal.SIGKILL
            polls_before = {r.name: r.lines.count(f"poll {r.name}") for r in replicas[1:]}
            keys = {channel: delivery_key(PLATFORM, channel, TOPIC, day) for channel in CHANNELS}

            async def settled() -> str:
                async with await open_store(pg_dsn) as store:
                    while True:
                        rows = [await store.get_delivery(key) for key in keys.values()]
                        holder = await store.lease_holder(POLLER_LEASE)
                        polled = [
                            r.name
                            for r in replicas[1:]
                            if r.lines.count(f"poll {r.name}") > polls_before[r.name]
                        ]
                        if all(row and row.state == "sent" for row in rows) and holder in polled:
                            return holder
                        await asyncio.sleep(0.2)

            new_leader = await asyncio.wait_for(settled(), SETTLE_TIMEOUT_S)
        finally:
            for replica in replicas:
                await replica.stop()

        per_channel = Counter(message.channel for message in platform.messages)
        assert per_channel == Counter(dict.fromkeys(CHANNELS, 1)), per_channel
        assert {m.delivery_key for m in platform.messages} == set(keys.values())
    assert new_leader in ("r1", "r2")
    survivors = [line for r in replicas[1:] for line in r.lines]
    assert f"sent {held_channel} found already posted" in survivors  # taken over, not reposted
    assert all(r.lines[-1] == "done" for r in replicas[1:])
    async with await open_store(pg_dsn) as store:
        held_row = await store.get_delivery(keys[held_channel])
        assert held_row is not None and held_row.attempts == 2
        posted = platform.messages_for(keys[held_channel])
        assert held_row.message_ref == posted[0].ref
