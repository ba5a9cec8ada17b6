"""The PostgreSQL store's archive: full-text search over a tenant's articles, sent digests.

``articles.search_doc`` is a generated ``tsvector`` (title weighted A, text B; English stems,
no stop words, accents folded: see ``schema``), indexed with GIN, so every insert, update and
pruning keeps it in step without triggers. A query is built from the words only (``\\w+``), each
an operand joined by ``&`` (then, if nothing has them all, ``|``): no user text is syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from bot.store.postgres.base import ts
from bot.store.postgres.rows import ARTICLE_COLUMNS, article_from_row, delivery_from_row
from bot.store.postgres.schema_v1 import SEARCH_CONFIG, folded
from bot.store.postgres.tenants import PgTenantStore
from bot.store.records import Platform, StoredArticle
from bot.store.records.search import SentDigest

MAX_QUERY_WORDS = 12  # as SQLite's
_WORD = re.compile(r"\w+")
# The tenant rule of SQLiteSearchStore: its feeds' articles, those sent to its channels, and
# those stored before feeds were recorded.
_VISIBLE = """(NOT EXISTS (SELECT 1 FROM article_feeds WHERE article_id = articles.id)
    OR EXISTS (SELECT 1 FROM article_feeds JOIN tenant_feeds ON tenant_feeds.url = feed_url
        WHERE article_id = articles.id AND tenant_feeds.tenant = $1)
    OR EXISTS (SELECT 1 FROM sent_articles JOIN subscriptions USING (platform, channel)
        WHERE sent_articles.article_id = articles.id AND subscriptions.tenant = $1))"""
# A title match weighs ten times a body match (weights D, C, B, A), as SQLite's bm25 does.
_SEARCH = f"""WITH q AS (SELECT to_tsquery('{SEARCH_CONFIG}', {folded("$2")}) AS query)
    SELECT {ARTICLE_COLUMNS} FROM articles, q
    WHERE search_doc @@ q.query AND ($3::timestamptz IS NULL
        OR coalesce(published, fetched_at) >= $3) AND {_VISIBLE}
    ORDER BY ts_rank('{{0, 0, 0.1, 1.0}}', search_doc, q.query) DESC,
        coalesce(published, fetched_at) DESC, articles.id DESC
    LIMIT $4"""


def ts_query(words: Sequence[str], operator: str = "&") -> str:
    """A ``to_tsquery`` text of the words only, joined by ``operator`` (``&`` or ``|``)."""
    terms = [word for text in words for word in _WORD.findall(text)][:MAX_QUERY_WORDS]
    return f" {operator} ".join(terms)


class PgSearchStore(PgTenantStore):
    """Search of the tenant's archive and the digests a channel got, on PostgreSQL."""

    async def search_articles(
        self,
        tenant: str,
        words: Sequence[str],
        *,
        since: datetime | None = None,
        limit: int = 5,
    ) -> list[StoredArticle]:
        every = ts_query(words)
        if not every:
            return []
        async with self._transaction() as db:
            await self._seed(db, tenant)
            rows = await db.fetch(_SEARCH, tenant, every, ts(since), limit)
            if not rows and " & " in every:  # no article has every word: any of them
                rows = await db.fetch(_SEARCH, tenant, ts_query(words, "|"), ts(since), limit)
        return [article_from_row(row) for row in rows]

    async def sent_digests(
        self, platform: Platform, channel: str, digest_date: date
    ) -> list[SentDigest]:
        deliveries = await self._read(
            """SELECT * FROM deliveries WHERE platform = $1 AND channel = $2
                AND digest_date = $3 ORDER BY topic""",
            platform,
            channel,
            digest_date,
        )
        found = []
        for row in deliveries:
            articles = await self._read(
                f"""SELECT {ARTICLE_COLUMNS} FROM sent_articles
                JOIN articles ON articles.id = article_id WHERE delivery_id = $1
                ORDER BY coalesce(articles.published, articles.fetched_at) DESC, articles.id""",
                row["id"],
            )
            found.append(
                SentDigest(delivery_from_row(row), tuple(article_from_row(a) for a in articles))
            )
        return found
