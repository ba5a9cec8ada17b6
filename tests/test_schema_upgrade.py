"""A database written before leases and tenants opens, upgraded, with nothing lost."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.store import OPERATOR_TENANT, Subscription, delivery_key, open_store
from bot.store.sqlite.schema import LATEST_VERSION, MIGRATIONS, migrate, schema_version

DAY = date(2026, 5, 1)


async def test_a_version_1_database_keeps_its_feeds_subscriptions_and_pending_digests(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as db:
        assert await migrate(db, MIGRATIONS[:1]) == 1
        await db.execute("INSERT INTO feeds (url, name) VALUES ('https://a.example/rss', 'A')")
        await db.execute(
            """INSERT INTO subscriptions (platform, channel, topic, local_time, timezone,
                sentences) VALUES ('slack', 'C1', 'migration', '07:00', 'UTC', 3)"""
        )
        key = delivery_key("slack", "C1", "migration", DAY)
        await db.execute(
            """INSERT INTO deliveries (platform, channel, topic, digest_date, delivery_key,
                state, attempts, created_at) VALUES ('slack', 'C1', 'migration', ?, ?,
                'pending', 1, ?)""",
            (DAY.isoformat(), key, (datetime.now(UTC) - timedelta(hours=1)).isoformat()),
        )
    async with await open_store(path) as store:
        # The old feeds became the operator's list, which new tenants copy.
        assert [f.url for f in await store.tenant_feeds(OPERATOR_TENANT)] == [
            "https://a.example/rss"
        ]
        assert [f.name for f in await store.tenant_feeds("slack:T1")] == ["A"]
        [old] = await store.list_subscriptions()
        assert old == Subscription("slack", "C1", "migration", id=old.id, tenant=None)
        # A pending row from before leases has none: its sender is taken for dead.
        taken = await store.begin_delivery("slack", "C1", "migration", DAY, owner="new")
        assert (taken.attempts, taken.lease_owner) == (2, "new")
    async with aiosqlite.connect(path) as db:
        assert await schema_version(db) == LATEST_VERSION
