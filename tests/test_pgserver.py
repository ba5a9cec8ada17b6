"""The throwaway PostgreSQL server the store tests use: up, private to each test, socket only."""

from __future__ import annotations

import asyncpg
from pgserver import PgServer


async def test_each_test_gets_its_own_empty_database_on_a_socket_only_server(
    pg_dsn: str, pg_server: PgServer
) -> None:
    connection = await asyncpg.connect(pg_dsn)
    try:
        await connection.execute("CREATE TABLE marker (n int)")
        assert await connection.fetchval("SELECT count(*) FROM marker") == 0
        assert await connection.fetchval("SHOW listen_addresses") == ""
        assert await connection.fetchval("SHOW server_encoding") == "UTF8"
        tables = await connection.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        )
        assert tables == 1
    finally:
        await connection.close()
    assert pg_dsn != pg_server.dsn()
