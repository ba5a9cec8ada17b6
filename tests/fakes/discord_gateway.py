"""The gateway half of the fake Discord: HELLO, heartbeats, IDENTIFY/READY, RESUME, dispatch.

Events are numbered per session and kept, so a client that RESUMEs after a dropped connection
gets every event it missed, in order, as Discord does. IDENTIFY's ``shard: [id, count]`` opens
one session per shard, and each guild's events go to the shard that owns it,
``(guild_id >> 22) % count`` (events without a guild go to shard 0), as Discord routes them.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from fakes import discord_payloads as p

HEARTBEAT_MS = 41_250


@dataclass
class GatewaySession:
    """One IDENTIFYed session: its intents, its numbered events, its current socket."""

    session_id: str
    intents: int
    shard: tuple[int, int] = (0, 1)  # (id, count) from IDENTIFY
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    socket: web.WebSocketResponse | None = None


class FakeGateway:
    """Serves the gateway websocket for one bot; ``FakeDiscord`` routes it and feeds it events."""

    def __init__(
        self,
        *,
        token: str,
        ready: Callable[[GatewaySession], dict[str, Any]],
        guild_create: Callable[[int], dict[str, Any]],
        guild_ids: Callable[[], list[int]],
        allow_message_content: bool,
        required_shards: int = 1,
    ) -> None:
        self._token = token
        self._ready = ready
        self._guild_create = guild_create
        self._guild_ids = guild_ids
        self._allow_message_content = allow_message_content
        self.required_shards = required_shards  # fewer: Discord's 4011 "sharding required"
        self.sessions: dict[int, GatewaySession] = {}  # by shard id
        self.identified: list[tuple[int, int]] = []  # IDENTIFY's (shard id, count), in order
        self.identifies = 0
        self.resumes = 0
        self.accepting = asyncio.Event()  # cleared: new connections wait (an outage)
        self.accepting.set()
        self.connections: list[str] = []  # the path of each websocket connection, in order
        self.closed_codes: list[int] = []  # close codes the fake sent (4004 bad token, ...)

    @property
    def session(self) -> GatewaySession | None:
        """Shard 0's session: the only one of a bot that does not shard."""
        return self.sessions.get(0)

    @property
    def connected(self) -> bool:
        return bool(self.sessions) and all(s.socket is not None for s in self.sessions.values())

    def shard_of(self, guild_id: int | None) -> int:
        """The shard that gets ``guild_id``'s events, by Discord's rule."""
        count = self.session.shard[1] if self.session is not None else 1
        return 0 if guild_id is None else (guild_id >> 22) % count

    def wants(self, intent: int, guild_id: int | None = None) -> bool:
        session = self.sessions.get(self.shard_of(guild_id))
        return session is not None and bool(session.intents & intent)

    def guilds_of(self, shard: tuple[int, int]) -> list[int]:
        return [g for g in self._guild_ids() if (g >> 22) % shard[1] == shard[0]]

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        await self.accepting.wait()
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections.append(request.path)
        await self._send(socket, {"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}})
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            op, data = payload.get("op"), payload.get("d")
            if op == 1:
                await self._send(socket, {"op": 11})
            elif op == 2:
                await self._identify(socket, data)
            elif op == 6:
                await self._resume(socket, data)
        for session in self.sessions.values():
            if session.socket is socket:
                session.socket = None
        return socket

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        """Send the event to ``shard``, or to the shard of its guild (``guild_id``, or ``id`` of
        a GUILD_* event): numbered, now or kept for a RESUME if that shard's client is away."""
        if shard is None:
            guild = data.get("guild_id") or (data.get("id") if event.startswith("GUILD_") else None)
            shard = self.shard_of(int(guild) if guild is not None else None)
        session = self.sessions.get(shard)
        assert session is not None, f"no client has identified as shard {shard} yet"
        await self._dispatch_to(session, event, data)

    async def _dispatch_to(self, session: GatewaySession, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(payload)
        if session.socket is not None and not session.socket.closed:
            await self._send(session.socket, payload)

    async def drop(self, code: int = 4000, *, shard: int = 0) -> None:
        """Close a shard's socket as a network hiccup would; it should come back and RESUME."""
        session = self.sessions.get(shard)
        if session is not None and session.socket is not None:
            socket, session.socket = session.socket, None
            await socket.close(code=code)

    async def reconnect_request(self, *, shard: int = 0) -> None:
        """Send op 7 RECONNECT, as Discord does before moving a session."""
        session = self.sessions.get(shard)
        if session is not None and session.socket is not None:
            await self._send(session.socket, {"op": 7})

    async def _identify(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self._token:
            await self._close(socket, 4004)  # Authentication failed
            return
        intents = int(data.get("intents", 0))
        if intents & p.INTENT_MESSAGE_CONTENT and not self._allow_message_content:
            await self._close(socket, 4014)  # Disallowed intent(s)
            return
        shard_id, count = data.get("shard") or (0, 1)
        if not 0 <= shard_id < count:
            await self._close(socket, 4010)  # Invalid shard
            return
        if count < self.required_shards:
            await self._close(socket, 4011)  # Sharding required
            return
        self.identifies += 1
        self.identified.append((shard_id, count))
        session = GatewaySession(uuid.uuid4().hex, intents, (shard_id, count), socket=socket)
        self.sessions[shard_id] = session
        await self._dispatch_to(session, "READY", self._ready(session))
        for guild_id in self.guilds_of(session.shard):
            await self._dispatch_to(session, "GUILD_CREATE", self._guild_create(guild_id))

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        session = next(
            (s for s in self.sessions.values() if s.session_id == data.get("session_id")), None
        )
        if session is None or data.get("token") != self._token:
            await self._send(socket, {"op": 9, "d": False})  # Invalid session: identify again
            return
        self.resumes += 1
        session.socket = socket
        missed = [event for event in session.events if event["s"] > (data.get("seq") or 0)]
        for event in missed:
            await self._send(socket, event)
        await self._dispatch_to(session, "RESUMED", {})

    async def _close(self, socket: web.WebSocketResponse, code: int) -> None:
        self.closed_codes.append(code)
        await socket.close(code=code)

    @staticmethod
    async def _send(socket: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        frame = {"op": payload["op"], "d": payload.get("d"), "s": payload.get("s")}
        frame["t"] = payload.get("t")
        await socket.send_str(json.dumps(frame))
