"""`newsbrief migrate-store --from sqlite:///data/newsbrief.db --to postgresql://...`."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings, database_path, postgres_url
from bot.errors import InputError
from bot.store.process_lock import hold_database_lock


def add_migrate_store(commands: Any) -> None:
    """Add the subcommand to the CLI's subparsers."""
    migrate = commands.add_parser(
        "migrate-store", help="copy a SQLite database into PostgreSQL (stop the bot first)"
    )
    migrate.add_argument(
        "--from", dest="source", required=True, help="the SQLite file (path or sqlite:///path)"
    )
    migrate.add_argument(
        "--to",
        dest="target",
        help="postgresql://user:password@host/database (default: NEWSBRIEF_DB, if it is one)",
    )
    migrate.add_argument(
        "--force", action="store_true", help="replace what the PostgreSQL database holds"
    )
    migrate.set_defaults(handler=run_migrate_store)


async def run_migrate_store(args: argparse.Namespace, settings: Settings) -> int:
    """Copy every table, check the row counts, and say what was copied in a few lines."""
    # asyncpg and the copy load only for this command.
    from bot.store.postgres.base import where
    from bot.store.postgres.copy import copy_sqlite_to_postgres

    try:
        source = database_path(args.source)
        target = postgres_url(args.target) if args.target else None
    except ValueError as err:
        raise InputError(f"migrate-store: {err}.") from None
    if args.target and target is None:
        raise InputError("--to must be a postgresql://user:password@host/database address.")
    if target is None and settings.db_url is not None:
        target = settings.db_url.get_secret_value()
    if target is None:
        raise InputError(
            "Give --to postgresql://user:password@host/database (or set NEWSBRIEF_DB to it)."
        )
    if not source.is_file():
        raise InputError(f"There is no SQLite database at {source}.")
    with hold_database_lock(source):  # a bot writing to the file meanwhile would be lost
        report = await copy_sqlite_to_postgres(str(source), target, force=args.force)
    print(f"Copied {report.total:,} rows from {source} to PostgreSQL at {where(target)}:")
    print("  " + ", ".join(f"{name} {count:,}" for name, count in report.counts))
    print("Row counts match. Set NEWSBRIEF_DB to the PostgreSQL address and start Newsbrief.")
    return 0
