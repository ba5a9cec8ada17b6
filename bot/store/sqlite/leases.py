"""The SQLite store's leases and shared rate windows (several processes on one file).

Every method is one ``BEGIN IMMEDIATE`` transaction, which SQLite serialises across processes,
so the read-then-write of a lease or a window cannot interleave with another replica's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.store.records.leases import RateRefusal, RateSlot
from bot.store.sqlite.base import SQLiteBase
from bot.store.sqlite.schema import from_db_time, to_db_time


class SQLiteLeaseStore(SQLiteBase):
    """Named leases (leader, event claims) and rate windows that every replica shares."""

    async def acquire_lease(
        self, name: str, holder: str, ttl: timedelta, *, at: datetime | None = None
    ) -> bool:
        now = at or self._clock()
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,
                    expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
                RETURNING holder""",
                (name, holder, to_db_time(now + ttl), to_db_time(now)),
            )
        return bool(rows)

    async def release_lease(self, name: str, holder: str) -> bool:
        async with self._transaction() as db:
            cursor = await db.execute(
                "DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder)
            )
            return cursor.rowcount > 0

    async def lease_holder(self, name: str, *, at: datetime | None = None) -> str | None:
        rows = await self._read(
            "SELECT holder FROM leases WHERE name = ? AND expires_at > ?",
            (name, to_db_time(at or self._clock())),
        )
        return str(rows[0]["holder"]) if rows else None

    async def take_rate_slots(
        self, slots: Sequence[RateSlot], *, at: datetime | None = None
    ) -> RateRefusal | None:
        now = at or self._clock()
        async with self._transaction() as db:
            for index, slot in enumerate(slots):
                start = to_db_time(now - timedelta(seconds=slot.window_s))
                rows = await db.execute_fetchall(
                    """SELECT at FROM rate_hits WHERE key = ? AND at > ?
                    ORDER BY at DESC LIMIT 1 OFFSET ?""",
                    (slot.key, start, slot.count - 1),
                )
                if rows:  # the window holds ``count`` hits already: wait for its oldest counted
                    oldest = from_db_time(rows[0]["at"])
                    wait = (oldest + timedelta(seconds=slot.window_s) - now).total_seconds()
                    return RateRefusal(index, max(wait, 0.001))
            await db.executemany(
                "INSERT INTO rate_hits (key, at, expires_at) VALUES (?, ?, ?)",
                [
                    (slot.key, to_db_time(now), to_db_time(now + timedelta(seconds=slot.window_s)))
                    for slot in slots
                ],
            )
        return None

    async def sweep_leases(self, *, at: datetime | None = None) -> int:
        now = to_db_time(at or self._clock())
        async with self._transaction() as db:
            gone = await db.execute("DELETE FROM rate_hits WHERE expires_at <= ?", (now,))
            leases = await db.execute("DELETE FROM leases WHERE expires_at <= ?", (now,))
            return gone.rowcount + leases.rowcount
