"""A local fake Discord on 127.0.0.1 that the real discord.py client connects to.

REST under ``api_url`` (users/@me, applications/@me, gateway, command sync, channel messages,
threads, interaction callbacks and follow-up webhooks) and a gateway websocket at
``gateway_url`` (see discord_gateway.py). Tests inject events and read what the bot did::

    async with FakeDiscord() as discord_api:
        ...start the bot with DISCORD_API_URL=discord_api.api_url, DISCORD_GATEWAY_URL=...
        interaction = await discord_api.invoke("summarize", {"url-or-text": link})
        await discord_api.wait_for(lambda: interaction.replies)

Every JSON answer has Content-Type exactly ``application/json``: discord.py decodes nothing
else. ``fail`` answers 429 (with ``Via``, as Discord does: discord.py treats a 429 without it
as a Cloudflare ban) or another status, optionally after storing the message; ``outage`` hangs
up on matching requests; ``stall`` holds them past the client's timeout, then hangs up.

``other_guilds`` adds servers (each with "<name>-news" and "<name>-digest" channels) whose ids
fall on consecutive shards after the first's; ``shards`` is the count GET /gateway/bot
recommends; an IDENTIFY with fewer than ``required_shards`` is closed with 4011, as Discord
does for a bot in 2,500 servers or more. Events of a channel's server go to the shard that owns
it (discord_gateway.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from fakes import discord_payloads as p
from fakes.discord_failures import Failure, Failures, json_response
from fakes.discord_gateway import FakeGateway, GatewaySession
from fakes.discord_interactions import EPHEMERAL, LOADING, FakeInteraction, InteractionEndpoints
from fakes.discord_invoke import SlashCommandInjection

__all__ = ["EPHEMERAL", "LOADING", "FakeDiscord", "FakeInteraction"]

Payload = dict[str, Any]
_JSON_BODY = web.RequestKey("json_body", object)
_KEPT = ("message_reference", "allowed_mentions", "components")  # of a posted message's body


@dataclass
class Call:
    """One REST request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float


class FakeDiscord(SlashCommandInjection):
    """REST + gateway fake; ``message_content`` says whether the app may use that intent."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        message_content: bool = False,
        other_guilds: Sequence[str] = (),
        shards: int = 1,
        required_shards: int = 1,
    ) -> None:
        self.token = token
        self.recommended_shards = shards
        self.app_id = p.snowflake()
        self.bot = p.user(self.app_id, "Newsbrief", bot=True)
        self.guild_id = p.snowflake()
        self.editor = p.user(p.snowflake(), "editor")
        self.reader = p.user(p.snowflake(), "reader")
        self.channels: dict[str, Payload] = {
            name: p.text_channel(p.snowflake(), self.guild_id, name, position)
            for position, name in enumerate(("news", "digest", "random"))
        }
        self.guild_ids = [self.guild_id]
        for step, prefix in enumerate(other_guilds, start=1):
            guild_id = p.snowflake_after(self.guild_id, step)
            self.guild_ids.append(guild_id)
            for position, name in enumerate((f"{prefix}-news", f"{prefix}-digest")):
                self.channels[name] = p.text_channel(p.snowflake(), guild_id, name, position)
        self._thread_guilds: dict[str, int] = {}
        self.message_content = message_content
        self.nonce_window = 300.0  # seconds Discord remembers an enforced nonce ("a few minutes")
        self._created: dict[str, float] = {}
        self.calls: list[Call] = []
        self.messages: dict[str, list[Payload]] = {c["id"]: [] for c in self.channels.values()}
        self.interactions = InteractionEndpoints(self.bot, self.app_id)
        self.commands: dict[str, list[Payload]] = {}  # "global" or a guild id -> commands
        self.command_syncs: list[str] = []
        self.gateway = FakeGateway(
            token=token,
            ready=self._ready,
            guild_create=self._guild_create,
            guild_ids=lambda: self.guild_ids,
            allow_message_content=message_content,
            required_shards=required_shards,
        )
        self.failures = Failures()
        self._port = 0
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway-resume", self.gateway.handle)
        api = "/api/v10"
        routes = [
            ("GET", "/users/@me", lambda r: self.bot),
            ("GET", "/oauth2/applications/@me", lambda r: self._application()),
            ("GET", "/gateway", lambda r: {"url": self.gateway_url}),
            ("GET", "/gateway/bot", lambda r: self._bot_gateway()),
            ("GET", "/applications/{app}/commands", self._get_commands),
            ("PUT", "/applications/{app}/commands", self._put_commands),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self._get_commands),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_commands),
            ("GET", "/channels/{channel}/messages", self._history),
            ("POST", "/channels/{channel}/messages", self._create_message),
            ("POST", "/channels/{channel}/messages/{message}/threads", self._create_thread),
            ("POST", "/interactions/{id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._follow_up),
            ("PATCH", "/webhooks/{app}/{token}/messages/@original", self._edit_original),
            ("DELETE", "/webhooks/{app}/{token}/messages/@original", self._delete_original),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, api + path, self._json_handler(handler))
        self._runner = web.AppRunner(app, handle_signals=False)

    # --- lifecycle and addresses ---
    async def __aenter__(self) -> FakeDiscord:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.failures.release_held()
        await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    def channel_id(self, name: str = "news") -> str:
        return self.channels[name]["id"]

    def guild_of(self, channel_id: str) -> int:
        """The server of a channel or thread id."""
        for channel in self.channels.values():
            if channel["id"] == channel_id:
                return int(channel["guild_id"])
        return self._thread_guilds.get(channel_id, self.guild_id)

    async def post_message(
        self, content: str, *, channel: str = "news", author: Payload | None = None
    ) -> Payload:
        """A user posts in a channel; the bot sees the content only as Discord would show it."""
        author = author or self.reader
        mentions = [self.bot] if f"<@{self.bot['id']}>" in content else []
        guild_id = self.guild_of(self.channel_id(channel))
        message = p.message(
            self.channel_id(channel), author, content, guild_id=guild_id, mentions=mentions
        )
        self.messages[message["channel_id"]].append(message)
        if self.gateway.wants(p.INTENT_GUILD_MESSAGES, guild_id):
            visible = self.gateway.wants(p.INTENT_MESSAGE_CONTENT, guild_id) or mentions
            event = message | {"member": p.member(author)}
            if not visible:
                event |= {"content": "", "embeds": [], "attachments": []}
            await self.gateway.dispatch("MESSAGE_CREATE", event)
        return message

    # --- failures on demand ---
    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: float = 0.05,
        after_store: bool = False,
        after: int = 0,
    ) -> None:
        """Answer ``status`` to ``times`` matching requests (``path`` is a regex), once ``after``
        of them went through; ``after_store`` does the work first, as when the answer is lost.
        """
        rule = Failure(
            method, re.compile(path), status, times, retry_after, after_store, after=after
        )
        self.failures.add(rule)

    def outage(
        self, method: str, path: str, *, times: int = 1, after: int = 0, after_store: bool = False
    ) -> None:
        """Hang up without answering on ``times`` matching requests, once ``after`` went through
        (``after_store``: having done the work, as when the connection drops on the way back)."""
        rule = Failure(
            method, re.compile(path), 0, times, hang_up=True, after=after, after_store=after_store
        )
        self.failures.add(rule)

    def stall(
        self, method: str, path: str, *, seconds: float, times: int = 1, after_store: bool = False
    ) -> None:
        """Hold ``times`` matching requests for ``seconds`` (past the client's timeout; at most
        until the fake closes), then hang up; ``after_store`` does the work first (stored, but the
        answer never comes)."""
        rule = Failure(
            method, re.compile(path), 0, times, after_store=after_store, hang_up=True, hold=seconds
        )
        self.failures.add(rule)

    # --- reading what happened ---
    async def wait_for(self, predicate: Callable[[], object], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("the fake Discord did not see what the test waited for")
            await asyncio.sleep(0.005)

    def bot_messages(self, channel: str = "news") -> list[Payload]:
        """Messages the bot posted in a channel (or thread id), oldest first."""
        channel_id = self.channels[channel]["id"] if channel in self.channels else channel
        return [m for m in self.messages.get(channel_id, []) if m["author"]["id"] == self.bot["id"]]

    def bot_payloads(self) -> list[Payload]:
        """Every JSON body the bot sent to create or edit a message or answer an interaction."""
        creating = re.compile(r"/(messages|callback|webhooks/\d+/[^/]+)(/[^/]+)?$")
        return [
            c.body
            for c in self.calls
            if c.method in {"POST", "PATCH"}
            and creating.search(c.path)
            and isinstance(c.body, dict)
        ]

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        regex = re.compile(pattern)
        return [c for c in self.calls if c.method == method and regex.search(c.path)]

    # --- REST plumbing ---
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw) if raw and request.content_type == "application/json" else None
        request[_JSON_BODY] = body
        self.calls.append(
            Call(request.method, request.path, dict(request.query), body, time.monotonic())
        )
        if request.path.startswith("/api/") and request.headers.get("Authorization") not in {
            f"Bot {self.token}",
            None,  # interaction callbacks and webhooks carry their token in the URL
        }:
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        return await self.failures.answer(request, handler)

    def _json_handler(self, handler: Callable[[web.Request], Any]) -> Any:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            result = handler(request)
            if asyncio.iscoroutine(result):
                result = await result
            if isinstance(result, web.StreamResponse):
                return result
            return json_response(result)

        return wrapped

    @staticmethod
    def _body(request: web.Request) -> Any:
        return request.get(_JSON_BODY) or {}

    # --- identity, gateway payloads, commands ---
    def _application(self) -> Payload:
        flags = p.APP_FLAG_MESSAGE_CONTENT_LIMITED if self.message_content else 0
        return p.application(self.app_id, self.editor, flags)

    def _ready(self, session: GatewaySession) -> Payload:
        resume_url = f"ws://127.0.0.1:{self._port}/gateway-resume"
        application = self._application()
        guilds = self.gateway.guilds_of(session.shard)
        return p.ready(self.bot, guilds, session.session_id, resume_url, application, session.shard)

    def _bot_gateway(self) -> Payload:
        return p.bot_gateway(self.gateway_url, self.recommended_shards)

    def _guild_create(self, guild_id: int) -> Payload:
        members = [p.member(self.bot), p.member(self.editor), p.member(self.reader)]
        channels = [c for c in self.channels.values() if int(c["guild_id"]) == guild_id]
        return p.guild(guild_id, int(self.editor["id"]), channels, members)

    def _get_commands(self, request: web.Request) -> list[Payload]:
        return self.commands.get(request.match_info.get("guild", "global"), [])

    def _put_commands(self, request: web.Request) -> list[Payload]:
        scope = request.match_info.get("guild", "global")
        self.command_syncs.append(scope)
        guild = {"guild_id": scope} if scope != "global" else {}
        self.commands[scope] = [
            {"description": ""}  # Discord answers "" for context menus
            | command
            | {"id": str(p.snowflake()), "application_id": str(self.app_id), "version": "1"}
            | guild
            for command in self._body(request) or []
        ]
        return self.commands[scope]

    # --- channel messages and threads ---
    def _history(self, request: web.Request) -> list[Payload]:
        limit = int(request.query.get("limit", "50"))
        return list(reversed(self.messages.get(request.match_info["channel"], [])))[:limit]

    def _create_message(self, request: web.Request) -> web.StreamResponse | Payload:
        channel_id = request.match_info["channel"]
        if channel_id not in self.messages:
            return json_response({"message": "Unknown Channel", "code": 10003}, status=404)
        body = self._body(request)
        nonce = body.get("nonce")
        for existing in self.messages[channel_id]:
            same = nonce and body.get("enforce_nonce") and existing.get("nonce") == nonce
            age = time.monotonic() - self._created.get(existing["id"], 0.0)
            if same and age < self.nonce_window:
                return existing  # Discord returns the first message for a repeated nonce
        message = p.message(
            channel_id, self.bot, body.get("content") or "", guild_id=self.guild_of(channel_id),
            embeds=body.get("embeds"), nonce=nonce,
            extra={k: body[k] for k in _KEPT if k in body},
        )  # fmt: skip
        self.messages[channel_id].append(message)
        self._created[message["id"]] = time.monotonic()
        return message

    def _create_thread(self, request: web.Request) -> Payload:
        parent = next(c for c in self.channels.values() if c["id"] == request.match_info["channel"])
        thread = p.thread_channel(
            int(request.match_info["message"]), parent, self.app_id, self._body(request)["name"]
        )
        self.messages.setdefault(thread["id"], [])
        self._thread_guilds[thread["id"]] = int(parent["guild_id"])
        return thread

    # --- interactions (see discord_interactions.py) ---
    def _callback(self, request: web.Request) -> Payload:
        match = request.match_info
        return self.interactions.callback(match["id"], match["token"], self._body(request))

    def _follow_up(self, request: web.Request) -> Payload:
        return self.interactions.follow_up(request.match_info["token"], self._body(request))

    def _edit_original(self, request: web.Request) -> Payload:
        return self.interactions.edit_original(request.match_info["token"], self._body(request))

    def _delete_original(self, request: web.Request) -> web.Response:
        self.interactions.delete_original(request.match_info["token"])
        return web.Response(status=204)
