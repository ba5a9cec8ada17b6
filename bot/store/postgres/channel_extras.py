"""The PostgreSQL store's figure alerts, channel filters and summary-button controls."""

from __future__ import annotations

import json
from datetime import datetime

from bot.store.postgres.base import PgBase, ts
from bot.store.postgres.rows import (
    controls_from_row,
    filter_from_row,
    hit_from_row,
    watch_from_row,
)
from bot.store.records import Platform
from bot.store.records.alerts import Watch, WatchHit
from bot.store.records.controls import SummaryControls
from bot.store.records.filters import ChannelFilter


class PgExtrasStore(PgBase):
    """Watches and their hits, channel filters, and the rows summary buttons answer from."""

    # --- figure alerts: every query names the tenant and channel, so none crosses ---

    async def add_watch(self, watch: Watch) -> Watch:
        async with self._transaction() as db:
            row = await db.fetchrow(
                """INSERT INTO watches (tenant, platform, channel, what, place, condition,
                    threshold, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                RETURNING *""",
                watch.tenant,
                watch.platform,
                watch.channel,
                watch.what,
                watch.place,
                watch.condition,
                watch.threshold,
                watch.created_by,
                ts(watch.created_at or self._clock()),
            )
        return watch_from_row(row)

    async def list_watches(
        self,
        tenant: str | None = None,
        platform: Platform | None = None,
        channel: str | None = None,
    ) -> list[Watch]:
        rows = await self._read(
            """SELECT * FROM watches WHERE ($1::text IS NULL OR tenant = $1)
                AND ($2::text IS NULL OR platform = $2) AND ($3::text IS NULL OR channel = $3)
            ORDER BY id""",
            tenant,
            platform,
            channel,
        )
        return [watch_from_row(row) for row in rows]

    async def remove_watch(
        self, tenant: str, platform: Platform, channel: str, watch_id: int
    ) -> bool:
        async with self._transaction() as db:
            row = await db.fetchrow(
                """DELETE FROM watches WHERE id = $1 AND tenant = $2 AND platform = $3
                    AND channel = $4 RETURNING id""",
                watch_id,
                tenant,
                platform,
                channel,
            )
        return row is not None

    async def watch_hits(self, watch_id: int, *, limit: int = 50) -> list[WatchHit]:
        rows = await self._read(
            """SELECT * FROM watch_hits WHERE watch_id = $1
            ORDER BY seen_at DESC, seq DESC LIMIT $2""",
            watch_id,
            limit,
        )
        return [hit_from_row(row) for row in rows]

    async def record_watch_hit(self, hit: WatchHit, *, at: datetime | None = None) -> bool:
        # ON CONFLICT DO NOTHING: of two processes claiming one (watch, article), one wins.
        async with self._transaction() as db:
            row = await db.fetchrow(
                """INSERT INTO watch_hits (watch_id, article_id, value, surface, period, lang,
                    seen_at, alerted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT DO NOTHING RETURNING watch_id""",
                hit.watch_id,
                hit.article_id,
                hit.value,
                hit.surface,
                hit.period,
                hit.lang,
                ts(at or hit.seen_at),
                hit.alerted,
            )
        return row is not None

    async def has_watch_hit(self, watch_id: int, article_id: int) -> bool:
        rows = await self._read(
            "SELECT 1 FROM watch_hits WHERE watch_id = $1 AND article_id = $2",
            watch_id,
            article_id,
        )
        return bool(rows)

    # --- channel filters ---

    async def add_channel_filter(self, item: ChannelFilter) -> tuple[ChannelFilter, bool]:
        key = (item.platform, item.channel, item.topic, item.mode, item.kind, item.value)
        async with self._transaction() as db:
            row = await db.fetchrow(
                """INSERT INTO channel_filters (platform, channel, topic, mode, kind, value,
                    created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (platform, channel, topic, mode, kind, value) DO NOTHING
                RETURNING *""",
                *key,
                item.created_by,
                ts(item.created_at or self._clock()),
            )
            new = row is not None
            if row is None:  # the same term was there already: keep its id
                row = await db.fetchrow(
                    """SELECT * FROM channel_filters WHERE platform = $1 AND channel = $2
                    AND topic = $3 AND mode = $4 AND kind = $5 AND value = $6""",
                    *key,
                )
        return filter_from_row(row), new

    async def channel_filters(
        self, platform: Platform, channel: str, topic: str | None = None
    ) -> list[ChannelFilter]:
        rows = await self._read(
            """SELECT * FROM channel_filters WHERE platform = $1 AND channel = $2
            AND ($3::text IS NULL OR topic = $3) ORDER BY id""",
            platform,
            channel,
            topic,
        )
        return [filter_from_row(row) for row in rows]

    async def remove_channel_filter(self, platform: Platform, channel: str, filter_id: int) -> bool:
        async with self._transaction() as db:
            row = await db.fetchrow(
                """DELETE FROM channel_filters WHERE platform = $1 AND channel = $2 AND id = $3
                RETURNING id""",
                platform,
                channel,
                filter_id,
            )
        return row is not None

    async def clear_channel_filters(
        self, platform: Platform, channel: str, topic: str | None = None
    ) -> int:
        async with self._transaction() as db:
            rows = await db.fetch(
                """DELETE FROM channel_filters WHERE platform = $1 AND channel = $2
                AND ($3::text IS NULL OR topic = $3) RETURNING id""",
                platform,
                channel,
                topic,
            )
        return len(rows)

    # --- summary controls (the More / Figures / Sources buttons) ---

    async def save_controls(self, controls: SummaryControls) -> SummaryControls:
        article = controls.article
        created = ts(self._clock())
        async with self._transaction() as db:
            await db.execute(
                """INSERT INTO summary_controls (key, platform, tenant, channel, title, url,
                    canonical_url, source, published, lang, method, text, shown, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""",
                controls.key,
                controls.platform,
                controls.tenant,
                controls.channel,
                article.title,
                article.url,
                article.canonical_url,
                article.source,
                ts(article.published),
                article.lang,
                controls.method,
                article.text,
                json.dumps(list(controls.shown), ensure_ascii=False),
                created,
            )
        return SummaryControls(
            controls.key,
            controls.platform,
            controls.tenant,
            controls.channel,
            article,
            controls.method,
            controls.shown,
            created,
        )

    async def latest_controls(self, platform: Platform, tenant: str, channel: str) -> str | None:
        rows = await self._read(
            """SELECT key FROM summary_controls WHERE platform = $1 AND tenant = $2
                AND channel = $3 ORDER BY created_at DESC LIMIT 1""",
            platform,
            tenant,
            channel,
        )
        return rows[0]["key"] if rows else None

    async def get_controls(self, key: str) -> SummaryControls | None:
        rows = await self._read("SELECT * FROM summary_controls WHERE key = $1", key)
        return controls_from_row(rows[0]) if rows else None
