"""A local fake Slack on 127.0.0.1: the Web API, response_url and Socket Mode the bot talks to.

    async with FakeSlack() as slack:                       # Web API at slack.api_url
        settings = settings.model_copy(update=slack.settings_update())
        ...start the real adapter, send it signed requests (see slack_harness.py)...
        post = await slack.wait_for_response("r1")         # what the bot sent to response_url

Web API methods, all recorded in ``calls``: ``auth.test``; ``chat.postMessage`` (kept per
channel, refused like Slack when blocks break its limits or the bot is ``not_in_channel``);
``conversations.history`` (newest first, paged, metadata only with ``include_all_metadata``);
``users.info`` (``is_admin``/``is_owner`` from ``admins`` and ``owners``);
``apps.connections.open`` (a ``ws://`` URL of this server, which sends ``hello`` and then the
envelopes of ``send_envelope``, recording the app's acks). Tokens are checked.
``fail_next`` makes calls of a method (or "response_url") answer 429 with ``Retry-After`` or
5xx, optionally after letting some through, or after doing the work (``committed``), as Slack
sometimes does when it fails late; ``hold`` keeps the request that long before answering (past
the client's timeout; held requests are let go when the fake closes or heals) and ``hang_up``
closes the connection instead of answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from fakes.slack_methods import WEB_METHODS, Json, SlackWorkspace
from fakes.slack_oauth import FakeOAuth
from fakes.slack_payloads import (
    APP_ID,
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
)

SCOPES = "commands,chat:write,channels:history,groups:history,users:read,channels:read,groups:read"


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One Web API (or response_url) request and the status it got."""

    method: str
    args: Json
    status: int
    at: float  # time.monotonic()
    token: str = ""  # the bot token the call was made with (which workspace spoke)


@dataclass(frozen=True, slots=True)
class ResponsePost:
    """One post the bot made to a response_url (``key`` names the url)."""

    key: str
    body: Json
    at: float


@dataclass(slots=True)
class _Fault:
    status: int
    times: int
    after: int  # calls let through before failing
    retry_after: int | None
    html: bool
    committed: bool  # do the work, then answer the error
    hold: float = 0.0  # seconds to keep the request before answering (at most)
    hang_up: bool = False  # close the connection instead of answering


class FakeSlack(SlackWorkspace, FakeOAuth):
    """Web API, response_url and Socket Mode server, recording what the bot sends."""

    def __init__(self, *, signing_secret: str = SIGNING_SECRET) -> None:
        FakeOAuth.__init__(self)
        self.signing_secret = signing_secret
        self.port = 0
        self.calls: list[ApiCall] = []
        self.messages: dict[str, list[Json]] = {}  # channel -> messages, oldest first
        self.responses: list[ResponsePost] = []
        self.not_in_channel: set[str] = set()
        # users.info: workspace admins and owners (the users the tests act as by default)
        self.admins: set[str] = {"U0EDITOR", "U1"}
        self.owners: set[str] = set()
        self.socket_acks: list[Json] = []
        self._faults: dict[str, _Fault] = {}
        self._release_held = asyncio.Event()
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self._socket: web.WebSocketResponse | None = None
        self._socket_ready = asyncio.Event()
        self._acks: dict[str, asyncio.Future[Json]] = {}
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response)
        app.router.add_get("/socket", self._websocket)
        app.router.add_get("/oauth/v2/authorize", self._authorize)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)

    async def start(self) -> None:
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        self._release_held.set()
        if self._socket is not None:
            await self._socket.close()
        await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{key}"

    def settings_update(self, *, socket_mode: bool = False) -> Json:
        """Fields for ``Settings.model_copy(update=...)`` pointing the bot at this fake."""
        return {
            "slack_api_url": self.api_url,
            "slack_bot_token": SecretStr(BOT_TOKEN),
            "slack_signing_secret": SecretStr(self.signing_secret),
            "slack_app_token": SecretStr(APP_TOKEN) if socket_mode else None,
            "http_host": "127.0.0.1",
            "http_port": 0,
        }

    # --- faults and inspection ------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        after: int = 0,
        retry_after: int | None = None,
        html: bool = False,
        committed: bool = False,
        hold: float = 0.0,
        hang_up: bool = False,
    ) -> None:
        """Let ``after`` calls of ``method`` through, then answer ``status`` ``times`` times.

        ``hold``: wait that long first (a client with a shorter timeout gives up);
        ``hang_up``: close the connection without an answer (``status`` is only recorded).
        """
        self._faults[method] = _Fault(
            status, times, after, retry_after, html, committed, hold, hang_up
        )

    def heal(self) -> None:
        """Forget every pending fault and let held requests go."""
        self._faults.clear()
        self._release_held.set()
        self._release_held = asyncio.Event()

    def forget(self) -> None:
        """Drop what was recorded so far (calls, messages, responses): a test's fresh start."""
        self.calls.clear()
        self.messages.clear()
        self.responses.clear()

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def posts(self, channel: str | None = None) -> list[Json]:
        """Messages chat.postMessage stored, oldest first (in every channel unless given)."""
        if channel is not None:
            return list(self.messages.get(channel, []))
        return sorted((m for ms in self.messages.values() for m in ms), key=lambda m: m["ts"])

    def responses_to(self, key: str) -> list[ResponsePost]:
        return [post for post in self.responses if post.key == key]

    async def wait_until(self, check: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``check()`` holds after some request (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(check)

    async def wait_for_response(
        self, key: str, count: int = 1, timeout: float = 5.0
    ) -> ResponsePost:
        await self.wait_until(lambda: len(self.responses_to(key)) >= count, timeout)
        return self.responses_to(key)[count - 1]

    async def wait_for_posts(self, count: int, channel: str | None = None) -> list[Json]:
        await self.wait_until(lambda: len(self.posts(channel)) >= count)
        return self.posts(channel)

    # --- Socket Mode ------------------------------------------------------------------------

    async def send_envelope(
        self, kind: str, payload: Json, *, retry_attempt: int = 0, timeout: float = 5.0
    ) -> Json:
        """Send an envelope ("slash_commands", "events_api", "interactive"); returns the ack."""
        await asyncio.wait_for(self._socket_ready.wait(), timeout)
        assert self._socket is not None
        envelope_id = str(uuid.uuid4())
        envelope: Json = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            reason = "timeout" if retry_attempt else None
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": reason}
        ack = self._acks[envelope_id] = asyncio.get_running_loop().create_future()
        await self._socket.send_str(json.dumps(envelope))
        return await asyncio.wait_for(ack, timeout)

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()  # answers the client's pings by itself
        await ws.prepare(request)
        self._socket = ws
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
            "connection_info": {"app_id": APP_ID},
        }
        await ws.send_str(json.dumps(hello))
        self._socket_ready.set()
        async for frame in ws:
            if frame.type == aiohttp.WSMsgType.TEXT:
                ack = json.loads(frame.data)
                self.socket_acks.append(ack)
                waiter = self._acks.pop(ack.get("envelope_id", ""), None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(ack)
        self._socket_ready.clear()
        return ws

    # --- Web API and response_url -------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: Json = dict(request.query)
        if request.content_type == "application/json":
            args |= await request.json()
        elif request.can_read_body:
            args |= dict(await request.post())
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        fault = self._take_fault(method)
        if fault is not None and not fault.committed:
            return await self._fault_response(request, method, args, fault)
        handler = WEB_METHODS.get(method)
        token = token or str(args.get("token", ""))
        self.current_token = token
        if method == "oauth.v2.access":  # the app's client id and secret, not a token
            body: Json = self._oauth_access(args, request.headers.get("Authorization", ""))
        elif handler is None:
            body = {"ok": False, "error": "unknown_method"}
        elif token != APP_TOKEN if method == "apps.connections.open" else token not in self.tokens:
            body = {"ok": False, "error": "invalid_auth"}
        else:
            body = handler(self, args)
        if fault is not None:
            return await self._fault_response(request, method, args, fault)
        await self._record(ApiCall(method, args, 200, time.monotonic(), token))
        return web.json_response(body, headers={"X-OAuth-Scopes": SCOPES})

    async def _response(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        fault = self._take_fault("response_url")
        if fault is not None and not fault.committed:
            return await self._fault_response(request, "response_url", {"key": key}, fault)
        self.responses.append(ResponsePost(key, await request.json(), time.monotonic()))
        if fault is not None:
            return await self._fault_response(request, "response_url", {"key": key}, fault)
        await self._record(ApiCall("response_url", {"key": key}, 200, time.monotonic()))
        return web.Response(text="ok")

    def _take_fault(self, method: str) -> _Fault | None:
        fault = self._faults.get(method)
        if fault is None:
            return None
        if fault.after > 0:
            fault.after -= 1
            return None
        fault.times -= 1
        if fault.times <= 0:
            del self._faults[method]
        return fault

    async def _fault_response(
        self, request: web.Request, method: str, args: Json, fault: _Fault
    ) -> web.Response:
        await self._record(ApiCall(method, args, fault.status, time.monotonic()))
        if fault.hold:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._release_held.wait(), fault.hold)
        if fault.hang_up:
            if request.transport is not None:  # None: the client already gave up
                request.transport.close()
            return web.Response()  # never reaches the closed connection
        headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
        if fault.html:
            page = "<html><body>Slack is having trouble</body></html>"
            return web.Response(
                status=fault.status, text=page, content_type="text/html", headers=headers
            )
        body = {"ok": False, "error": "ratelimited" if fault.status == 429 else "fatal_error"}
        return web.json_response(body, status=fault.status, headers=headers)

    async def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()
