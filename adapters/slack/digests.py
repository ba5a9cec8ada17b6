"""Scheduled digests on Slack: post them tagged with their delivery key, and find them again.

Every message of a digest carries Slack message metadata
``{"event_type": "newsbrief_digest", "event_payload": {"key", "part", "parts"}}``. After a
crash or a failed attempt, ``find_delivery`` reads the channel's recent history (with
``include_all_metadata``) for the bot's messages carrying the key: all parts there means the
digest went out; some parts there are remembered so the next ``send_digest`` posts only the
missing ones, in order. So an outage delays a digest and never loses it or posts it twice.

Story updates are the last parts: each a reply (``thread_ts``) under the message that first
showed its story, also sent to the channel so that history lists it like the other parts.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from adapters.slack.outbox import Outbox
from adapters.slack.rendering.render import SlackMessage, digest_messages
from adapters.slack.rendering.update_render import update_message
from bot.digests.delivery import PostedDigest
from bot.models import Digest

DIGEST_EVENT_TYPE = "newsbrief_digest"
HISTORY_PAGE_SIZE = 200
HISTORY_PAGES = 5  # at most 1,000 recent messages are searched
HISTORY_WINDOW_S = 3 * 24 * 3600  # digests are retried within the day; 3 days is ample
REMEMBERED_DIGESTS = 256


class SlackDigestSink:
    """The DigestSink of the Slack adapter (see bot.digests.delivery.DigestSink)."""

    def __init__(self, outbox: Outbox, bot_id: Callable[[], str | None]) -> None:
        self._outbox = outbox
        self._bot_id = bot_id
        # delivery key -> {part number: message ts} of parts known to be posted
        self._posted: OrderedDict[str, dict[int, str]] = OrderedDict()

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> PostedDigest:
        """Post the digest's messages in order, then each story update as a reply under the
        message that first showed its story; returns the first message's ts and each story's."""
        messages = digest_messages(digest, language)
        replies = [
            (SlackMessage(*update_message(u, language)), u.thread_ref) for u in digest.updates
        ]
        outgoing = [*((message, None) for message in messages), *replies]
        posted = self._remember(delivery_key)
        for number, (message, thread) in enumerate(outgoing, start=1):
            if number in posted:
                continue
            metadata = {
                "event_type": DIGEST_EVENT_TYPE,
                "event_payload": {"key": delivery_key, "part": number, "parts": len(outgoing)},
            }

            async def already_posted(number: int = number) -> str | None:
                return (await self._find_parts(channel, delivery_key))[0].get(number)

            # An update is also sent to the channel (reply_broadcast): readers see it, and
            # conversations.history lists it, so find_delivery counts it after a crash.
            posted[number] = await self._outbox.post(
                channel,
                message,
                thread_ts=thread,
                reply_broadcast=thread is not None,
                metadata=metadata,
                already_posted=already_posted,
            )
        story_refs = {
            story: posted[number]
            for number, message in enumerate(messages, start=1)
            for story in message.stories
            if number in posted
        }
        return PostedDigest(posted.get(1), story_refs)

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        """The first message's ts if every part of the digest is in the channel."""
        parts, total = await self._find_parts(channel, delivery_key)
        if not parts:
            return None
        if total is not None and len(parts) >= total:
            return parts.get(1) or next(iter(parts.values()))
        self._remember(delivery_key).update(parts)  # a partial post: send only the rest
        return None

    async def _find_parts(
        self, channel: str, delivery_key: str
    ) -> tuple[dict[int, str], int | None]:
        """Parts of the digest the bot posted in the channel ({part: ts}) and their count."""
        parts: dict[int, str] = {}
        total: int | None = None
        cursor: str | None = None
        oldest = f"{time.time() - HISTORY_WINDOW_S:.6f}"
        for _ in range(HISTORY_PAGES):
            args: dict[str, Any] = {"channel": channel, "limit": HISTORY_PAGE_SIZE}
            if cursor:
                args["cursor"] = cursor
            response = await self._outbox.client.conversations_history(
                include_all_metadata=True, oldest=oldest, **args
            )
            for message in response.get("messages", []):
                payload = self._payload(message)
                if payload is not None and payload.get("key") == delivery_key:
                    parts[int(payload.get("part", 1))] = str(message["ts"])
                    total = int(payload.get("parts", 1))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not response.get("has_more") or not cursor:
                break
        return parts, total

    def _payload(self, message: dict[str, Any]) -> dict[str, Any] | None:
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") != DIGEST_EVENT_TYPE:
            return None
        bot_id = self._bot_id()
        if bot_id is not None and message.get("bot_id") != bot_id:
            return None  # only the bot's own messages count, whoever copied the metadata
        payload = metadata.get("event_payload")
        return payload if isinstance(payload, dict) else None

    def _remember(self, delivery_key: str) -> dict[int, str]:
        posted = self._posted.setdefault(delivery_key, {})
        self._posted.move_to_end(delivery_key)
        while len(self._posted) > REMEMBERED_DIGESTS:
            self._posted.popitem(last=False)
        return posted
