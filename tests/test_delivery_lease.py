"""Two senders on one database: a pending digest held by a live attempt is never taken over.

Two stores open the same SQLite file, as two processes would, each with its own
``DigestDelivery`` posting over HTTP to the fake platform. The digest is slow to build, so the
second attempt comes while the first is at work, long after the first lease would have run out
had the sender not renewed it.
"""

from __future__ import annotations

import asyncio
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
LEASE = timedelta(seconds=0.3)  # short, so a sender that did not renew would lose it mid-build


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    db = tmp_path / "newsbrief.db"
    async with await open_store(db) as first, await open_store(db) as second:
        await seed_articles(first)
        await first.subscribe(SUB)
        yield first, second


async def test_a_second_sender_never_takes_over_a_live_delivery(
    stores: tuple[Store, Store],
) -> None:
    first, second = stores
    async with FakePlatform() as platform, aiohttp.ClientSession() as session:
        sink = PlatformSink(platform.url, session)
        slow = DigestDelivery(
            first, StoreDigestBuilder(first, delay_s=1.5), {"slack": sink}, lease=LEASE
        )
        other = DigestDelivery(second, StoreDigestBuilder(second), {"slack": sink}, lease=LEASE)
        sending = asyncio.create_task(slow.deliver(SUB, DAY))
        await asyncio.sleep(0.8)  # the first lease (0.3 s) ran out twice over unless renewed
        assert not sending.done()
        with pytest.raises(DeliveryInProgress):
            await other.deliver(SUB, DAY)
        assert (await sending).startswith("sent")
        assert await other.deliver(SUB, DAY) == "already sent"
    assert len(platform.messages_for(KEY)) == 1
    row = await second.get_delivery(KEY)
    assert row is not None and (row.state, row.attempts, row.lease_owner) == ("sent", 1, None)


async def test_a_crashed_senders_expired_lease_is_taken_over_after_asking_the_platform(
    stores: tuple[Store, Store],
) -> None:
    first, second = stores
    # The first sender claimed the digest two minutes ago and died without renewing.
    dead = await first.begin_delivery(
        "slack", "C1", "migration", DAY, owner="dead", at=datetime.now(UTC) - timedelta(minutes=2)
    )
    assert dead.lease_owner == "dead"
    async with FakePlatform() as platform, aiohttp.ClientSession() as session:
        other = DigestDelivery(
            second, StoreDigestBuilder(second), {"slack": PlatformSink(platform.url, session)}
        )
        assert (await other.deliver(SUB, DAY)).startswith("sent")
    assert platform.lookups == [("C1", KEY)]
    assert len(platform.messages_for(KEY)) == 1


async def test_the_store_refuses_a_live_lease_and_only_its_owner_renews_or_frees_it(
    stores: tuple[Store, Store],
) -> None:
    first, second = stores
    now = datetime.now(UTC)
    held = await first.begin_delivery("slack", "C1", "migration", DAY, owner="a", at=now)
    assert (held.state, held.attempts, held.lease_owner) == ("pending", 1, "a")
    assert held.lease_until == now + timedelta(seconds=60)

    refused = await second.begin_delivery("slack", "C1", "migration", DAY, owner="b", at=now)
    assert refused == held  # untouched: not claimed, attempts not raised
    assert not await second.renew_delivery(KEY, "b", at=now)
    assert await second.fail_delivery(KEY, "boom", owner="b") == held

    later = now + timedelta(seconds=50)
    assert await first.renew_delivery(KEY, "a", at=later)
    refused = await second.begin_delivery(
        "slack", "C1", "migration", DAY, owner="b", at=now + timedelta(seconds=100)
    )
    assert refused.lease_owner == "a"  # renewed at +50 s, so live until +110 s

    taken = await second.begin_delivery(
        "slack", "C1", "migration", DAY, owner="b", at=now + timedelta(seconds=111)
    )
    assert (taken.lease_owner, taken.attempts) == ("b", 2)
    assert not await first.renew_delivery(KEY, "a")
    failed = await second.fail_delivery(KEY, "boom", owner="b")
    assert (failed.state, failed.lease_owner, failed.lease_until) == ("failed", None, None)
    again = await first.begin_delivery("slack", "C1", "migration", DAY, owner="a")
    assert (again.state, again.attempts, again.lease_owner) == ("pending", 3, "a")
