"""The SQLite store's channel filters: include and exclude terms per channel and topic."""

from __future__ import annotations

import sqlite3

from bot.store.records import Platform
from bot.store.records.filters import ChannelFilter
from bot.store.sqlite.base import SQLiteBase
from bot.store.sqlite.schema import from_db_time, to_db_time


def _filter(row: sqlite3.Row) -> ChannelFilter:
    return ChannelFilter(
        platform=row["platform"],
        channel=row["channel"],
        topic=row["topic"],
        mode=row["mode"],
        kind=row["kind"],
        value=row["value"],
        id=row["id"],
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
    )


class SQLiteFilterStore(SQLiteBase):
    """Channel filters on SQLite (table ``channel_filters``)."""

    async def add_channel_filter(self, item: ChannelFilter) -> tuple[ChannelFilter, bool]:
        key = (item.platform, item.channel, item.topic, item.mode, item.kind, item.value)
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    """INSERT INTO channel_filters (platform, channel, topic, mode, kind, value,
                        created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (platform, channel, topic, mode, kind, value) DO NOTHING
                    RETURNING *""",
                    (*key, item.created_by, to_db_time(item.created_at or self._clock())),
                )
            )
            new = bool(rows)
            if not new:  # the same term was there already: keep its id
                rows = list(
                    await db.execute_fetchall(
                        """SELECT * FROM channel_filters WHERE platform = ? AND channel = ?
                        AND topic = ? AND mode = ? AND kind = ? AND value = ?""",
                        key,
                    )
                )
        return _filter(rows[0]), new

    async def channel_filters(
        self, platform: Platform, channel: str, topic: str | None = None
    ) -> list[ChannelFilter]:
        rows = await self._read(
            """SELECT * FROM channel_filters WHERE platform = ? AND channel = ?
            AND (? IS NULL OR topic = ?) ORDER BY id""",
            (platform, channel, topic, topic),
        )
        return [_filter(row) for row in rows]

    async def remove_channel_filter(self, platform: Platform, channel: str, filter_id: int) -> bool:
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """DELETE FROM channel_filters WHERE platform = ? AND channel = ? AND id = ?
                RETURNING id""",
                (platform, channel, filter_id),
            )
        return bool(list(rows))

    async def clear_channel_filters(
        self, platform: Platform, channel: str, topic: str | None = None
    ) -> int:
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """DELETE FROM channel_filters WHERE platform = ? AND channel = ?
                AND (? IS NULL OR topic = ?) RETURNING id""",
                (platform, channel, topic, topic),
            )
        return len(list(rows))
