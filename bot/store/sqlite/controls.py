"""The SQLite store's summary controls: the rows the More/Figures/Sources buttons look up."""

from __future__ import annotations

import json
from typing import cast

from bot.models import Article
from bot.store.records import Platform
from bot.store.records.controls import SummaryControls
from bot.store.sqlite.base import SQLiteBase
from bot.store.sqlite.schema import from_db_time, to_db_time


class SQLiteControlsStore(SQLiteBase):
    """``save_controls`` when a summary is posted, ``get_controls`` when a button is pressed."""

    async def save_controls(self, controls: SummaryControls) -> SummaryControls:
        article = controls.article
        created = self._clock()
        async with self._transaction() as db:
            await db.execute(
                """INSERT INTO summary_controls (key, platform, tenant, channel, title, url,
                    canonical_url, source, published, lang, method, text, shown, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    controls.key,
                    controls.platform,
                    controls.tenant,
                    controls.channel,
                    article.title,
                    article.url,
                    article.canonical_url,
                    article.source,
                    to_db_time(article.published),
                    article.lang,
                    controls.method,
                    article.text,
                    json.dumps(list(controls.shown), ensure_ascii=False),
                    to_db_time(created),
                ),
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
            """SELECT key FROM summary_controls WHERE platform = ? AND tenant = ? AND channel = ?
            ORDER BY created_at DESC LIMIT 1""",
            (platform, tenant, channel),
        )
        return rows[0]["key"] if rows else None

    async def get_controls(self, key: str) -> SummaryControls | None:
        rows = await self._read("SELECT * FROM summary_controls WHERE key = ?", (key,))
        if not rows:
            return None
        row = rows[0]
        article = Article(
            text=row["text"],
            title=row["title"],
            url=row["url"],
            canonical_url=row["canonical_url"],
            source=row["source"],
            published=from_db_time(row["published"]),
            lang=row["lang"],
        )
        return SummaryControls(
            key=row["key"],
            platform=cast(Platform, row["platform"]),
            tenant=row["tenant"],
            channel=row["channel"],
            article=article,
            method=row["method"],
            shown=tuple(json.loads(row["shown"])),
            created_at=from_db_time(row["created_at"]),
        )
