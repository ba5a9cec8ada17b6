"""Settings: .env.example documents every setting and loads as the defaults."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings

ROOT = Path(__file__).parent.parent


def test_env_example_lists_every_setting_and_only_real_ones() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert documented == aliases


def test_env_example_loads_to_the_defaults(monkeypatch) -> None:
    for alias in {field.alias for field in Settings.model_fields.values()}:
        monkeypatch.delenv(alias, raising=False)
    loaded = Settings(_env_file=ROOT / ".env.example")
    assert loaded.model_dump() == Settings(_env_file=None).model_dump()
    assert loaded.slack_bot_token is None and loaded.feeds_file is None


def test_secrets_never_show_in_reprs() -> None:
    settings = Settings(
        _env_file=None, SLACK_BOT_TOKEN="xoxb-secret-value", DISCORD_TOKEN="discord-secret-value"
    )
    assert isinstance(settings.slack_bot_token, SecretStr)
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert "secret-value" not in text
