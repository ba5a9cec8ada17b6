"""Pressing a button on a message in the fake Discord: a component INTERACTION_CREATE (type 3).

Discord sends the message the button is on (with its components, as the bot posted them), the
button's custom_id and component type 2, from a member of the guild in the message's channel.
"""

from __future__ import annotations

from typing import Any

from fakes import discord_payloads as p
from fakes.discord_api import FakeDiscord, FakeInteraction

Payload = dict[str, Any]


def buttons(message: Payload) -> list[Payload]:
    """Every button on a message payload, in order."""
    return [
        component
        for row in message.get("components") or []
        for component in row.get("components") or []
        if component.get("type") == 2
    ]


async def press(
    fake: FakeDiscord,
    message: Payload,
    custom_id: str,
    *,
    channel: str = "news",
    user: Payload | None = None,
    thread: Payload | None = None,
) -> FakeInteraction:
    """``user`` (default: the reader) presses the button ``custom_id`` on ``message``, in
    ``channel`` or in ``thread`` (a thread channel payload)."""
    who = user or fake.reader
    where = thread or fake.channels[channel]
    guild_id = int(where["guild_id"])  # its server's shard gets the press
    payload = p.interaction(
        application_id=fake.app_id,
        kind=3,
        data={"custom_id": custom_id, "component_type": 2},
        guild_id=guild_id,
        channel=where,
        member_payload=p.member(who, permissions=p.MEMBER_PERMISSIONS),
    )
    payload["message"] = message | {"guild_id": str(guild_id)}
    record = fake.interactions.track(payload)
    await fake.gateway.dispatch("INTERACTION_CREATE", payload)
    return record
