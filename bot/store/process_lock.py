"""One long-running Newsbrief per database: an OS lock on a file beside it, held for life.

Two ``newsbrief run`` processes on one file would both schedule every digest. The lock is
``fcntl.flock`` on ``<database>.lock``: the kernel drops it when the process dies, however it
dies, so a crash never leaves a stale lock behind (a PID file would). One-off commands
(``summarize``, ``backup``, ``check``) do not take it and keep working beside a running bot.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from bot.errors import ConfigurationError


class DatabaseInUseError(ConfigurationError):
    """Another Newsbrief process holds the database's lock."""


def lock_path(database: str | os.PathLike[str]) -> Path:
    """The lock file beside ``database``."""
    path = Path(database)
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def hold_database_lock(database: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the database's process lock until the block ends; refuse if someone else holds it."""
    if os.fspath(database) == ":memory:":
        yield
        return
    path = lock_path(database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as err:  # a folder that cannot be made or written: a setting to fix
        raise ConfigurationError(
            f"NEWSBRIEF_DB {database} cannot be used: {err.strerror or err} "
            f"({err.filename or path.parent}); point it at a writable folder."
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseInUseError(
                f"Another Newsbrief is running on NEWSBRIEF_DB {database}; stop it first, "
                "or give this one its own NEWSBRIEF_DB."
            ) from None
        # Which process holds it, for an operator looking at the file; the lock is the flock.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
