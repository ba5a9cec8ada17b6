"""Payloads Slack sends to an app (slash command, event, shortcut) and the limits it checks."""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import urlencode

BOT_TOKEN = "xoxb-0000-fake-bot-token"
APP_TOKEN = "xapp-1-fake-app-token"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM_ID = "T0NEWSROOM"
BOT_USER_ID = "U0NEWSBOT"
BOT_ID = "B0NEWSBOT"
APP_ID = "A0NEWSBRIEF"


def block_limit_problem(blocks: list[dict[str, Any]]) -> str | None:
    """What Slack would refuse in ``blocks`` (count, section and header lengths), if anything."""
    if len(blocks) > 50:
        return "no more than 50 items allowed [json-pointer:/blocks]"
    for index, block in enumerate(blocks):
        text = (block.get("text") or {}).get("text", "")
        limit = {"section": 3000, "header": 150}.get(block.get("type", ""))
        if limit is not None and not 0 < len(text) <= limit:
            return f"must be between 1 and {limit} characters [json-pointer:/blocks/{index}/text]"
    return None


# --- payloads Slack sends ---------------------------------------------------------------------


def slash_command_body(
    text: str, response_url: str, *, channel: str, user: str, team: str = TEAM_ID
) -> str:
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": team,
            "team_domain": "newsroom",
            "channel_id": channel,
            "channel_name": "newsdesk",
            "user_id": user,
            "user_name": "editor",
            "command": "/newsbrief",
            "text": text,
            "api_app_id": "A0NEWSBRIEF",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{uuid.uuid4().int % 10**12}.{team}",
        }
    )


def event_body(
    event: dict[str, Any], event_id: str, *, team: str = TEAM_ID, bot_user: str = BOT_USER_ID
) -> dict[str, Any]:
    return {
        "token": "deprecated-verification-token",
        "team_id": team,
        "api_app_id": "A0NEWSBRIEF",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": bot_user, "is_bot": True}],
    }


def message_event(
    text: str,
    *,
    channel: str = "C0NEWS",
    user: str = "U0EDITOR",
    ts: str = "1700000100.000200",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
        **extra,
    }


def shortcut_payload(
    message: dict[str, Any], response_url: str, *, channel: str, user: str
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "summarize_article",
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{TEAM_ID}",
        "action_ts": str(time.time()),
        "team": {"id": TEAM_ID, "domain": "newsroom"},
        "user": {"id": user, "name": "editor"},
        "channel": {"id": channel, "name": "newsdesk"},
        "message": message,
        "response_url": response_url,
        "token": "deprecated-verification-token",
    }
