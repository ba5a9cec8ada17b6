"""slack-app-manifest.yml asks for exactly the command, shortcut, events and scopes the bot uses."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.slack import COMMAND, EVENTS_PATH, SHORTCUT_CALLBACK_ID
from adapters.slack.lifecycle import EVENTS as LIFECYCLE_EVENTS

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = (ROOT / "slack-app-manifest.yml").read_text(encoding="utf-8")
# Web API methods -> the bot scopes they need (auth.test needs none).
SCOPES_FOR = {
    "auth_test": set(),
    "chat_postMessage": {"chat:write"},
    "conversations_history": {"channels:history", "groups:history"},  # public and private
    "users_info": {"users:read"},  # is_admin/is_owner, when SLACK_MANAGERS is empty
}

# Events that pause subscriptions (adapters/slack/lifecycle.py) -> the scopes they need.
EVENT_SCOPES = {
    "app_uninstalled": set(),
    "tokens_revoked": set(),
    "channel_archive": {"channels:read"},
    "group_archive": {"groups:read"},
    "channel_left": {"channels:read"},
    "group_left": {"groups:read"},
    "member_left_channel": {"channels:read", "groups:read"},
}


def listed_under(key: str) -> set[str]:
    """The ``- item`` lines of the YAML list under ``key:`` (a simple block list)."""
    match = re.search(rf"^(\s*){re.escape(key)}:\n((?:\1\s+- .+\n)+)", MANIFEST, re.MULTILINE)
    assert match, f"no list under {key}"
    return {line.strip()[2:] for line in match[2].splitlines()}


def test_command_shortcut_and_urls_match_the_adapter() -> None:
    assert re.search(rf"^\s+- command: {re.escape(COMMAND)}$", MANIFEST, re.MULTILINE)
    assert re.search(rf"^\s+callback_id: {SHORTCUT_CALLBACK_ID}$", MANIFEST, re.MULTILINE)
    assert re.search(r"^\s+type: message$", MANIFEST, re.MULTILINE)
    urls = re.findall(r"^\s+(?:url|request_url): (\S+)$", MANIFEST, re.MULTILINE)
    assert len(urls) == 3 and all(url.endswith(EVENTS_PATH) for url in urls)


def test_scopes_are_exactly_those_of_the_api_calls_and_the_command() -> None:
    source = "\n".join(path.read_text() for path in (ROOT / "adapters" / "slack").glob("*.py"))
    called = set(re.findall(r"client\.(\w+)\(", source))  # Web API calls on a client
    assert called == set(SCOPES_FOR)  # a new API call must be added here, with its scope
    needed = {"commands"}.union(*SCOPES_FOR.values(), *EVENT_SCOPES.values())
    assert listed_under("bot") == needed


def test_events_are_the_message_events_the_listener_handles() -> None:
    assert set(EVENT_SCOPES) == set(LIFECYCLE_EVENTS)  # a new listener must be added here
    assert listed_under("bot_events") == {"message.channels", "message.groups", *EVENT_SCOPES}
