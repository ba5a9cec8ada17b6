"""The PostgreSQL store's leases and shared rate windows, claimed by row conditions.

A lease is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE``: PostgreSQL locks the conflicting
row and re-checks the condition on its latest version, so of two replicas racing for an expired
lease exactly one gets it, and a live lease is never taken. A rate window counts rows, so
replicas racing for its last slot are serialised by a transaction-scoped advisory lock per key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.store.postgres.base import PgBase, ts
from bot.store.records.leases import RateRefusal, RateSlot


class PgLeaseStore(PgBase):
    """Named leases (leader, event claims) and rate windows that every replica shares."""

    async def acquire_lease(
        self, name: str, holder: str, ttl: timedelta, *, at: datetime | None = None
    ) -> bool:
        now = ts(at or self._clock())
        assert now is not None
        async with self._transaction() as db:
            won = await db.fetchval(
                """INSERT INTO leases AS l (name, holder, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
                    expires_at = excluded.expires_at
                WHERE l.holder = excluded.holder OR l.expires_at <= $4
                RETURNING holder""",
                name,
                holder,
                now + ttl,
                now,
            )
        return won is not None

    async def release_lease(self, name: str, holder: str) -> bool:
        async with self._transaction() as db:
            gone = await db.fetchval(
                "DELETE FROM leases WHERE name = $1 AND holder = $2 RETURNING 1", name, holder
            )
        return gone is not None

    async def lease_holder(self, name: str, *, at: datetime | None = None) -> str | None:
        rows = await self._read(
            "SELECT holder FROM leases WHERE name = $1 AND expires_at > $2",
            name,
            ts(at or self._clock()),
        )
        return str(rows[0]["holder"]) if rows else None

    async def take_rate_slots(
        self, slots: Sequence[RateSlot], *, at: datetime | None = None
    ) -> RateRefusal | None:
        now = ts(at or self._clock())
        assert now is not None
        async with self._transaction() as db:
            # Sorted, so two replicas taking the same pair of keys lock them in the same order.
            for key in sorted({slot.key for slot in slots}):
                await db.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 15))", key)
            for index, slot in enumerate(slots):
                oldest = await db.fetchval(
                    """SELECT at FROM rate_hits WHERE key = $1 AND at > $2
                    ORDER BY at DESC LIMIT 1 OFFSET $3""",
                    slot.key,
                    now - timedelta(seconds=slot.window_s),
                    slot.count - 1,
                )
                if oldest is not None:
                    wait = (oldest + timedelta(seconds=slot.window_s) - now).total_seconds()
                    return RateRefusal(index, max(wait, 0.001))
            await db.executemany(
                "INSERT INTO rate_hits (key, at, expires_at) VALUES ($1, $2, $3)",
                [(slot.key, now, now + timedelta(seconds=slot.window_s)) for slot in slots],
            )
        return None

    async def sweep_leases(self, *, at: datetime | None = None) -> int:
        now = ts(at or self._clock())
        async with self._transaction() as db:
            hits = await db.fetchval(
                "WITH gone AS (DELETE FROM rate_hits WHERE expires_at <= $1 RETURNING 1) "
                "SELECT count(*) FROM gone",
                now,
            )
            leases = await db.fetchval(
                "WITH gone AS (DELETE FROM leases WHERE expires_at <= $1 RETURNING 1) "
                "SELECT count(*) FROM gone",
                now,
            )
        return int(hits) + int(leases)
