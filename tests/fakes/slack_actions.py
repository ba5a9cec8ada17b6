"""What Slack sends an app when someone presses a button in a message: a block_actions payload.

The payload names the workspace, the presser, the channel, the message the button is in (its
blocks as the app posted them), the pressed button (action_id, block_id, value) and a
response_url for the answer.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from fakes.slack_payloads import APP_ID, TEAM_ID

Json = dict[str, Any]


def buttons(message: Json) -> list[Json]:
    """The buttons of every actions block of a posted message, in order."""
    return [
        element
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("type") == "button"
    ]


def block_actions_payload(
    message: Json,
    button: Json,
    response_url: str,
    *,
    channel: str = "C0NEWS",
    user: str = "U0READER",
    team: str = TEAM_ID,
) -> Json:
    """``user`` pressed ``button`` (as found in ``message``) in ``channel`` of ``team``."""
    ts = message.get("ts") or "1700000000.000100"
    block_id = next(
        block.get("block_id", "")
        for block in message.get("blocks") or []
        if button in (block.get("elements") or [])
    )
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "reader", "name": "reader", "team_id": team},
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "container": {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{team}",
        "team": {"id": team, "domain": "newsroom"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "newsdesk"},
        "message": {"type": "message", "ts": ts} | message,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": button["action_id"],
                "block_id": block_id,
                "text": button["text"],
                "value": button.get("value", ""),
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
