"""The ``Store`` on PostgreSQL (asyncpg): articles, summaries and feeds, on top of the rest."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import asyncpg

from bot.models import Article
from bot.store.dedup import MatchedBy, article_identity, merge_known, pick_match
from bot.store.postgres.base import ts
from bot.store.postgres.channel_extras import PgExtrasStore
from bot.store.postgres.installations import PgInstallationStore
from bot.store.postgres.leases import PgLeaseStore
from bot.store.postgres.rows import ARTICLE_COLUMNS, article_from_row, feed_from_row
from bot.store.postgres.search import PgSearchStore
from bot.store.postgres.stories import PgStoryStore
from bot.store.records import FeedState, StoredArticle, feed_backoff
from bot.store.summary_codec import decode_summary, encode_summary
from bot.web.urls import canonical_url as url_key
from summarizers.types import TextSummary

_RETURNING = ARTICLE_COLUMNS.replace("articles.", "")
_MATCHES = """SELECT $1::int AS kind, article_id AS id FROM article_keys WHERE key = $2
    UNION ALL SELECT $3::int, id FROM articles WHERE content_hash = $4
    UNION ALL SELECT $5::int, article_id FROM article_keys WHERE key = ANY($6::text[])"""


class PostgresStore(PgLeaseStore, PgInstallationStore, PgSearchStore, PgStoryStore, PgExtrasStore):
    """The complete PostgreSQL ``Store``: ``store = await PostgresStore.open(dsn)``, ``aclose()``.

    Split over modules as the SQLite store is: ``PgBase`` (pool, migrations, transactions),
    ``PgChannelStore`` (subscriptions, settings, sent log), ``PgTenantStore`` (feed lists),
    ``PgSearchStore`` (archive), ``PgStoryStore`` (digest plans, story log), ``PgExtrasStore``
    (alerts, filters, buttons) and this one (articles, summaries, feed fetch state).
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
        identity = article_identity(article, keys)
        fetched = ts(fetched_at or self._clock())
        async with self._transaction() as db:
            # Two passes at most: an insert that loses a race with another process for the same
            # URL or text inserts nothing (ON CONFLICT DO NOTHING) and finds the winner's row.
            for _ in range(2):
                found: dict[MatchedBy, int] = {}
                for row in await db.fetch(
                    _MATCHES,
                    int(MatchedBy.CANONICAL_URL),
                    identity.canonical_key,
                    int(MatchedBy.TEXT),
                    identity.content_hash,
                    int(MatchedBy.OTHER_NAME),
                    list(identity.names),
                ):
                    found.setdefault(MatchedBy(row["kind"]), row["id"])
                match = pick_match(found)
                if match is not None:
                    known = article_from_row(
                        await db.fetchrow(
                            f"SELECT {_RETURNING} FROM articles WHERE id = $1 FOR UPDATE", match
                        )
                    )
                    merged = merge_known(known, article, topic_score=topic_score)
                    row = await db.fetchrow(
                        f"""UPDATE articles SET title = $1, byline = $2, source = $3,
                            published = $4, topic_score = $5 WHERE id = $6
                        RETURNING {_RETURNING}""",
                        merged.title,
                        merged.byline,
                        merged.source,
                        ts(merged.published),
                        merged.topic_score,
                        match,
                    )
                    break
                row = await db.fetchrow(
                    f"""INSERT INTO articles (url, canonical_url, content_hash, title, byline,
                        source, published, lang, text, fetched_at, topic_score)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    ON CONFLICT DO NOTHING RETURNING {_RETURNING}""",
                    identity.url,
                    identity.canonical_url,
                    identity.content_hash,
                    article.title,
                    article.byline,
                    article.source,
                    ts(article.published),
                    article.lang,
                    article.text,
                    fetched,
                    topic_score,
                )
                if row is not None:
                    break
            stored = article_from_row(row)
            # A name already mapped to another article keeps its first mapping.
            await db.execute(
                """INSERT INTO article_keys (key, article_id)
                SELECT key, $2 FROM unnest($1::text[]) AS key ON CONFLICT DO NOTHING""",
                list(identity.names),
                stored.id,
            )
        return stored, match is None

    async def get_article(self, article_id: int) -> StoredArticle | None:
        rows = await self._read(f"SELECT {_RETURNING} FROM articles WHERE id = $1", article_id)
        return article_from_row(rows[0]) if rows else None

    async def article_for_url(self, url_or_guid: str) -> StoredArticle | None:
        rows = await self._read(
            f"""SELECT {ARTICLE_COLUMNS} FROM article_keys
            JOIN articles ON articles.id = article_id WHERE key = $1""",
            url_key(url_or_guid),
        )
        return article_from_row(rows[0]) if rows else None

    async def articles_since(
        self, since: datetime, *, limit: int | None = None
    ) -> list[StoredArticle]:
        rows = await self._read(
            f"""SELECT {_RETURNING} FROM articles WHERE coalesce(published, fetched_at) >= $1
            ORDER BY coalesce(published, fetched_at) DESC, id DESC LIMIT $2""",
            ts(since),
            limit,
        )
        return [article_from_row(row) for row in rows]

    async def set_topic_score(self, article_id: int, score: float | None) -> None:
        async with self._transaction() as db:
            await db.execute(
                "UPDATE articles SET topic_score = $1 WHERE id = $2", score, article_id
            )

    async def save_summary(
        self, article_id: int, summary: TextSummary, *, at: datetime | None = None
    ) -> None:
        sentences, figures = encode_summary(summary)
        when = ts(at or self._clock())
        async with self._transaction() as db:
            try:
                await db.execute(
                    """INSERT INTO summaries (article_id, method, lang, sentences, figures,
                        created_at) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (article_id, method) DO UPDATE SET lang = excluded.lang,
                        sentences = excluded.sentences, figures = excluded.figures,
                        created_at = excluded.created_at""",
                    article_id,
                    summary.method,
                    summary.lang,
                    sentences,
                    figures,
                    when,
                )
            except asyncpg.ForeignKeyViolationError:
                raise KeyError(f"no stored article with id {article_id}") from None

    async def get_summary(self, article_id: int, method: str) -> TextSummary | None:
        rows = await self._read(
            "SELECT * FROM summaries WHERE article_id = $1 AND method = $2", article_id, method
        )
        if not rows:
            return None
        row = rows[0]
        return decode_summary(row["sentences"], row["figures"], method=method, lang=row["lang"])

    # --- feed fetch state ---

    async def get_feed(self, url: str) -> FeedState | None:
        rows = await self._read("SELECT * FROM feeds WHERE url = $1", url)
        return feed_from_row(rows[0]) if rows else None

    async def due_feeds(self, now: datetime | None = None) -> list[FeedState]:
        rows = await self._read(
            "SELECT * FROM feeds WHERE next_attempt IS NULL OR next_attempt <= $1 ORDER BY url",
            ts(now or self._clock()),
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
            row = await db.fetchrow(
                """UPDATE feeds SET etag = coalesce($1, etag),
                    last_modified = coalesce($2, last_modified), last_success = $3,
                    consecutive_failures = 0, last_error = NULL, next_attempt = NULL
                WHERE url = $4 RETURNING *""",
                etag,
                last_modified,
                ts(at or self._clock()),
                url,
            )
        if row is None:
            raise KeyError(f"no feed {url}")
        return feed_from_row(row)

    async def feed_failed(self, url: str, error: str, *, at: datetime | None = None) -> FeedState:
        when = ts(at or self._clock())
        assert when is not None
        async with self._transaction() as db:
            failures = await db.fetchval(
                "SELECT consecutive_failures FROM feeds WHERE url = $1 FOR UPDATE", url
            )
            if failures is None:
                raise KeyError(f"no feed {url}")
            row = await db.fetchrow(
                """UPDATE feeds SET consecutive_failures = $1, last_error = $2,
                    next_attempt = $3 WHERE url = $4 RETURNING *""",
                failures + 1,
                error,
                when + feed_backoff(failures + 1),
                url,
            )
        return feed_from_row(row)
