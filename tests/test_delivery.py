"""Scheduled digest delivery: retries after a failed post, and shutdown with a digest in flight.

Real APScheduler, a real store and ``DigestDelivery``, posting over HTTP to the fake platform.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from delivery_child import StoreDigestBuilder, seed_articles
from platform_fake import FakePlatform, PlatformSink

from bot.digests.delivery import DigestDelivery
from bot.digests.scheduler import DigestScheduler, job_id, last_fire_time
from bot.store import Delivery, Store, Subscription, delivery_key, open_store

MADRID = ZoneInfo("Europe/Madrid")
DAY = date(2026, 6, 10)
# Wall-clock bounds only a real regression crosses: a digest stuck for STUCK_S is cut off at a
# 0.3 s grace, so a shutdown still running after GENEROUS_S waited for the stuck digest.
STUCK_S = 60.0
GENEROUS_S = 20.0


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "newsbrief.db") as opened:
        await seed_articles(opened)
        yield opened


@pytest.fixture
async def platform() -> AsyncIterator[FakePlatform]:
    async with FakePlatform() as fake:
        yield fake


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def madrid(hh_mm: str) -> datetime:
    return datetime.combine(DAY, datetime.strptime(hh_mm, "%H:%M").time(), tzinfo=MADRID)


async def wait_until(condition: Callable[[], bool | Awaitable[bool]], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if await result if isinstance(result, Awaitable) else result:
            return
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


def fire_now(scheduler: DigestScheduler, sub: Subscription) -> None:
    """Make the subscription's cron job due now, as if its local time had come."""
    scheduler._scheduler.modify_job(job_id(sub), next_run_time=datetime.now(UTC))


def retry_jobs(scheduler: DigestScheduler) -> list[str]:
    return [job.id for job in scheduler._scheduler.get_jobs() if job.id.startswith("retry:")]


def delivery_for(store: Store, platform: FakePlatform, session: aiohttp.ClientSession,
                 builder: StoreDigestBuilder | None = None) -> DigestDelivery:  # fmt: skip
    sink = PlatformSink(platform.url, session)
    return DigestDelivery(store, builder or StoreDigestBuilder(store), {"slack": sink})


async def row(store: Store, key: str) -> Delivery:
    found = await store.get_delivery(key)
    assert found is not None
    return found


async def test_a_failed_post_is_retried_and_then_posted_exactly_once(
    store: Store, platform: FakePlatform, session: aiohttp.ClientSession
) -> None:
    # Due a minute ago on the real clock, so the start-up catch-up runs it at once.
    a_minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    sub = await store.subscribe(Subscription("slack", "c1", local_time=f"{a_minute_ago:%H:%M}"))
    day = last_fire_time(sub, datetime.now(UTC)).date()
    key = delivery_key("slack", "c1", "migration", day)
    platform.fail_next_posts(1)
    scheduler = DigestScheduler(
        store, delivery_for(store, platform, session).deliver, retry_delays=[timedelta(seconds=0.3)]
    )
    await scheduler.start()
    try:
        failed = await row(store, key)
        assert (failed.state, failed.attempts) == ("failed", 1)
        assert "503" in (failed.last_error or "")
        assert retry_jobs(scheduler) == [f"retry:{job_id(sub)}:{day}"]

        await wait_until(lambda: _is_sent(store, key))
        sent = await row(store, key)
        [message] = platform.messages
        assert (message.delivery_key, sent.message_ref, sent.attempts) == (key, message.ref, 2)
        assert platform.posts_received == 2
        assert platform.lookups == [("c1", key)]  # the retry looked for an earlier post first
        assert retry_jobs(scheduler) == []
    finally:
        await scheduler.shutdown(grace_s=1)


async def _is_sent(store: Store, key: str) -> bool:
    found = await store.get_delivery(key)
    return found is not None and found.state == "sent"


async def test_a_digest_that_keeps_failing_is_given_up_after_the_last_retry(
    store: Store, platform: FakePlatform, session: aiohttp.ClientSession
) -> None:
    a_minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    sub = await store.subscribe(Subscription("slack", "c1", local_time=f"{a_minute_ago:%H:%M}"))
    key = delivery_key("slack", "c1", "migration", last_fire_time(sub, datetime.now(UTC)).date())
    platform.fail_next_posts(100)
    delays = [timedelta(seconds=0.1)] * 2
    scheduler = DigestScheduler(
        store, delivery_for(store, platform, session).deliver, retry_delays=delays
    )
    await scheduler.start()
    try:
        await wait_until(lambda: platform.posts_received == 3)
        await asyncio.sleep(0.4)
        failed = await row(store, key)
        assert (failed.state, failed.attempts, platform.posts_received) == ("failed", 3, 3)
        assert retry_jobs(scheduler) == []
        assert platform.messages == []
    finally:
        await scheduler.shutdown(grace_s=1)


async def test_shutdown_lets_a_digest_in_flight_finish_within_the_grace(
    store: Store, platform: FakePlatform, session: aiohttp.ClientSession
) -> None:
    sub = await store.subscribe(Subscription("slack", "c1", timezone="Europe/Madrid"))
    key = delivery_key("slack", "c1", "migration", DAY)
    clock = Clock(madrid("06:59"))
    scheduler = DigestScheduler(store, delivery_for(store, platform, session).deliver, clock=clock)
    await scheduler.start()  # nothing to catch up yet
    platform.hold_post()  # the post arrives; its answer waits for release()
    clock.now = madrid("07:00")
    fire_now(scheduler, sub)
    await wait_until(lambda: platform.posts_received == 1)

    shutting_down = asyncio.create_task(scheduler.shutdown(grace_s=GENEROUS_S * 2))
    await asyncio.sleep(0.3)
    assert not shutting_down.done()  # it waits for the answer...
    platform.release()
    await asyncio.wait_for(shutting_down, GENEROUS_S)  # ...not for the whole grace
    sent = await row(store, key)
    assert (sent.state, sent.message_ref) == ("sent", platform.messages[0].ref)
    assert len(platform.messages) == 1


@pytest.mark.parametrize("stuck_in", ["the platform's answer", "building the digest"])
async def test_a_digest_outlasting_the_grace_stays_pending_and_the_next_start_completes_it(
    store: Store, platform: FakePlatform, session: aiohttp.ClientSession, stuck_in: str
) -> None:
    sub = await store.subscribe(Subscription("slack", "c1", timezone="Europe/Madrid"))
    key = delivery_key("slack", "c1", "migration", DAY)
    posted_before_shutdown = stuck_in == "the platform's answer"
    builder = StoreDigestBuilder(store, delay_s=0 if posted_before_shutdown else STUCK_S)
    clock = Clock(madrid("06:59"))
    scheduler = DigestScheduler(
        store, delivery_for(store, platform, session, builder).deliver, clock=clock
    )
    await scheduler.start()
    if posted_before_shutdown:
        platform.hold_post()  # stored on arrival, never answered
    clock.now = madrid("07:00")
    fire_now(scheduler, sub)
    if posted_before_shutdown:
        await wait_until(lambda: platform.posts_received == 1)
    else:
        await wait_until(lambda: builder.builds == ["c1"])

    await asyncio.wait_for(scheduler.shutdown(grace_s=0.3), GENEROUS_S)
    pending = await row(store, key)
    assert (pending.state, pending.attempts) == ("pending", 1)
    assert len(platform.messages) == int(posted_before_shutdown)
    platform.release()

    # Restarted five minutes later: the catch-up asks the platform, then posts only if needed.
    clock.now = madrid("07:05")
    restarted = DigestScheduler(store, delivery_for(store, platform, session).deliver, clock=clock)
    await restarted.start()
    await restarted.shutdown(grace_s=1)
    [message] = platform.messages
    sent = await row(store, key)
    assert (sent.state, sent.attempts, sent.message_ref) == ("sent", 2, message.ref)
    assert platform.lookups == [("c1", key)]
    assert platform.posts_received == 1  # before the shutdown or after the restart, not both


async def test_shutdown_during_the_start_up_catch_up_stops_it_within_the_grace(
    store: Store, platform: FakePlatform, session: aiohttp.ClientSession
) -> None:
    for channel in ("c1", "c2"):
        await store.subscribe(Subscription("slack", channel, timezone="Europe/Madrid"))
    builder = StoreDigestBuilder(store, delay_s=STUCK_S)
    deliver = delivery_for(store, platform, session, builder).deliver
    scheduler = DigestScheduler(store, deliver, clock=lambda: madrid("09:00"))
    starting = asyncio.create_task(scheduler.start())
    await wait_until(lambda: builder.builds == ["c1"])

    await asyncio.wait_for(scheduler.shutdown(grace_s=0.3), GENEROUS_S)
    await asyncio.wait([starting], timeout=GENEROUS_S)
    assert starting.cancelled()
    assert builder.builds == ["c1"]  # c2's catch-up never began
    assert (await row(store, delivery_key("slack", "c1", "migration", DAY))).state == "pending"
    assert await store.get_delivery(delivery_key("slack", "c2", "migration", DAY)) is None
    assert platform.posts_received == 0


async def test_coinciding_attempts_for_one_digest_run_once(store: Store) -> None:
    """A retry, the catch-up and the cron fire may coincide: only one of them runs."""
    sub = await store.subscribe(Subscription(platform="slack", channel="C1"))
    started = 0
    release = asyncio.Event()

    async def slow_digest(_sub: Subscription, _day: date) -> None:
        nonlocal started
        started += 1
        await release.wait()

    scheduler = DigestScheduler(store, slow_digest)
    day = date(2026, 11, 28)
    first = asyncio.create_task(scheduler._guarded(sub, day))
    await asyncio.sleep(0)
    await scheduler._guarded(sub, day)  # returns at once: the first attempt is still running
    release.set()
    await first
    assert started == 1
    await scheduler._guarded(sub, day)  # a later attempt runs again (the sent log decides)
    assert started == 2
