"""Posting digests to Discord channels: paced, in order, resumable, never twice."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import discord

from adapters.discord.rendering.render import DigestPart, delivery_tag, digest_parts, read_marker
from bot.digests.delivery import PostedDigest
from bot.models import Digest

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
HISTORY_SCAN = 50  # recent messages searched for parts of a digest already posted


class Pacer:
    """Spaces posts: ``per_channel`` seconds apart in one channel, ``overall`` apart in all.

    discord.py already waits out 429s; this keeps a morning of digests from causing them
    (Discord allows about 5 messages per 5 s in a channel and 50 requests/s overall). A dozen
    lines do it, so no rate-limiter dependency.
    """

    def __init__(self, *, per_channel: float = 1.0, overall: float = 0.1) -> None:
        self._per_channel = per_channel
        self._overall = overall
        self._last: dict[str, float] = {}
        self._last_any = float("-inf")
        self._lock = asyncio.Lock()

    async def wait(self, channel: str) -> None:
        async with self._lock:
            now = time.monotonic()
            ready = max(
                self._last.get(channel, float("-inf")) + self._per_channel,
                self._last_any + self._overall,
            )
            if ready > now:
                await asyncio.sleep(ready - now)
            self._last[channel] = self._last_any = time.monotonic()


class DigestOutbox:
    """The Discord ``DigestSink``: posts a digest's messages in order and finds posted ones.

    Each message carries a footer marker "part i/n · ref <tag>" (tag: a hash of the delivery
    key) and a nonce made from it, which Discord enforces: a post retried after a lost answer
    returns the first message instead of a second one. A retry after a crash or an outage
    reads the channel's recent messages and posts only the parts that are missing.
    """

    def __init__(
        self,
        client: Callable[[], discord.Client],
        pacer: Pacer | None = None,
        *,
        request_timeout: float = 30.0,
    ) -> None:
        self._client = client
        self._pacer = pacer or Pacer()
        self._request_timeout = request_timeout
        self._channel_locks: dict[str, asyncio.Lock] = {}

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> PostedDigest:
        """Post the digest (several messages in order if needed), then each story update as a
        reply to the message that first showed its story; returns the first message's ref and
        each story's.

        Raises discord.py's error if Discord keeps failing after its own retries; the delivery
        is then retried later and resumes where this attempt stopped.
        """
        parts = digest_parts(digest, language, delivery_key)
        target = self._client().get_partial_messageable(int(channel))
        async with self._channel_locks.setdefault(channel, asyncio.Lock()):
            posted = await self._posted_parts(target, delivery_tag(delivery_key))
            for part in parts:
                if part.index not in posted:
                    posted[part.index] = await self._post(target, channel, part)
        first = posted.get(1)
        return PostedDigest(
            f"{channel}/{first}" if first is not None else None,
            _story_refs(channel, parts, posted, len(digest.stories)),
        )

    async def _post(
        self, target: discord.PartialMessageable, channel: str, part: DigestPart
    ) -> int:
        await self._pacer.wait(channel)
        reference = None
        reply_to = message_id(part.reply_to)
        if reply_to is not None:
            # A reply to the earlier post; if that post was deleted, a plain message.
            reference = discord.MessageReference(
                message_id=reply_to, channel_id=int(channel), fail_if_not_exists=False
            )
        # A hung post must not hold the channel for discord.py's 5 minutes; the retry (of the
        # whole delivery, later) finds it by its marker or nonce if it landed.
        async with asyncio.timeout(self._request_timeout):
            message = await target.send(
                embeds=part.embeds,
                nonce=part.nonce,
                allowed_mentions=NO_MENTIONS,
                **({"reference": reference} if reference is not None else {}),
            )
        return message.id

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        """The ref of a digest already posted in full with this key (updates included)."""
        target = self._client().get_partial_messageable(int(channel))
        posted = await self._posted_parts(target, delivery_tag(delivery_key), complete=True)
        first = posted.get(1)
        return f"{channel}/{first}" if first is not None else None

    async def _posted_parts(
        self, target: discord.PartialMessageable, tag: str, *, complete: bool = False
    ) -> dict[int, int]:
        """Part number -> message id of this digest's parts among the channel's recent messages.

        With ``complete``, an empty result unless every part is there.
        """
        me = self._client().user
        found: dict[int, int] = {}
        total = 0
        try:
            async with asyncio.timeout(self._request_timeout):
                messages = [m async for m in target.history(limit=HISTORY_SCAN)]
            for message in messages:
                if me is None or message.author.id != me.id:
                    continue
                marker = read_marker(message.embeds)
                if marker is not None and marker[2] == tag:
                    found.setdefault(marker[0], message.id)
                    total = marker[1]
        except discord.Forbidden:
            log.warning("Cannot read history of channel %s: grant Read Message History", target.id)
            return {}
        if complete and (not total or len(found) < total):
            return {}
        return found


def _story_refs(
    channel: str, parts: list[DigestPart], posted: dict[int, int], stories: int
) -> dict[int, str]:
    """Story index -> ref of the message showing it: the digest's embeds are the header, then
    one per story, in order, packed into ``parts`` in that order."""
    refs: dict[int, str] = {}
    position = 0
    for part in parts:
        for _ in part.embeds:
            story = position - 1
            if 0 <= story < stories and part.index in posted:
                refs[story] = f"{channel}/{posted[part.index]}"
            position += 1
    return refs


def message_id(ref: str | None) -> int | None:
    """The message id in a Discord ref ("channel/message"), or None."""
    if not ref:
        return None
    tail = ref.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else None
