"""The ``Store`` on SQLite through aiosqlite: articles, summaries and feeds, on top of the rest."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime

from bot.models import Article
from bot.store.dedup import MatchedBy, article_identity, merge_known, pick_match
from bot.store.records import FeedState, StoredArticle, feed_backoff
from bot.store.rows import article_from_row, feed_from_row
from bot.store.sqlite.alerts import SQLiteAlertStore
from bot.store.sqlite.controls import SQLiteControlsStore
from bot.store.sqlite.filters import SQLiteFilterStore
from bot.store.sqlite.installations import SQLiteInstallationStore
from bot.store.sqlite.leases import SQLiteLeaseStore
from bot.store.sqlite.schema import to_db_time
from bot.store.sqlite.search import SQLiteSearchStore
from bot.store.sqlite.stories import SQLiteStoryStore
from bot.store.sqlite.tenants import SQLiteTenantStore
from bot.store.summary_codec import decode_summary, encode_summary
from bot.web.urls import canonical_url as url_key
from summarizers.types import TextSummary


class SQLiteStore(
    SQLiteLeaseStore,
    SQLiteInstallationStore,
    SQLiteSearchStore,
    SQLiteFilterStore,
    SQLiteControlsStore,
    SQLiteAlertStore,
    SQLiteStoryStore,
    SQLiteTenantStore,
):
    """The complete SQLite ``Store``: ``store = await SQLiteStore.open(path)``, ``aclose()``.

    The class is split over modules to keep each short: ``SQLiteBase`` (connection, pragmas,
    migrations, transactions), ``SQLiteChannelStore`` (subscriptions, settings, sent log),
    ``SQLiteTenantStore`` (feed lists), ``SQLiteAlertStore`` (figure alerts),
    ``SQLiteStoryStore`` (a digest's plan, the stories each channel got) and this one
    (articles, summaries, feed fetch state).
    """

    # --- articles and summaries ---

    async def upsert_article(
        self,
        article: Article,
        *,
        keys: Iterable[str] = (),
        fetched_at: datetime | None = None,
        topic_score: float | None = None,
    ) -> tuple[StoredArticle, bool]:
        # What counts as the same article, and what a repeat may change, is bot.store.dedup's.
        identity = article_identity(article, keys)
        fetched = to_db_time(fetched_at or self._clock())
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """SELECT ? AS kind, article_id AS id FROM article_keys WHERE key = ?
                UNION ALL SELECT ?, id FROM articles WHERE content_hash = ?
                UNION ALL SELECT ?, article_id FROM article_keys
                    WHERE key IN (SELECT value FROM json_each(?))""",
                (
                    int(MatchedBy.CANONICAL_URL),
                    identity.canonical_key,
                    int(MatchedBy.TEXT),
                    identity.content_hash,
                    int(MatchedBy.OTHER_NAME),
                    json.dumps(identity.names),
                ),
            )
            found: dict[MatchedBy, int] = {}
            for row in rows:
                found.setdefault(MatchedBy(row["kind"]), row["id"])
            match = pick_match(found)
            if match is not None:
                known = article_from_row(
                    next(
                        iter(
                            await db.execute_fetchall(
                                "SELECT * FROM articles WHERE id = ?", (match,)
                            )
                        )
                    )
                )
                merged = merge_known(known, article, topic_score=topic_score)
                rows = await db.execute_fetchall(
                    """UPDATE articles SET title = ?, byline = ?, source = ?, published = ?,
                        topic_score = ?
                    WHERE id = ? RETURNING *""",
                    (
                        merged.title,
                        merged.byline,
                        merged.source,
                        to_db_time(merged.published),
                        merged.topic_score,
                        match,
                    ),
                )
            else:
                rows = await db.execute_fetchall(
                    """INSERT INTO articles (url, canonical_url, content_hash, title, byline,
                        source, published, lang, text, fetched_at, topic_score)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
                    (
                        identity.url,
                        identity.canonical_url,
                        identity.content_hash,
                        article.title,
                        article.byline,
                        article.source,
                        to_db_time(article.published),
                        article.lang,
                        article.text,
                        fetched,
                        topic_score,
                    ),
                )
            stored = article_from_row(next(iter(rows)))
            # A name already mapped to another article keeps its first mapping.
            await db.executemany(
                "INSERT OR IGNORE INTO article_keys (key, article_id) VALUES (?, ?)",
                [(name, stored.id) for name in identity.names],
            )
        return stored, match is None

    async def get_article(self, article_id: int) -> StoredArticle | None:
        rows = await self._read("SELECT * FROM articles WHERE id = ?", (article_id,))
        return article_from_row(rows[0]) if rows else None

    async def article_for_url(self, url_or_guid: str) -> StoredArticle | None:
        rows = await self._read(
            """SELECT articles.* FROM article_keys JOIN articles ON articles.id = article_id
            WHERE key = ?""",
            (url_key(url_or_guid),),
        )
        return article_from_row(rows[0]) if rows else None

    async def articles_since(
        self, since: datetime, *, limit: int | None = None
    ) -> list[StoredArticle]:
        rows = await self._read(
            """SELECT * FROM articles WHERE coalesce(published, fetched_at) >= ?
            ORDER BY coalesce(published, fetched_at) DESC, id DESC LIMIT ?""",
            (to_db_time(since), -1 if limit is None else limit),
        )
        return [article_from_row(row) for row in rows]

    async def set_topic_score(self, article_id: int, score: float | None) -> None:
        async with self._transaction() as db:
            await db.execute(
                "UPDATE articles SET topic_score = ? WHERE id = ?", (score, article_id)
            )

    async def save_summary(
        self, article_id: int, summary: TextSummary, *, at: datetime | None = None
    ) -> None:
        sentences, figures = encode_summary(summary)
        try:
            async with self._transaction() as db:
                await db.execute(
                    """INSERT INTO summaries (article_id, method, lang, sentences, figures,
                        created_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (article_id, method) DO UPDATE SET lang = excluded.lang,
                        sentences = excluded.sentences, figures = excluded.figures,
                        created_at = excluded.created_at""",
                    (
                        article_id,
                        summary.method,
                        summary.lang,
                        sentences,
                        figures,
                        to_db_time(at or self._clock()),
                    ),
                )
        except sqlite3.IntegrityError:
            raise KeyError(f"no stored article with id {article_id}") from None

    async def get_summary(self, article_id: int, method: str) -> TextSummary | None:
        rows = await self._read(
            "SELECT * FROM summaries WHERE article_id = ? AND method = ?", (article_id, method)
        )
        if not rows:
            return None
        row = rows[0]
        return decode_summary(row["sentences"], row["figures"], method=method, lang=row["lang"])

    # --- feeds ---

    async def get_feed(self, url: str) -> FeedState | None:
        rows = await self._read("SELECT * FROM feeds WHERE url = ?", (url,))
        return feed_from_row(rows[0]) if rows else None

    async def due_feeds(self, now: datetime | None = None) -> list[FeedState]:
        rows = await self._read(
            """SELECT * FROM feeds WHERE next_attempt IS NULL OR next_attempt <= ?
            ORDER BY url""",
            (to_db_time(now or self._clock()),),
        )
        return [feed_from_row(row) for row in rows]

    async def feed_succeeded(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        at: datetime | None = None,
    ) -> FeedState:
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    """UPDATE feeds SET etag = coalesce(?, etag),
                        last_modified = coalesce(?, last_modified), last_success = ?,
                        consecutive_failures = 0, last_error = NULL, next_attempt = NULL
                    WHERE url = ? RETURNING *""",
                    (etag, last_modified, to_db_time(at or self._clock()), url),
                )
            )
        if not rows:
            raise KeyError(f"no feed {url}")
        return feed_from_row(rows[0])

    async def feed_failed(self, url: str, error: str, *, at: datetime | None = None) -> FeedState:
        when = at or self._clock()
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "SELECT consecutive_failures FROM feeds WHERE url = ?", (url,)
                )
            )
            if not rows:
                raise KeyError(f"no feed {url}")
            failures = rows[0][0] + 1
            rows = list(
                await db.execute_fetchall(
                    """UPDATE feeds SET consecutive_failures = ?, last_error = ?,
                        next_attempt = ? WHERE url = ? RETURNING *""",
                    (failures, error, to_db_time(when + feed_backoff(failures)), url),
                )
            )
        return feed_from_row(rows[0])
