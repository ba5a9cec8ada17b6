"""The gateway half of the fake Discord: HELLO, heartbeats, IDENTIFY/READY, RESUME, dispatch.

Events are numbered per session and kept, so a client that RESUMEs after a dropped connection
gets every event it missed, in order, as Discord does.
"""

from __future__ import annotations

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
        guild_create: Callable[[], dict[str, Any]],
        allow_message_content: bool,
    ) -> None:
        self._token = token
        self._ready = ready
        self._guild_create = guild_create
        self._allow_message_content = allow_message_content
        self.session: GatewaySession | None = None
        self.identifies = 0
        self.resumes = 0
        self.connections: list[str] = []  # the path of each websocket connection, in order
        self.closed_codes: list[int] = []  # close codes the fake sent (4004 bad token, ...)

    @property
    def connected(self) -> bool:
        return self.session is not None and self.session.socket is not None

    def wants(self, intent: int) -> bool:
        return self.session is not None and bool(self.session.intents & intent)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
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
        if self.session is not None and self.session.socket is socket:
            self.session.socket = None
        return socket

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Number the event and send it now, or keep it for a RESUME if the client is away."""
        session = self.session
        assert session is not None, "no client has identified yet"
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(payload)
        if session.socket is not None and not session.socket.closed:
            await self._send(session.socket, payload)

    async def drop(self, code: int = 4000) -> None:
        """Close the client's socket as a network hiccup would; it should come back and RESUME."""
        if self.session is not None and self.session.socket is not None:
            socket, self.session.socket = self.session.socket, None
            await socket.close(code=code)

    async def reconnect_request(self) -> None:
        """Send op 7 RECONNECT, as Discord does before moving a session."""
        if self.session is not None and self.session.socket is not None:
            await self._send(self.session.socket, {"op": 7})

    async def _identify(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("token") != self._token:
            await self._close(socket, 4004)  # Authentication failed
            return
        intents = int(data.get("intents", 0))
        if intents & p.INTENT_MESSAGE_CONTENT and not self._allow_message_content:
            await self._close(socket, 4014)  # Disallowed intent(s)
            return
        self.identifies += 1
        self.session = GatewaySession(uuid.uuid4().hex, intents, socket=socket)
        await self.dispatch("READY", self._ready(self.session))
        await self.dispatch("GUILD_CREATE", self._guild_create())

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        session = self.session
        if (
            session is None
            or data.get("session_id") != session.session_id
            or data.get("token") != self._token
        ):
            await self._send(socket, {"op": 9, "d": False})  # Invalid session: identify again
            return
        self.resumes += 1
        session.socket = socket
        missed = [event for event in session.events if event["s"] > (data.get("seq") or 0)]
        for event in missed:
            await self._send(socket, event)
        await self.dispatch("RESUMED", {})

    async def _close(self, socket: web.WebSocketResponse, code: int) -> None:
        self.closed_codes.append(code)
        await socket.close(code=code)

    @staticmethod
    async def _send(socket: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        frame = {"op": payload["op"], "d": payload.get("d"), "s": payload.get("s")}
        frame["t"] = payload.get("t")
        await socket.send_str(json.dumps(frame))
