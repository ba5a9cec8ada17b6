"""What `run` does to its database on either backend: hold it for life, prune it daily.

SQLite: the flock beside the file (``process_lock``), after checking the file is sound.
PostgreSQL: nothing is held; several replicas may run on one database (docs/scaling.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator

from bot.store.maintenance import PruneResult, ensure_sound, prune
from bot.store.process_lock import hold_database_lock


@contextlib.asynccontextmanager
async def hold_for_run(location: str | os.PathLike[str]) -> AsyncIterator[None]:
    """Hold the database for this process until the block ends (refused if another holds it);
    a damaged SQLite file is refused too, with what to do."""
    target = os.fspath(location)
    if target.startswith(("postgres://", "postgresql://")):
        # Several replicas share a PostgreSQL database (docs/scaling.md): digests are claimed
        # per row, polling by the leader lease, so no run lock is taken there.
        yield
        return
    with hold_database_lock(target):
        await asyncio.to_thread(ensure_sound, target)
        yield


async def prune_store(location: str | os.PathLike[str], keep_days: int) -> PruneResult:
    """The daily pruning of old texts (``maintenance.prune``), on either backend."""
    target = os.fspath(location)
    if target.startswith(("postgres://", "postgresql://")):
        from bot.store.postgres.maintenance import prune_database

        return await prune_database(target, keep_days)
    return await prune(target, keep_days)
