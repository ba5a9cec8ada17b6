"""The SQLite store's archive: full-text search (FTS5) over a tenant's articles, sent digests.

``articles_fts`` is an FTS5 index over ``articles`` (external content: the text is stored once),
kept in step by triggers on every insert, update and delete, pruning included. Summaries are
extractive, so the sentences of every summary are already in the indexed text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from bot.store.records import Platform, StoredArticle
from bot.store.records.search import SentDigest
from bot.store.rows import article_from_row, delivery_from_row
from bot.store.sqlite.schema import to_db_time
from bot.store.sqlite.tenants import SQLiteTenantStore

MAX_QUERY_WORDS = 12
_WORD = re.compile(r"\w+")
# Which articles a tenant may find: those a feed on its list brought, those sent to one of its
# channels (a feed it dropped since), and those stored before feeds were recorded (schema 3),
# which every tenant's digests used. Links pasted in chat are not archived at all.
_VISIBLE = """(NOT EXISTS (SELECT 1 FROM article_feeds WHERE article_id = articles.id)
    OR EXISTS (SELECT 1 FROM article_feeds JOIN tenant_feeds ON tenant_feeds.url = feed_url
        WHERE article_id = articles.id AND tenant_feeds.tenant = :tenant)
    OR EXISTS (SELECT 1 FROM sent_articles JOIN subscriptions USING (platform, channel)
        WHERE sent_articles.article_id = articles.id AND subscriptions.tenant = :tenant))"""
# A title match counts ten times a body match (bm25 column weights: title, text).
_SEARCH = f"""SELECT articles.* FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid
    WHERE articles_fts MATCH :query AND coalesce(published, fetched_at) >= :since
        AND {_VISIBLE}
    ORDER BY bm25(articles_fts, 10.0, 1.0), coalesce(published, fetched_at) DESC LIMIT :limit"""


def fts_query(words: Sequence[str], operator: str = "AND") -> str:
    """An FTS5 expression of the words only: each a quoted string, so no user text is syntax.

    Quoting makes AND, OR, NOT, NEAR, ``*``, ``^``, ``:`` and parentheses plain words; only
    word characters are kept (the tokenizer drops the rest anyway), so no quote can close early.
    """
    terms = [f'"{word}"' for text in words for word in _WORD.findall(text)][:MAX_QUERY_WORDS]
    return f" {operator} ".join(terms)


class SQLiteSearchStore(SQLiteTenantStore):
    """Search of the tenant's archive and the digests a channel got, on SQLite."""

    async def search_articles(
        self,
        tenant: str,
        words: Sequence[str],
        *,
        since: datetime | None = None,
        limit: int = 5,
    ) -> list[StoredArticle]:
        every = fts_query(words)
        if not every:
            return []
        params = {"tenant": tenant, "since": to_db_time(since) or "", "limit": limit}
        async with self._transaction() as db:
            await self._seed(db, tenant)  # a tenant seen for the first time has its list
            rows = list(await db.execute_fetchall(_SEARCH, {**params, "query": every}))
            if not rows and " AND " in every:  # no article has every word: any of them
                any_word = fts_query(words, "OR")
                rows = list(await db.execute_fetchall(_SEARCH, {**params, "query": any_word}))
        return [article_from_row(row) for row in rows]

    async def sent_digests(
        self, platform: Platform, channel: str, digest_date: date
    ) -> list[SentDigest]:
        deliveries = await self._read(
            """SELECT * FROM deliveries WHERE platform = ? AND channel = ? AND digest_date = ?
            ORDER BY topic""",
            (platform, channel, digest_date.isoformat()),
        )
        found = []
        for row in deliveries:
            articles = await self._read(
                """SELECT articles.* FROM sent_articles JOIN articles ON articles.id = article_id
                WHERE delivery_id = ?
                ORDER BY coalesce(articles.published, articles.fetched_at) DESC, articles.id""",
                (row["id"],),
            )
            found.append(
                SentDigest(delivery_from_row(row), tuple(article_from_row(a) for a in articles))
            )
        return found
