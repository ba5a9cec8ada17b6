"""Newsbrief on PostgreSQL as an operator meets it: NEWSBRIEF_DB, `run` (console chat) starting
and stopping cleanly, `check`, `backup`, and the daily pruning."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from store_fixtures import STORY, T0, article
from webserver import WebServer

from adapters.check import run_checks
from adapters.runner import run_bot
from bot.config import DEFAULT_DB, Settings
from bot.store import Store, Subscription, open_store
from bot.store.postgres import LATEST_VERSION, PostgresStore
from bot.store.postgres.maintenance import prune_database

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = (FIXTURES / "seed" / "bbc-us-mexico-migration.html").read_bytes()


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_", "DISCORD"))
    }
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        timeout=120,
    )


def test_newsbrief_db_takes_a_postgres_address_as_a_secret() -> None:
    settings = Settings(NEWSBRIEF_DB="postgres://editor:s3cret@db.example:5433/nb")
    assert settings.database == "postgresql://editor:s3cret@db.example:5433/nb"
    assert settings.db_path == DEFAULT_DB  # only places the console's log file
    assert settings.database_name == "PostgreSQL db.example:5433/nb"
    assert "s3cret" not in repr(settings) + str(settings.model_dump())
    plain = Settings(NEWSBRIEF_DB="data/other.db")
    assert plain.db_url is None and plain.database == Path("data/other.db")


async def test_run_on_postgres_starts_serves_the_console_and_stops_cleanly(
    settings: Settings, web: WebServer, tmp_path: Path, pg_dsn: str
) -> None:
    web.respond("/story", SEED_HTML, content_type="text/html")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# an empty feed list: nothing to poll in this test\n")
    settings = settings.model_copy(
        update={"db_url": SecretStr(pg_dsn), "db_path": tmp_path / "unused.db", "feeds_file": feeds}
    )
    stdin = io.StringIO(f"/subscribe 06:00 Europe/Madrid\n{web.url('/story')}\n/quit\n")
    stdout = io.StringIO()
    await asyncio.wait_for(run_bot(settings, stdin=stdin, stdout=stdout), 60)
    text = stdout.getvalue()
    assert "every day at 06:00 Europe/Madrid" in text and "190,000" in text
    assert not (tmp_path / "unused.db").exists()  # nothing went to SQLite
    async with await open_store(pg_dsn) as store:
        assert isinstance(store, PostgresStore) and isinstance(store, Store)
        [subscription] = await store.list_subscriptions()
        assert subscription.timezone == "Europe/Madrid"
        assert await store.integrity_check()


async def test_check_reports_the_server_and_the_schema(settings: Settings, pg_dsn: str) -> None:
    checked = settings.model_copy(update={"db_url": SecretStr(pg_dsn)})
    [database] = [item for item in await run_checks(checked) if item.name == "database"]
    assert database.ok and "empty; `run` migrates it" in database.detail
    assert "PostgreSQL 1" in database.detail and "connections in use" in database.detail
    async with await PostgresStore.open(pg_dsn):
        pass
    [database] = [item for item in await run_checks(checked) if item.name == "database"]
    assert database.ok and database.detail.endswith(f"schema version {LATEST_VERSION}")
    gone = settings.model_copy(update={"db_url": SecretStr("postgresql://u:pw@127.0.0.1:1/x")})
    [database] = [item for item in await run_checks(gone) if item.name == "database"]
    assert not database.ok and database.detail.startswith("Cannot connect to PostgreSQL")


def test_backup_on_postgres_points_to_pg_dump_and_a_dead_server_is_one_sentence() -> None:
    backup = cli("backup", "x.dump", NEWSBRIEF_DB="postgresql://editor:s3cret@127.0.0.1:1/nb")
    assert backup.returncode == 1 and backup.stderr.count("\n") == 1
    assert "back it up with pg_dump" in backup.stderr and "s3cret" not in backup.stderr
    run = cli("run", NEWSBRIEF_DB="postgresql://editor:s3cret@127.0.0.1:1/nb")
    assert run.returncode == 69 and "Traceback" not in run.stderr  # EX_UNAVAILABLE
    assert run.stderr.startswith("newsbrief: Cannot connect to PostgreSQL at 127.0.0.1:1/nb")
    assert "s3cret" not in run.stderr + run.stdout


async def test_pruning_empties_old_texts_and_search_forgets_them(pg_dsn: str) -> None:
    async with await PostgresStore.open(pg_dsn, clock=lambda: T0) as store:
        old, _ = await store.upsert_article(
            article("https://a.example/old", "Old boats at Lampedusa."),
            fetched_at=T0 - timedelta(days=40),
        )
        new, _ = await store.upsert_article(article("https://a.example/new", STORY))
        await store.subscribe(Subscription("console", "console"))
        result = await prune_database(pg_dsn, 30, now=T0)
        assert (result.texts_emptied, result.summaries_deleted) == (1, 0)
        assert (await store.get_article(old.id)).text == ""  # type: ignore[union-attr]
        assert (await store.get_article(new.id)).text == STORY  # type: ignore[union-attr]
        assert await store.search_articles("console:console", ["lampedusa"]) == []
        with pytest.raises(ValueError):
            await prune_database(pg_dsn, 1)
