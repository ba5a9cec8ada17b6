"""Care of a PostgreSQL database: pruning old texts, and what `check` reports of the server.

Backups are pg_dump's (docs/operations.md): PostgreSQL's own tool takes a consistent snapshot
of a live database, and Newsbrief does not reimplement it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

from bot.store.maintenance import MIN_KEEP_DAYS, PruneResult
from bot.store.postgres.base import CONNECT_TIMEOUT_S, connect_error, store_error
from bot.store.postgres.schema import schema_version
from bot.store.records import utc_now


async def prune_database(dsn: str, keep_days: int, *, now: datetime | None = None) -> PruneResult:
    """What ``bot.store.maintenance.prune_file`` does to a SQLite file, on PostgreSQL: empty the
    texts and drop the summaries of articles fetched more than ``keep_days`` ago; the rows, keys
    and sent log stay (see there why). The search index follows (a generated column)."""
    if keep_days < MIN_KEEP_DAYS:
        raise ValueError(f"keep_days must be at least {MIN_KEEP_DAYS}")
    cutoff = (now or utc_now()) - timedelta(days=keep_days)
    try:
        conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        raise connect_error(dsn, exc) from None
    try:
        async with conn.transaction():
            summaries = await conn.fetchval(
                """WITH gone AS (DELETE FROM summaries WHERE article_id IN
                    (SELECT id FROM articles WHERE fetched_at < $1) RETURNING 1)
                SELECT count(*) FROM gone""",
                cutoff,
            )
            texts = await conn.fetchval(
                """WITH gone AS (UPDATE articles SET text = '' WHERE fetched_at < $1
                    AND text != '' RETURNING 1) SELECT count(*) FROM gone""",
                cutoff,
            )
            await conn.execute(
                """UPDATE summary_controls SET text = '', shown = '[]'
                WHERE created_at < $1 AND text != ''""",
                cutoff,
            )
            await conn.execute("DELETE FROM delivered_stories WHERE last_sent < $1", cutoff)
    except asyncpg.PostgresError as exc:
        raise store_error(exc) from exc
    finally:
        await conn.close()
    return PruneResult(texts_emptied=int(texts), summaries_deleted=int(summaries))


async def describe_server(dsn: str) -> tuple[str, int, int, int]:
    """(server version, schema version, connections in use, max_connections), for `check`."""
    try:
        conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        raise connect_error(dsn, exc) from None
    try:
        version = await schema_version(conn)
        server = str(await conn.fetchval("SHOW server_version")).split()[0]
        used = int(await conn.fetchval("SELECT count(*) FROM pg_stat_activity"))
        limit = int(await conn.fetchval("SHOW max_connections"))
    except asyncpg.PostgresError as exc:
        raise store_error(exc) from exc
    finally:
        await conn.close()
    return server, version, used, limit
