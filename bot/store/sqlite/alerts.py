"""The SQLite store's figure alerts: each channel's watches and the figures they have seen."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.store.records import Platform
from bot.store.records.alerts import Watch, WatchHit
from bot.store.sqlite.base import SQLiteBase
from bot.store.sqlite.schema import from_db_time, to_db_time


def _watch(row: sqlite3.Row) -> Watch:
    return Watch(
        platform=row["platform"],
        channel=row["channel"],
        tenant=row["tenant"],
        what=row["what"],
        place=row["place"],
        condition=row["condition"],
        threshold=row["threshold"],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
        id=row["id"],
    )


def _hit(row: sqlite3.Row) -> WatchHit:
    return WatchHit(
        watch_id=row["watch_id"],
        article_id=row["article_id"],
        value=row["value"],
        surface=row["surface"],
        period=row["period"],
        lang=row["lang"],
        seen_at=from_db_time(row["seen_at"]),
        alerted=bool(row["alerted"]),
    )


class SQLiteAlertStore(SQLiteBase):
    """Watches are rows of one tenant and channel; every query names both, so none crosses."""

    async def add_watch(self, watch: Watch) -> Watch:
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """INSERT INTO watches (tenant, platform, channel, what, place, condition,
                    threshold, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING *""",
                (
                    watch.tenant,
                    watch.platform,
                    watch.channel,
                    watch.what,
                    watch.place,
                    watch.condition,
                    watch.threshold,
                    watch.created_by,
                    to_db_time(watch.created_at or self._clock()),
                ),
            )
        return _watch(next(iter(rows)))

    async def list_watches(
        self,
        tenant: str | None = None,
        platform: Platform | None = None,
        channel: str | None = None,
    ) -> list[Watch]:
        rows = await self._read(
            """SELECT * FROM watches WHERE (?1 IS NULL OR tenant = ?1)
                AND (?2 IS NULL OR platform = ?2) AND (?3 IS NULL OR channel = ?3)
            ORDER BY id""",
            (tenant, platform, channel),
        )
        return [_watch(row) for row in rows]

    async def remove_watch(
        self, tenant: str, platform: Platform, channel: str, watch_id: int
    ) -> bool:
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """DELETE FROM watches WHERE id = ? AND tenant = ? AND platform = ?
                    AND channel = ? RETURNING id""",
                (watch_id, tenant, platform, channel),
            )
        return bool(list(rows))

    async def watch_hits(self, watch_id: int, *, limit: int = 50) -> list[WatchHit]:
        rows = await self._read(
            "SELECT * FROM watch_hits WHERE watch_id = ? ORDER BY seen_at DESC, rowid DESC LIMIT ?",
            (watch_id, limit),
        )
        return [_hit(row) for row in rows]

    async def record_watch_hit(self, hit: WatchHit, *, at: datetime | None = None) -> bool:
        # durable: a claimed alert must survive a power cut, or it could be posted twice.
        async with self._transaction(durable=hit.alerted) as db:
            rows = await db.execute_fetchall(
                """INSERT OR IGNORE INTO watch_hits (watch_id, article_id, value, surface, period,
                    lang, seen_at, alerted) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING watch_id""",
                (
                    hit.watch_id,
                    hit.article_id,
                    hit.value,
                    hit.surface,
                    hit.period,
                    hit.lang,
                    to_db_time(at or hit.seen_at),
                    int(hit.alerted),
                ),
            )
        return bool(list(rows))

    async def has_watch_hit(self, watch_id: int, article_id: int) -> bool:
        rows = await self._read(
            "SELECT 1 FROM watch_hits WHERE watch_id = ? AND article_id = ?",
            (watch_id, article_id),
        )
        return bool(rows)
