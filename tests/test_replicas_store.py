"""Store contract for replicas on both backends: leases, shared rate windows, racing claims.

"Two replicas" here are two stores opened on the same database (two connection pools, or two
SQLite connections to one file), racing with ``asyncio.gather``: the database must pick one.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from store_fixtures import DAY, T0, Opener, store

__all__ = ["store"]

from bot.store import Store
from bot.store.records.leases import RateRefusal, RateSlot

TTL = timedelta(seconds=45)


async def test_a_live_lease_is_renewed_by_its_holder_and_never_taken_over(store: Store) -> None:
    assert await store.acquire_lease("poller", "a", TTL, at=T0)
    assert await store.lease_holder("poller", at=T0) == "a"
    assert not await store.acquire_lease("poller", "b", TTL, at=T0 + timedelta(seconds=44))
    assert await store.acquire_lease("poller", "a", TTL, at=T0 + timedelta(seconds=30))
    # Renewed at +30 s: still a's at +74 s, b's once that lapses.
    assert not await store.acquire_lease("poller", "b", TTL, at=T0 + timedelta(seconds=74))
    assert await store.acquire_lease("poller", "b", TTL, at=T0 + timedelta(seconds=75))
    assert await store.lease_holder("poller", at=T0 + timedelta(seconds=76)) == "b"
    assert not await store.acquire_lease("poller", "a", TTL, at=T0 + timedelta(seconds=76))
    assert await store.lease_holder("poller", at=T0 + timedelta(seconds=121)) is None


async def test_a_released_lease_is_free_at_once_and_only_its_holder_releases(store: Store) -> None:
    assert await store.acquire_lease("poller", "a", TTL, at=T0)
    assert not await store.release_lease("poller", "b")
    assert await store.release_lease("poller", "a")
    assert await store.lease_holder("poller", at=T0) is None
    assert await store.acquire_lease("poller", "b", TTL, at=T0)
    assert await store.acquire_lease("other", "a", TTL, at=T0)  # leases are independent


async def test_rate_window_counts_hits_and_says_how_long_to_wait(store: Store) -> None:
    user = RateSlot("user:U1", 2, 60.0)
    channel = RateSlot("channel:C1", 3, 60.0)
    assert await store.take_rate_slots([user, channel], at=T0) is None
    assert await store.take_rate_slots([user, channel], at=T0 + timedelta(seconds=10)) is None
    refused = await store.take_rate_slots([user, channel], at=T0 + timedelta(seconds=20))
    assert refused == RateRefusal(0, 40.0)
    # The refusal counted nothing: another user in the channel gets its last slot.
    other = RateSlot("user:U2", 2, 60.0)
    assert await store.take_rate_slots([other, channel], at=T0 + timedelta(seconds=20)) is None
    refused = await store.take_rate_slots([other, channel], at=T0 + timedelta(seconds=30))
    assert refused == RateRefusal(1, 30.0)
    assert await store.take_rate_slots([user], at=T0 + timedelta(seconds=60.5)) is None


async def test_sweep_deletes_only_what_expired(store: Store) -> None:
    await store.acquire_lease("poller", "a", TTL, at=T0)
    await store.take_rate_slots([RateSlot("user:U1", 1, 10.0)], at=T0)
    assert await store.sweep_leases(at=T0 + timedelta(seconds=5)) == 0
    assert await store.sweep_leases(at=T0 + timedelta(seconds=46)) == 2
    assert await store.take_rate_slots([RateSlot("user:U1", 1, 10.0)], at=T0) is None


async def test_two_replicas_racing_for_one_lease_get_one_holder(open_backend: Opener) -> None:
    stores = [await open_backend(clock=lambda: T0) for _ in range(2)]
    try:
        for round_ in range(10):
            name = f"race-{round_}"
            won = await asyncio.gather(
                *(s.acquire_lease(name, f"r{i}", TTL) for i, s in enumerate(stores))
            )
            assert sorted(won) == [False, True]
            assert await stores[0].lease_holder(name) == f"r{won.index(True)}"
    finally:
        for s in stores:
            await s.aclose()


async def test_two_replicas_racing_for_one_delivery_claim_get_one_winner(
    open_backend: Opener,
) -> None:
    stores = [await open_backend(clock=lambda: T0) for _ in range(2)]
    try:
        for round_ in range(10):
            channel = f"C{round_}"
            claims = await asyncio.gather(
                *(
                    s.begin_delivery("slack", channel, "migration", DAY, owner=f"r{i}")
                    for i, s in enumerate(stores)
                )
            )
            owners = {claim.lease_owner for claim in claims}
            assert len(owners) == 1, claims  # both see the same, live, owner
            assert sum(claim.attempts for claim in claims) >= 1
            # The loser's claim never replaced the winner's: the row names the winner.
            row = await stores[1].get_delivery(claims[0].delivery_key)
            assert row is not None and row.lease_owner in {"r0", "r1"} and row.attempts == 1
    finally:
        for s in stores:
            await s.aclose()


async def test_two_replicas_racing_for_the_last_rate_slot_get_one(open_backend: Opener) -> None:
    stores = [await open_backend(clock=lambda: T0) for _ in range(2)]
    try:
        for round_ in range(10):
            slot = RateSlot(f"user:U{round_}", 1, 60.0)
            results = await asyncio.gather(*(s.take_rate_slots([slot]) for s in stores))
            assert sorted(r is None for r in results) == [False, True]
    finally:
        for s in stores:
            await s.aclose()
