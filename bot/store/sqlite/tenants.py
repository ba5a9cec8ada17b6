"""The SQLite store's feed lists: the operator's, each tenant's, and the feeds of each article."""

from __future__ import annotations

import json
from collections.abc import Iterable

import aiosqlite

from bot.store.records import OPERATOR_TENANT, QUIET_SYNC_GRACE, FeedState
from bot.store.rows import feed_from_row
from bot.store.sqlite.channels import SQLiteChannelStore
from bot.store.sqlite.schema import to_db_time
from bot.web.urls import canonical_url as url_key

_LIST_SQL = """SELECT feeds.* FROM tenant_feeds JOIN feeds USING (url)
    WHERE tenant_feeds.tenant = ? ORDER BY url"""


class SQLiteTenantStore(SQLiteChannelStore):
    """Feed lists per tenant over one shared ``feeds`` table (one fetch and state per URL)."""

    # --- every feed, and the operator's list (tenant "*", from NEWSBRIEF_FEEDS) ---

    async def add_feed(self, url: str, name: str | None = None) -> FeedState:
        return await self.add_tenant_feed(OPERATOR_TENANT, url, name)

    async def remove_feed(self, url: str) -> bool:
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                "DELETE FROM feeds WHERE url = ? RETURNING url", (url,)
            )  # and from every tenant's list (ON DELETE CASCADE)
        return bool(list(rows))

    async def list_feeds(self) -> list[FeedState]:
        return [feed_from_row(row) for row in await self._read("SELECT * FROM feeds ORDER BY url")]

    # --- a tenant's list ---

    async def tenant_feeds(self, tenant: str) -> list[FeedState]:
        async with self._transaction() as db:
            await self._seed(db, tenant)
            rows = await db.execute_fetchall(_LIST_SQL, (tenant,))
        return [feed_from_row(row) for row in rows]

    async def add_tenant_feed(
        self, tenant: str, url: str, name: str | None = None, *, undated: Iterable[str] = ()
    ) -> FeedState:
        # Quiet first sync: a feed a tenant adds to its list counts for its digests from now on
        # (``articles_for_tenant``). The operator's list is the database's starting list (the
        # runner fills it only while empty), so it and the tenant copies seeded from it have no
        # date and count from the start: the first digest of a new install is not empty.
        added = None if tenant == OPERATOR_TENANT else to_db_time(self._clock())
        # Items with no date in the feed at that moment cannot be aged: they are old by name.
        old = json.dumps(sorted({url_key(key) for key in undated if key})) if added else None
        async with self._transaction() as db:
            await self._seed(db, tenant)
            rows = await db.execute_fetchall(
                """INSERT INTO feeds (url, name) VALUES (?, ?)
                ON CONFLICT (url) DO UPDATE SET name = coalesce(excluded.name, name)
                RETURNING *""",
                (url, name),
            )
            await db.execute(  # a URL already listed keeps the date it was first added
                """INSERT OR IGNORE INTO tenant_feeds (tenant, url, added_at, undated_at_add)
                VALUES (?, ?, ?, ?)""",
                (tenant, url, added, old),
            )
        return feed_from_row(next(iter(rows)))

    async def remove_tenant_feed(self, tenant: str, url: str) -> bool:
        async with self._transaction() as db:
            await self._seed(db, tenant)
            rows = list(
                await db.execute_fetchall(
                    "DELETE FROM tenant_feeds WHERE tenant = ? AND url = ? RETURNING url",
                    (tenant, url),
                )
            )
            # A URL no list names any more is not polled (its fetch state goes with it).
            await db.execute(
                "DELETE FROM feeds WHERE url = ? AND url NOT IN (SELECT url FROM tenant_feeds)",
                (url,),
            )
        return bool(rows)

    async def _seed(self, db: aiosqlite.Connection, tenant: str) -> None:
        """Give a tenant seen for the first time a copy of the operator's list."""
        if not tenant:
            raise ValueError("A tenant id is required.")
        if tenant == OPERATOR_TENANT:
            return
        rows = list(
            await db.execute_fetchall(
                "INSERT OR IGNORE INTO tenants (tenant, seeded_at) VALUES (?, ?) RETURNING tenant",
                (tenant, to_db_time(self._clock())),
            )
        )
        if rows:
            await db.execute(
                """INSERT OR IGNORE INTO tenant_feeds (tenant, url, added_at)
                SELECT ?, url, added_at FROM tenant_feeds WHERE tenant = ?""",
                (tenant, OPERATOR_TENANT),
            )

    # --- which feeds brought which article ---

    async def link_article_feeds(self, links: Iterable[tuple[str, str]]) -> None:
        pairs = [(feed_url, url_key(key)) for key, feed_url in links if key]
        if not pairs:
            return
        async with self._transaction() as db:
            await db.executemany(
                """INSERT OR IGNORE INTO article_feeds (article_id, feed_url)
                SELECT article_id, ? FROM article_keys WHERE key = ?""",
                pairs,
            )

    async def articles_for_tenant(self, tenant: str, article_ids: Iterable[int]) -> set[int]:
        # An article counts when no feed is recorded for it (stored before schema version 3),
        # or when one of the tenant's feeds brought it and it is not older than the moment that
        # feed joined the tenant's list, less the grace (quiet first sync); an undated article
        # also must not be one of the undated items the feed listed then.
        grace_days = QUIET_SYNC_GRACE.total_seconds() / 86400
        async with self._transaction() as db:
            await self._seed(db, tenant)
            rows = await db.execute_fetchall(
                """SELECT value FROM json_each(?) AS ids
                WHERE NOT EXISTS (SELECT 1 FROM article_feeds WHERE article_id = ids.value)
                    OR EXISTS (SELECT 1 FROM article_feeds JOIN tenant_feeds
                        ON tenant_feeds.url = article_feeds.feed_url
                        JOIN articles ON articles.id = article_feeds.article_id
                        WHERE article_feeds.article_id = ids.value AND tenant_feeds.tenant = ?
                            AND (tenant_feeds.added_at IS NULL
                                OR julianday(coalesce(articles.published, articles.fetched_at))
                                    >= julianday(tenant_feeds.added_at) - ?
                                AND (articles.published IS NOT NULL
                                    OR NOT EXISTS (SELECT 1 FROM json_each(
                                        coalesce(tenant_feeds.undated_at_add, '[]')) AS old
                                        JOIN article_keys ON article_keys.key = old.value
                                        WHERE article_keys.article_id = articles.id))))""",
                (json.dumps(list(article_ids)), tenant, grace_days),
            )
        return {row[0] for row in rows}
