"""Shared pytest fixtures: a local web server, env-free test settings, and a Fetcher for them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from webserver import WebServer

from bot.config import Settings
from bot.web.fetch import Fetcher


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
