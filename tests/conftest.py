"""Shared pytest fixtures: a local web server, env-free test settings, and a Fetcher for them."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from pgserver import PgServer, PgUnavailable
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from store_fixtures import backend, open_backend
from webserver import WebServer

from bot.config import Settings
from bot.web.fetch import Fetcher

# store_fixtures' backend parameter, for every test file's ``store`` and ``open_backend``.
__all__ = ["backend", "open_backend"]


class EnvFreeSettings(Settings):
    """Settings built only from the keyword arguments given: no environment, no .env file."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


@pytest.fixture
async def web() -> AsyncIterator[WebServer]:
    """A started WebServer on 127.0.0.1 (see tests/webserver.py)."""
    async with WebServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Test settings: loopback allowed (for ``web``), short limits; change with model_copy."""
    return EnvFreeSettings(
        allow_private_networks=True,
        fetch_timeout_s=2.0,
        max_page_bytes=256 * 1024,
        max_redirects=5,
        max_concurrent_fetches=4,
        user_agent="Newsbrief-test/1.0",
        db_path=tmp_path_factory.mktemp("db") / "newsbrief.db",
        discord_state_file=tmp_path_factory.mktemp("state") / "discord-commands.json",
    )


@pytest.fixture
async def fetcher(settings: Settings) -> AsyncIterator[Fetcher]:
    """A Fetcher for ``settings``, closed after the test."""
    async with Fetcher(settings) as client:
        yield client


# --- PostgreSQL (tests/pgserver.py): one throwaway server per run, a fresh database per test ---

_pg_skipped: list[str] = []


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A running throwaway server; skips (and says why at the end) when none can be had.

    NEWSBRIEF_REQUIRE_POSTGRES=1 turns the skip into a failure (CI sets it: `.ci/run`).
    """
    try:
        server = PgServer().start()
    except PgUnavailable as err:
        if os.environ.get("NEWSBRIEF_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here and cannot start: {err}")
        _pg_skipped.append(str(err))
        pytest.skip(f"PostgreSQL tests skipped: {err}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def pg_dsn(pg_server: PgServer) -> AsyncIterator[str]:
    """The address of a new, empty database on the test server, dropped after the test."""
    import asyncpg  # only PostgreSQL tests need the driver loaded

    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(pg_server.dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield pg_server.dsn(name)
    admin = await asyncpg.connect(pg_server.dsn())
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_skipped:
        terminalreporter.write_line(
            f"PostgreSQL tests were SKIPPED: {_pg_skipped[0]} "
            "(install Debian's postgresql package, or run .ci/run as root)",
            yellow=True,
            bold=True,
        )
