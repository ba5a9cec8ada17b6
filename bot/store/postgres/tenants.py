"""The PostgreSQL store's feed lists: the operator's, each tenant's, and each article's feeds."""

from __future__ import annotations

import json
from collections.abc import Iterable

import asyncpg

from bot.store.postgres.base import ts
from bot.store.postgres.channels import PgChannelStore
from bot.store.postgres.rows import feed_from_row
from bot.store.records import OPERATOR_TENANT, QUIET_SYNC_GRACE, FeedState
from bot.web.urls import canonical_url as url_key

_LIST_SQL = """SELECT feeds.* FROM tenant_feeds JOIN feeds USING (url)
    WHERE tenant_feeds.tenant = $1 ORDER BY url"""


class PgTenantStore(PgChannelStore):
    """Feed lists per tenant over one shared ``feeds`` table (one fetch and state per URL)."""

    async def add_feed(self, url: str, name: str | None = None) -> FeedState:
        return await self.add_tenant_feed(OPERATOR_TENANT, url, name)

    async def remove_feed(self, url: str) -> bool:
        async with self._transaction() as db:
            row = await db.fetchrow("DELETE FROM feeds WHERE url = $1 RETURNING url", url)
        return row is not None

    async def list_feeds(self) -> list[FeedState]:
        return [feed_from_row(row) for row in await self._read("SELECT * FROM feeds ORDER BY url")]

    async def tenant_feeds(self, tenant: str) -> list[FeedState]:
        async with self._transaction() as db:
            await self._seed(db, tenant)
            rows = await db.fetch(_LIST_SQL, tenant)
        return [feed_from_row(row) for row in rows]

    async def add_tenant_feed(
        self, tenant: str, url: str, name: str | None = None, *, undated: Iterable[str] = ()
    ) -> FeedState:
        # Quiet first sync, as on SQLite: the operator's list and its copies have no date.
        added = None if tenant == OPERATOR_TENANT else ts(self._clock())
        old = json.dumps(sorted({url_key(key) for key in undated if key})) if added else None
        async with self._transaction() as db:
            await self._seed(db, tenant)
            row = await db.fetchrow(
                """INSERT INTO feeds AS f (url, name) VALUES ($1, $2)
                ON CONFLICT (url) DO UPDATE SET name = coalesce(excluded.name, f.name)
                RETURNING *""",
                url,
                name,
            )
            await db.execute(  # a URL already listed keeps the date it was first added
                """INSERT INTO tenant_feeds (tenant, url, added_at, undated_at_add)
                VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT DO NOTHING""",
                tenant,
                url,
                added,
                old,
            )
        return feed_from_row(row)

    async def remove_tenant_feed(self, tenant: str, url: str) -> bool:
        async with self._transaction() as db:
            await self._seed(db, tenant)
            row = await db.fetchrow(
                "DELETE FROM tenant_feeds WHERE tenant = $1 AND url = $2 RETURNING url",
                tenant,
                url,
            )
            await db.execute(
                """DELETE FROM feeds WHERE url = $1
                AND NOT EXISTS (SELECT 1 FROM tenant_feeds WHERE url = $1)""",
                url,
            )
        return row is not None

    async def _seed(self, db: asyncpg.Connection, tenant: str) -> None:
        """Give a tenant seen for the first time a copy of the operator's list."""
        if not tenant:
            raise ValueError("A tenant id is required.")
        if tenant == OPERATOR_TENANT:
            return
        # ON CONFLICT: of two processes seeing a new tenant at once, one copies the list.
        first = await db.fetchrow(
            """INSERT INTO tenants (tenant, seeded_at) VALUES ($1, $2)
            ON CONFLICT DO NOTHING RETURNING tenant""",
            tenant,
            ts(self._clock()),
        )
        if first is not None:
            await db.execute(
                """INSERT INTO tenant_feeds (tenant, url, added_at)
                SELECT $1, url, added_at FROM tenant_feeds WHERE tenant = $2
                ON CONFLICT DO NOTHING""",
                tenant,
                OPERATOR_TENANT,
            )

    async def link_article_feeds(self, links: Iterable[tuple[str, str]]) -> None:
        pairs = [(feed_url, url_key(key)) for key, feed_url in links if key]
        if not pairs:
            return
        async with self._transaction() as db:
            await db.execute(
                """INSERT INTO article_feeds (article_id, feed_url)
                SELECT DISTINCT article_keys.article_id, pairs.feed_url
                FROM unnest($1::text[], $2::text[]) AS pairs (feed_url, key)
                JOIN article_keys ON article_keys.key = pairs.key
                ON CONFLICT DO NOTHING""",
                [feed for feed, _ in pairs],
                [key for _, key in pairs],
            )

    async def articles_for_tenant(self, tenant: str, article_ids: Iterable[int]) -> set[int]:
        # The same rule as SQLite's (see SQLiteTenantStore.articles_for_tenant).
        async with self._transaction() as db:
            await self._seed(db, tenant)
            rows = await db.fetch(
                """SELECT ids.id FROM unnest($1::bigint[]) AS ids (id)
                WHERE NOT EXISTS (SELECT 1 FROM article_feeds WHERE article_id = ids.id)
                    OR EXISTS (SELECT 1 FROM article_feeds JOIN tenant_feeds
                        ON tenant_feeds.url = article_feeds.feed_url
                        JOIN articles ON articles.id = article_feeds.article_id
                        WHERE article_feeds.article_id = ids.id AND tenant_feeds.tenant = $2
                            AND (tenant_feeds.added_at IS NULL
                                OR coalesce(articles.published, articles.fetched_at)
                                    >= tenant_feeds.added_at - $3::interval
                                AND (articles.published IS NOT NULL
                                    OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(
                                        coalesce(tenant_feeds.undated_at_add, '[]')) AS old
                                        JOIN article_keys ON article_keys.key = old.value
                                        WHERE article_keys.article_id = articles.id))))""",
                list(article_ids),
                tenant,
                QUIET_SYNC_GRACE,
            )
        return {row[0] for row in rows}
