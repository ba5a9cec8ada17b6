"""The digest lease as other senders see it, found by mutation testing (docs/testing.md).

Two stores on one SQLite file, as two processes would open it, and the fake platform over
HTTP. Each test acts from inside the first sender's digest build, so nothing waits on a clock:
the first sender holds its lease for sure while the second one asks.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from delivery_child import StoreDigestBuilder, seed_articles
from platform_fake import FakePlatform, PlatformSink

from bot.digests.delivery import DeliveryInProgress, DigestDelivery
from bot.store import Store, Subscription, delivery_key, open_store

DAY = date(2026, 6, 10)
SUB = Subscription("slack", "C1", "migration")
KEY = delivery_key("slack", "C1", "migration", DAY)
LONG_LEASE = timedelta(hours=1)  # far from the 60 s default, and never renewed within a test


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    db = tmp_path / "newsbrief.db"
    async with await open_store(db) as first, await open_store(db) as second:
        await seed_articles(first)
        await first.subscribe(SUB)
        yield first, second


@pytest.fixture
async def sink() -> AsyncIterator[tuple[FakePlatform, PlatformSink]]:
    async with FakePlatform() as platform, aiohttp.ClientSession() as session:
        yield platform, PlatformSink(platform.url, session)


async def test_a_live_sender_holds_the_digest_for_its_configured_lease_and_is_named_to_others(
    stores: tuple[Store, Store], sink: tuple[FakePlatform, PlatformSink]
) -> None:
    first, second = stores
    platform, poster = sink
    seen: dict[str, object] = {}

    async def while_building(_: Subscription) -> None:
        row = await second.get_delivery(KEY)
        assert row is not None and row.lease_until is not None and row.lease_owner
        seen["owner"], seen["left"] = row.lease_owner, row.lease_until - datetime.now(UTC)
        other = DigestDelivery(second, StoreDigestBuilder(second), {"slack": poster})
        with pytest.raises(DeliveryInProgress) as refused:
            await other.deliver(SUB, DAY)
        seen["refusal"] = str(refused.value)

    builder = StoreDigestBuilder(first, on_build=while_building)
    sending = DigestDelivery(first, builder, {"slack": poster}, lease=LONG_LEASE)
    assert (await sending.deliver(SUB, DAY)).startswith("sent")
    # The lease others read is the sender's own (an hour), not the 60 s default.
    assert timedelta(minutes=59) < seen["left"] <= LONG_LEASE  # type: ignore[operator]
    # The refusal says which digest and who holds it, for the operator reading the log.
    assert KEY in str(seen["refusal"]) and str(seen["owner"]) in str(seen["refusal"])
    assert len(platform.messages_for(KEY)) == 1


async def test_a_sender_that_lost_its_lease_and_then_fails_leaves_the_new_senders_claim(
    stores: tuple[Store, Store], sink: tuple[FakePlatform, PlatformSink]
) -> None:
    first, second = stores
    _, poster = sink

    async def overtaken_then_failing(_: Subscription) -> None:
        # Two hours on, the lease looks dead, and another process claims the digest.
        later = datetime.now(UTC) + 2 * LONG_LEASE
        taken = await second.begin_delivery("slack", "C1", "migration", DAY, owner="b", at=later)
        assert taken.lease_owner == "b"
        raise ConnectionError("the platform went away")

    builder = StoreDigestBuilder(first, on_build=overtaken_then_failing)
    slow = DigestDelivery(first, builder, {"slack": poster}, lease=LONG_LEASE)
    with pytest.raises(ConnectionError):
        await slow.deliver(SUB, DAY)
    row = await second.get_delivery(KEY)
    # Not marked failed under the new sender's feet (which would let a third one post too).
    assert row is not None
    assert (row.state, row.lease_owner, row.last_error) == ("pending", "b", None)


async def test_shutdown_while_another_process_holds_the_database_still_cancels_the_send(
    tmp_path: Path, sink: tuple[FakePlatform, PlatformSink]
) -> None:
    db = tmp_path / "newsbrief.db"
    _, poster = sink
    async with await open_store(db, busy_timeout_ms=50) as store:
        await seed_articles(store)
        await store.subscribe(SUB)
        building = asyncio.Event()

        async def hold(_: Subscription) -> None:
            building.set()
            await asyncio.sleep(3600)  # cancelled by the shutdown below

        delivery = DigestDelivery(
            store, StoreDigestBuilder(store, on_build=hold), {"slack": poster}, lease=LONG_LEASE
        )
        task = asyncio.create_task(delivery.deliver(SUB, DAY))
        await building.wait()
        other_process = sqlite3.connect(db, isolation_level=None)
        try:
            other_process.execute("BEGIN IMMEDIATE")  # the write lock: freeing the lease fails
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        finally:
            other_process.execute("ROLLBACK")
            other_process.close()
        row = await store.get_delivery(KEY)
        # The lease could not be freed, so it stays with the dead sender until it runs out.
        assert row is not None and row.state == "pending" and row.lease_owner is not None
