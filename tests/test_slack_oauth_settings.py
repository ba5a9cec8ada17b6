"""The distributed Slack app's settings: when OAuth mode is on, what `check` says about it, and
the combinations that cannot work, refused in one sentence."""

from __future__ import annotations

import pytest
from fakes.slack_oauth import CLIENT_ID, CLIENT_SECRET
from pydantic import SecretStr

from adapters.check import run_checks
from adapters.runner import chat_platforms_configured
from adapters.slack import SlackAdapter
from bot.chat.commands import Commands
from bot.config import Settings
from bot.errors import ConfigurationError
from bot.service import Summarizer
from bot.store import open_store

OAUTH = {"slack_client_id": CLIENT_ID, "slack_client_secret": SecretStr(CLIENT_SECRET)}


def test_oauth_mode_needs_both_halves_and_no_bot_token(settings: Settings) -> None:
    assert not settings.slack_oauth
    assert settings.model_copy(update=OAUTH).slack_oauth
    assert chat_platforms_configured(settings.model_copy(update=OAUTH))
    assert not settings.model_copy(update={"slack_client_id": CLIENT_ID}).slack_oauth
    token = {"slack_bot_token": SecretStr("xoxb-1")}
    assert not settings.model_copy(update=OAUTH | token).slack_oauth  # the token mode wins
    assert CLIENT_SECRET not in repr(settings.model_copy(update=OAUTH))


async def test_check_names_the_missing_signing_secret(settings: Settings) -> None:
    items = {i.name: i for i in await run_checks(settings.model_copy(update=OAUTH))}
    assert not items["Slack"].ok and "SLACK_SIGNING_SECRET" in items["Slack"].detail
    signed = OAUTH | {"slack_signing_secret": SecretStr("s")}
    items = {i.name: i for i in await run_checks(settings.model_copy(update=signed))}
    assert items["Slack"].ok and "/slack/install" in items["Slack"].detail


async def test_socket_mode_cannot_serve_a_distributed_app(settings: Settings) -> None:
    both = settings.model_copy(update=OAUTH | {"slack_app_token": SecretStr("xapp-1-x")})
    async with await open_store(settings.db_path) as store, Summarizer(settings) as summarizer:
        with pytest.raises(ConfigurationError, match=r"^SLACK_APP_TOKEN \(Socket Mode\) cannot"):
            SlackAdapter(both, Commands(summarizer, store))
