"""A tiny chat platform on 127.0.0.1 for digest delivery tests, and the sink that posts to it.

``FakePlatform`` stores every posted message with its delivery key, as Slack metadata or a Discord
nonce would carry it, and answers look-ups by key::

    POST /channels/{channel}/messages  {"delivery_key": ..., "text": ...} -> {"ref": "m1"}
    GET  /channels/{channel}/messages?delivery_key=...                   -> {"ref": "m1"} or 404

It never de-duplicates: a digest posted twice shows up twice, which is what the tests look for.
A message is stored when the request arrives, before the answer, as on a real platform, so a
client that dies (or gives up) before reading the answer has still posted. Tests can make the
next POSTs fail, delay every answer, or hold one answer until ``release()``.

``PlatformSink`` is the client side: a ``bot.digests.delivery.DigestSink`` over aiohttp,
like an adapter.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from bot.models import Digest


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """One message the platform accepted."""

    ref: str
    channel: str
    delivery_key: str
    text: str


@dataclass
class _Hold:
    """Hold the answer to the ``number``-th POST from now until released."""

    number: int
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)


class FakePlatform:
    """The chat platform on a random port of 127.0.0.1; use ``async with``."""

    def __init__(self) -> None:
        self.messages: list[PostedMessage] = []
        self.lookups: list[tuple[str, str]] = []  # (channel, delivery_key) of every GET
        self.posts_received = 0  # every POST, failed ones included
        self.answer_delay_s = 0.0
        self.url = ""
        self._failures_left = 0
        self._hold: _Hold | None = None
        self._posts_since_hold = 0
        app = web.Application()
        app.router.add_post("/channels/{channel}/messages", self._post)
        app.router.add_get("/channels/{channel}/messages", self._find)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)

    async def __aenter__(self) -> FakePlatform:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()
        await self._runner.cleanup()

    def fail_next_posts(self, count: int) -> None:
        """Answer the next ``count`` POSTs with 503, storing nothing."""
        self._failures_left = count

    def hold_post(self, number: int = 1) -> asyncio.Event:
        """Store the ``number``-th POST from now but hold its answer; the event says it came."""
        self._hold = _Hold(number)
        self._posts_since_hold = 0
        return self._hold.arrived

    def release(self) -> None:
        """Answer a held POST (if its client is still there) and hold no more."""
        if self._hold is not None:
            self._hold.released.set()
            self._hold = None

    def messages_for(self, delivery_key: str) -> list[PostedMessage]:
        return [message for message in self.messages if message.delivery_key == delivery_key]

    async def _post(self, request: web.Request) -> web.Response:
        self.posts_received += 1
        payload = await request.json()
        if self._failures_left > 0:
            self._failures_left -= 1
            return web.json_response({"error": "service unavailable"}, status=503)
        message = PostedMessage(
            ref=f"m{len(self.messages) + 1}",
            channel=request.match_info["channel"],
            delivery_key=payload["delivery_key"],
            text=payload["text"],
        )
        self.messages.append(message)
        hold = self._hold
        if hold is not None:
            self._posts_since_hold += 1
            if self._posts_since_hold == hold.number:
                hold.arrived.set()
                await hold.released.wait()
        if self.answer_delay_s:
            await asyncio.sleep(self.answer_delay_s)
        return web.json_response({"ref": message.ref})

    async def _find(self, request: web.Request) -> web.Response:
        channel = request.match_info["channel"]
        key = request.query["delivery_key"]
        self.lookups.append((channel, key))
        for message in self.messages:
            if (message.channel, message.delivery_key) == (channel, key):
                return web.json_response({"ref": message.ref})
        return web.json_response({"error": "not found"}, status=404)


def digest_text(digest: Digest) -> str:
    """A plain-text rendering: the topic, then one line per story."""
    lines = [f"{digest.topic} digest"]
    lines += [f"- {story.title} ({', '.join(story.outlets)})" for story in digest.stories]
    return "\n".join(lines)


class PlatformSink:
    """A ``DigestSink`` posting to a ``FakePlatform`` at ``base_url`` over aiohttp."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self._base_url = base_url
        self._session = session

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> str | None:
        async with self._session.post(
            f"{self._base_url}/channels/{channel}/messages",
            json={"delivery_key": delivery_key, "text": digest_text(digest)},
            raise_for_status=True,
        ) as response:
            return str((await response.json())["ref"])

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        async with self._session.get(
            f"{self._base_url}/channels/{channel}/messages",
            params={"delivery_key": delivery_key},
        ) as response:
            if response.status == 404:
                return None
            response.raise_for_status()
            return str((await response.json())["ref"])
