"""Replicas in one process: scheduling from the database, the leader lease, shared limits and
Slack event claims, each with two stores open on one database (both backends)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest
from store_fixtures import Opener

from adapters.slack.handlers import SlackHandlers
from bot.chat.limits.ratelimit import Rate, RateLimitedError
from bot.chat.limits.shared import SharedSummarizeLimits
from bot.chat.requests import Caller
from bot.digests.leases import LeaderLease
from bot.digests.scheduler import POLL_JOB_ID, DigestScheduler, job_id
from bot.store import Store, Subscription


class Recorder:
    """A digest job (or a poll) that records its calls and says when one came."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, date] | str] = []
        self.called = asyncio.Event()

    async def digest(self, subscription: Subscription, day: date) -> None:
        self.calls.append((subscription.channel, day))
        self.called.set()

    async def poll(self) -> None:
        self.calls.append("poll")
        self.called.set()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def two(open_backend: Opener, clock: Any = None) -> tuple[Store, Store]:
    if clock is None:
        return await open_backend(), await open_backend()
    return await open_backend(clock=clock), await open_backend(clock=clock)


async def test_a_subscription_made_elsewhere_is_scheduled_changed_and_dropped_by_sync(
    open_backend: Opener,
) -> None:
    other, ours = await two(open_backend)
    scheduler = DigestScheduler(ours, Recorder().digest)
    await scheduler.start()
    try:
        sub = await other.subscribe(Subscription("slack", "C1", "migration", "07:00", "UTC"))
        assert scheduler.next_run(sub) is None
        await scheduler.sync()
        first = scheduler.next_run(sub)
        assert first is not None and (first.hour, first.minute) == (7, 0)
        moved = await other.subscribe(replace(sub, local_time="18:30", timezone="Europe/Madrid"))
        await scheduler.sync()
        later = scheduler.next_run(moved)
        assert later is not None and later.astimezone(UTC).hour in (16, 17)  # 18:30 in Madrid
        await other.unsubscribe("slack", "C1", "migration")
        await scheduler.sync()
        assert scheduler.next_run(sub) is None
        assert job_id(sub) not in {job.id for job in scheduler._scheduler.get_jobs()}
    finally:
        await scheduler.shutdown(grace_s=1)
        await other.aclose()
        await ours.aclose()


async def test_a_digest_due_before_this_replica_knew_it_is_sent_at_the_next_sync(
    open_backend: Opener,
) -> None:
    other, ours = await two(open_backend)
    clock = Clock(datetime.now(UTC) - timedelta(minutes=2))  # our last sync: 2 minutes ago
    recorder = Recorder()
    scheduler = DigestScheduler(ours, recorder.digest, clock=clock)
    await scheduler.start()
    try:
        clock.now = datetime.now(UTC)
        due = f"{clock.now:%H:%M}"  # this minute: after our last sync, at or before now
        long_ago = f"{clock.now - timedelta(hours=3):%H:%M}"  # owed, but due before our sync
        await other.subscribe(Subscription("slack", "due", "migration", due, "UTC"))
        await other.subscribe(Subscription("slack", "old", "migration", long_ago, "UTC"))
        await scheduler.sync()
        await asyncio.wait_for(recorder.called.wait(), 10)
        await scheduler.sync()  # known now: not sent again
        await asyncio.sleep(0.2)
        assert recorder.calls == [("due", clock.now.date())]
    finally:
        await scheduler.shutdown(grace_s=1)
        await other.aclose()
        await ours.aclose()


async def test_the_leader_lease_moves_only_when_the_holder_stops_renewing(
    open_backend: Opener,
) -> None:
    t0 = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    clock = Clock(t0)
    seconds = [0.0]
    first, second = await two(open_backend, clock)
    a = LeaderLease(first, holder="a", monotonic=lambda: seconds[0])
    b = LeaderLease(second, holder="b", monotonic=lambda: seconds[0])
    try:
        assert await a.refresh() and a.held
        assert not await b.refresh() and not b.held
        clock.now, seconds[0] = t0 + timedelta(seconds=20), 20.0
        assert not await a.refresh() and a.held  # renewed, not newly taken
        clock.now, seconds[0] = t0 + timedelta(seconds=64), 64.0  # a: last renewed at 20 s
        assert not await b.refresh()
        assert a.held  # by a's own count its lease runs to 65 s
        clock.now, seconds[0] = t0 + timedelta(seconds=66), 66.0
        assert not a.held  # a stopped renewing (say it hung): it no longer counts itself leader
        assert await b.refresh() and b.held
        assert not await a.refresh() and not a.held
        with pytest.raises(ValueError):
            LeaderLease(first, ttl=timedelta(seconds=10), renew=timedelta(seconds=10))
    finally:
        await first.aclose()
        await second.aclose()


async def test_only_the_lease_holder_polls_and_a_new_holder_polls_at_once(
    open_backend: Opener,
) -> None:
    first, ours = await two(open_backend)
    holder = LeaderLease(first, holder="a")
    assert await holder.refresh()
    recorder = Recorder()
    lease = LeaderLease(ours, holder="b", ttl=timedelta(seconds=3), renew=timedelta(seconds=0.5))
    scheduler = DigestScheduler(
        ours, recorder.digest, recorder.poll, poll_interval=timedelta(hours=1), leader=lease
    )
    await scheduler.start()
    try:
        await asyncio.sleep(1.5)  # the poll job ran at start, and the lease job thrice
        assert recorder.calls == [] and not lease.held
        await holder.release()  # a shuts down
        await asyncio.wait_for(recorder.called.wait(), 10)
        assert recorder.calls == ["poll"] and lease.held
        job = scheduler._scheduler.get_job(POLL_JOB_ID)
        assert job is not None and job.next_run_time > datetime.now(UTC) + timedelta(minutes=59)
    finally:
        await scheduler.shutdown(grace_s=1)
        assert await ours.lease_holder(lease.name) is None  # released at shutdown
        await first.aclose()
        await ours.aclose()


async def test_rate_limits_are_counted_across_replicas(open_backend: Opener) -> None:
    stores = await two(open_backend)
    limits = [SharedSummarizeLimits(store, Rate(2, 60.0), Rate(3, 60.0)) for store in stores]
    editor, other, third = (Caller("slack", "C1", user) for user in ("U1", "U2", "U3"))
    try:
        await limits[0].acheck(editor)
        await limits[1].acheck(editor)
        for replica in limits:  # two summaries in a minute, wherever they were asked
            with pytest.raises(RateLimitedError, match="You're summarizing a lot"):
                await replica.acheck(editor)
        await limits[1].acheck(other)  # the channel's third
        with pytest.raises(RateLimitedError, match="This channel is asking"):
            await limits[0].acheck(third)
        await limits[0].acheck(Caller("slack", "C2", "U3"))  # another channel is not limited
        # The refusal in C1 counted nothing: U3 has had one summary (in C2), so one more.
        await limits[1].acheck(Caller("slack", "C3", "U3"))
        with pytest.raises(RateLimitedError, match="You're summarizing a lot"):
            await limits[1].acheck(Caller("slack", "C4", "U3"))
    finally:
        for store in stores:
            await store.aclose()


async def test_a_slack_event_is_handled_by_one_replica(open_backend: Opener) -> None:
    stores = await two(open_backend)
    outbox = SimpleNamespace(client=None)
    handlers = [
        SlackHandlers(cast(Any, SimpleNamespace(store=store)), cast(Any, outbox), bot_user_id=None)
        for store in stores
    ]
    try:
        firsts = await asyncio.gather(*(h._first_delivery("Ev1") for h in handlers))
        assert sorted(firsts) == [False, True]
        assert not await handlers[0]._first_delivery("Ev1")
        assert not await handlers[1]._first_delivery("Ev1")
        assert await handlers[1]._first_delivery("Ev2")
        assert await handlers[0]._first_delivery(None)
    finally:
        for store in stores:
            await store.aclose()
