"""The real core and Discord adapter connected to a FakeDiscord, for tests and benchmarks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from adapters.discord import DiscordAdapter
from bot.chat.commands import Commands
from bot.config import Settings
from bot.service import Summarizer
from bot.store import Store, open_store
from fakes.discord_api import FakeDiscord


@dataclass
class DiscordRig:
    """Everything a Discord test talks to."""

    fake: FakeDiscord
    adapter: DiscordAdapter
    commands: Commands
    store: Store
    settings: Settings


def discord_settings(settings: Settings, fake: FakeDiscord, **overrides: Any) -> Settings:
    """``settings`` pointed at the fake's REST API and gateway, with its bot token."""
    values: dict[str, Any] = {
        "discord_token": SecretStr(fake.token),
        "discord_api_url": fake.api_url,
        "discord_gateway_url": fake.gateway_url,
    }
    return settings.model_copy(update=values | overrides)


@asynccontextmanager
async def discord_rig(
    settings: Settings,
    *,
    message_content: bool = False,
    adapter_options: dict[str, Any] | None = None,
    commands_options: dict[str, Any] | None = None,
    fake_options: dict[str, Any] | None = None,
    **setting_overrides: Any,
) -> AsyncIterator[DiscordRig]:
    """A started bot (store, summarizer, commands, adapter) connected to a fresh FakeDiscord
    (built with ``fake_options``, e.g. other_guilds and shards)."""
    async with FakeDiscord(message_content=message_content, **(fake_options or {})) as fake:
        bot_settings = discord_settings(settings, fake, **setting_overrides)
        store = await open_store(bot_settings.db_path)
        summarizer = Summarizer(bot_settings)
        commands = Commands(summarizer, store, **(commands_options or {}))
        options = {"digest_pacing": 0.0, "guild_ready_timeout": 0.05} | (adapter_options or {})
        adapter = DiscordAdapter(bot_settings, commands, **options)
        try:
            await adapter.start(timeout=10)
            yield DiscordRig(fake, adapter, commands, store, bot_settings)
        finally:
            await adapter.aclose()
            await summarizer.aclose()
            await store.aclose()
