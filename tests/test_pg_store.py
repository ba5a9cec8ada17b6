"""The PostgreSQL store's own machinery on a real server: migrations, and claims made under
concurrency by separate connection pools (as separate processes would hold)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import pytest
from store_fixtures import DAY, STORY, T0, article

from bot.store import SchemaError, StoreError, Subscription
from bot.store.postgres import LATEST_VERSION, PostgresStore
from bot.store.postgres.schema import MIGRATIONS, PgMigration, migrate
from bot.store.records.alerts import Watch, WatchHit

REPLICAS = 4


async def open_many(dsn: str, count: int = REPLICAS) -> list[PostgresStore]:
    return list(
        await asyncio.gather(*(PostgresStore.open(dsn, clock=lambda: T0) for _ in range(count)))
    )


async def test_replicas_starting_at_once_migrate_once(pg_dsn: str) -> None:
    stores = await open_many(pg_dsn)  # each runs migrate() on its own connection
    try:
        conn = await asyncpg.connect(pg_dsn)
        try:
            rows = await conn.fetch("SELECT version FROM schema_version ORDER BY version")
        finally:
            await conn.close()
        assert [row["version"] for row in rows] == list(range(1, LATEST_VERSION + 1))
        assert all([await store.integrity_check() for store in stores])
        conn = await asyncpg.connect(pg_dsn)
        try:  # the operator can tell Newsbrief's sessions apart
            names = await conn.fetch(
                "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()"
            )
        finally:
            await conn.close()
        assert sum(row[0] == "newsbrief" for row in names) >= REPLICAS
    finally:
        for store in stores:
            await store.aclose()


async def test_a_newer_database_is_refused_in_one_sentence(pg_dsn: str) -> None:
    async with await PostgresStore.open(pg_dsn):
        pass
    conn = await asyncpg.connect(pg_dsn)
    try:
        await conn.execute(
            "INSERT INTO schema_version (version, description) VALUES ($1, 'from the future')",
            LATEST_VERSION + 1,
        )
    finally:
        await conn.close()
    with pytest.raises(SchemaError) as error:
        await PostgresStore.open(pg_dsn)
    assert error.value.message == (
        f"The database is at schema version {LATEST_VERSION + 1}, newer than this program's "
        f"{LATEST_VERSION}; upgrade Newsbrief or use another NEWSBRIEF_DB."
    )


async def test_a_failing_step_leaves_nothing_behind(pg_dsn: str) -> None:
    broken = PgMigration(len(MIGRATIONS) + 1, "broken", ("CREATE TABLE x (n int)", "NOT SQL"))
    conn = await asyncpg.connect(pg_dsn)
    try:
        with pytest.raises(asyncpg.PostgresSyntaxError):
            await migrate(conn, [*MIGRATIONS, broken])
        assert await conn.fetchval("SELECT to_regclass('articles')") is None  # all rolled back
        assert await migrate(conn) == LATEST_VERSION
        assert await migrate(conn) == LATEST_VERSION  # nothing left to run
        with pytest.raises(ValueError, match="numbered"):
            await migrate(conn, MIGRATIONS[1:] or [broken])
    finally:
        await conn.close()


async def test_a_server_that_refuses_us_is_one_sentence_without_the_password(
    pg_dsn: str,
) -> None:
    missing = pg_dsn.replace("/t_", "/nope_", 1).replace("postgresql://", "postgresql://x:pw@")
    with pytest.raises(StoreError) as error:
        await PostgresStore.open(missing)
    assert error.value.message.startswith("Cannot connect to PostgreSQL at ")
    assert "pw" not in error.value.message.replace("PostgreSQL", "")


async def test_an_expired_lease_is_taken_over_by_exactly_one_replica(pg_dsn: str) -> None:
    stores = await open_many(pg_dsn)
    try:
        first = await stores[0].begin_delivery("slack", "C1", "migration", DAY, owner="dead")
        assert first.lease_owner == "dead"
        later = T0 + timedelta(minutes=5)  # the dead owner's lease has run out
        claims = await asyncio.gather(
            *(
                store.begin_delivery("slack", "C1", "migration", DAY, owner=f"r{i}", at=later)
                for i, store in enumerate(stores)
            )
        )
        owners = {claim.lease_owner for claim in claims}
        assert len(owners) == 1 and owners != {"dead"}  # every caller sees the one winner
        [winner] = owners
        assert sum(claim.attempts == 2 for claim in claims) == REPLICAS  # raised once
        # The live lease is never taken over; only its owner renews it.
        assert not await stores[0].renew_delivery(first.delivery_key, "dead", at=later)
        assert await stores[1].renew_delivery(first.delivery_key, winner, at=later)
        done = await stores[2].finish_delivery(first.delivery_key, message_ref="m1")
        again = await stores[3].begin_delivery("slack", "C1", "migration", DAY, owner="late")
        assert done.state == again.state == "sent" and again.attempts == 2
    finally:
        for store in stores:
            await store.aclose()


async def test_replicas_recording_one_new_digest_at_once_get_one_row_and_one_owner(
    pg_dsn: str,
) -> None:
    stores = await open_many(pg_dsn)
    try:
        for day in range(5):  # several rounds: the race is the server's to schedule
            claims = await asyncio.gather(
                *(
                    store.begin_delivery(
                        "slack", "C1", "migration", DAY + timedelta(days=day), owner=f"r{i}"
                    )
                    for i, store in enumerate(stores)
                )
            )
            assert len({claim.id for claim in claims}) == 1
            assert len({claim.lease_owner for claim in claims}) == 1
            assert {claim.attempts for claim in claims} == {1}
    finally:
        for store in stores:
            await store.aclose()


async def test_concurrent_claims_of_articles_alerts_and_tenants_each_win_once(
    pg_dsn: str,
) -> None:
    stores = await open_many(pg_dsn)
    try:
        results = await asyncio.gather(
            *(
                store.upsert_article(article(f"https://news.example/{i}", STORY))
                for i, store in enumerate(stores)
            )
        )
        assert len({stored.id for stored, _ in results}) == 1  # the same text: one article
        assert sum(new for _, new in results) == 1
        stored = results[0][0]
        watch = await stores[0].add_watch(Watch("slack", "C1", "slack:T1", "people"))
        assert watch.id is not None
        hit = WatchHit(watch.id, stored.id, 190000.0, "190,000 people", None, "en", T0, True)
        recorded = await asyncio.gather(*(store.record_watch_hit(hit) for store in stores))
        assert sorted(recorded) == [False] * (REPLICAS - 1) + [True]  # one alert goes out
        await stores[0].add_feed("https://feeds.example/a")
        lists = await asyncio.gather(*(store.tenant_feeds("discord:G1") for store in stores))
        assert all([feed.url for feed in found] == ["https://feeds.example/a"] for found in lists)
    finally:
        for store in stores:
            await store.aclose()


async def test_a_dropped_connection_is_one_store_error_and_the_next_call_reconnects(
    pg_dsn: str,
) -> None:
    async with await PostgresStore.open(pg_dsn, clock=lambda: T0) as store:
        await store.subscribe(Subscription("slack", "C1"))
        admin = await asyncpg.connect(pg_dsn)
        try:  # what a server restart or a failover does to every pooled connection
            await admin.execute(
                """SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid != pg_backend_pid()"""
            )
        finally:
            await admin.close()
        outcomes = []
        for _ in range(3):
            try:
                outcomes.append(len(await store.list_subscriptions()))
            except StoreError as err:
                assert err.message.startswith("The connection to PostgreSQL failed")
                outcomes.append(None)
        assert outcomes[-1] == 1  # the pool opened a new connection
