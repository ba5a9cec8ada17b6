"""Every adapter is an ``adapters.base.Adapter``, and the runner builds what they share once."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from adapters.base import Adapter
from adapters.console import ConsoleAdapter
from adapters.discord import DiscordAdapter
from adapters.runner import platform_adapters, summarize_limits
from adapters.slack import SlackAdapter
from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import RateLimitedError
from bot.chat.requests import Caller
from bot.config import Settings
from bot.service import Summarizer
from bot.store import open_store

SLACK = {"slack_bot_token": SecretStr("xoxb-1"), "slack_signing_secret": SecretStr("s" * 32)}
DISCORD = {"discord_token": SecretStr("discord-token")}


@pytest.fixture
async def commands(settings: Settings) -> AsyncIterator[Commands]:
    async with await open_store(settings.db_path) as store, Summarizer(settings) as summarizer:
        yield Commands(summarizer, store)


def test_every_adapter_is_an_adapter(settings: Settings, commands: Commands) -> None:
    both = settings.model_copy(update=SLACK | DISCORD)
    adapters = [
        SlackAdapter(both, commands),
        DiscordAdapter(both, commands),
        ConsoleAdapter(commands, stdin=io.StringIO(), stdout=io.StringIO()),
    ]
    assert all(isinstance(adapter, Adapter) for adapter in adapters)
    assert [adapter.platform for adapter in adapters] == ["slack", "discord", "console"]
    assert not isinstance(object(), Adapter)  # the check is not vacuous


@pytest.mark.parametrize(
    ("tokens", "platforms"),
    [({}, []), (SLACK, ["slack"]), (DISCORD, ["discord"]), (SLACK | DISCORD, ["slack", "discord"])],
)
def test_the_runner_starts_the_platforms_whose_tokens_are_set(
    settings: Settings, commands: Commands, tokens: dict[str, SecretStr], platforms: list[str]
) -> None:
    adapters = platform_adapters(settings.model_copy(update=tokens), commands)
    assert [adapter.platform for adapter in adapters] == platforms


def test_rate_limits_guard_shared_chats_not_one_persons_console(settings: Settings) -> None:
    strict = {"user_rate": "1/60s", "channel_rate": "off"}
    caller = Caller(platform="slack", channel="C1", user="U1")
    console = summarize_limits(settings.model_copy(update=strict))
    for _ in range(5):
        console.check(caller)  # no limit at a terminal
    shared = summarize_limits(settings.model_copy(update=strict | SLACK))
    shared.check(caller)
    with pytest.raises(RateLimitedError):
        shared.check(caller)
