"""The interaction half of the fake Discord: callbacks, follow-up webhooks, the original message.

Modelled on Discord's rules: a deferral (callback type 5) shows a "thinking..." placeholder
whose visibility (ephemeral or not) is fixed; the first follow-up replaces that placeholder and
keeps its visibility whatever flags it asks for; once the placeholder is deleted, follow-ups are
new messages with their own flags.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from fakes import discord_payloads as p

Payload = dict[str, Any]
EPHEMERAL = 1 << 6
LOADING = 1 << 7


@dataclass
class FakeInteraction:
    """An interaction the fake sent, and everything the bot answered to it."""

    id: str
    token: str
    channel_id: str
    sent_at: float  # time.monotonic() when INTERACTION_CREATE went out
    callbacks: list[tuple[float, Payload]] = field(default_factory=list)  # (when, body)
    messages: list[Payload] = field(default_factory=list)  # original first, then follow-ups
    posted_at: list[float] = field(default_factory=list)  # when each message got its content
    loading: bool = False  # deferred, and the first follow-up has not replaced the placeholder

    @property
    def replies(self) -> list[Payload]:
        """Messages with content that were not deleted (ephemeral ones included)."""
        return [m for m in self.messages if not m.get("deleted") and not m["flags"] & LOADING]

    @property
    def first_callback_latency(self) -> float | None:
        """Seconds from sending the interaction to the bot's first callback (its deferral)."""
        return self.callbacks[0][0] - self.sent_at if self.callbacks else None

    @property
    def first_reply_latency(self) -> float | None:
        """Seconds from sending the interaction to the first message with content."""
        return self.posted_at[0] - self.sent_at if self.posted_at else None


class InteractionEndpoints:
    """Records interactions by token and answers the bot's calls about them."""

    def __init__(self, bot: Payload, application_id: int) -> None:
        self.bot = bot
        self.application_id = application_id
        self.by_token: dict[str, FakeInteraction] = {}

    def track(self, payload: Payload) -> FakeInteraction:
        record = FakeInteraction(
            payload["id"], payload["token"], payload["channel_id"], time.monotonic()
        )
        self.by_token[record.token] = record
        return record

    def callback(self, interaction_id: str, token: str, body: Payload) -> Payload:
        """POST /interactions/{id}/{token}/callback?with_response=1."""
        record = self.by_token[token]
        assert record.id == interaction_id
        record.callbacks.append((time.monotonic(), body))
        kind, data = body["type"], body.get("data") or {}
        message = None
        if kind in {4, 5}:
            flags = (data.get("flags") or 0) | (LOADING if kind == 5 else 0)
            message = self._new_message(record, data, flags)
            record.loading = kind == 5
        return {
            "interaction": {
                "id": record.id,
                "type": 2,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(message and message["flags"] & EPHEMERAL),
            },
            "resource": {"type": kind} | ({"message": message} if message else {}),
        }

    def follow_up(self, token: str, body: Payload) -> Payload:
        """POST /webhooks/{application}/{token}."""
        record = self.by_token[token]
        if record.loading:  # the first follow-up after a defer replaces the placeholder
            return self.edit_original(token, body)
        return self._new_message(record, body, body.get("flags") or 0)

    def edit_original(self, token: str, body: Payload) -> Payload:
        """PATCH /webhooks/{application}/{token}/messages/@original."""
        record = self.by_token[token]
        original = record.messages[0]
        original.update(_content(body), flags=original["flags"] & ~LOADING)
        record.loading = False
        record.posted_at.append(time.monotonic())
        return original

    def delete_original(self, token: str) -> None:
        """DELETE /webhooks/{application}/{token}/messages/@original."""
        record = self.by_token[token]
        record.messages[0]["deleted"] = True
        record.loading = False

    def _new_message(self, record: FakeInteraction, data: Payload, flags: int) -> Payload:
        webhook = {"webhook_id": str(self.application_id)}
        message = p.message(record.channel_id, self.bot, flags=flags, extra=webhook)
        message.update(_content(data))
        record.messages.append(message)
        if not flags & LOADING:
            record.posted_at.append(time.monotonic())
        return message


def _content(body: Payload) -> Payload:
    keys = ("content", "embeds", "allowed_mentions", "components")
    return {k: body[k] for k in keys if k in body and body[k] is not None}
