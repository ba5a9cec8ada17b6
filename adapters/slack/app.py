"""The Slack adapter: a slack-bolt AsyncApp over HTTP (Events API) or Socket Mode.

Every request is acknowledged first and worked on after, in tasks the adapter tracks (and
awaits in ``aclose``). bolt's ``process_before_response=True`` is used on purpose: the
listeners only ``ack()`` and start a task, so the answer leaves as soon as they return,
without the 10 ms polling bolt uses to wait for ``ack()`` in its own background mode.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection
from contextlib import AbstractAsyncContextManager, nullcontext
from functools import partial

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.connection import SocketModeHandler, auth_test
from adapters.slack.digests import SlackDigestSink
from adapters.slack.handlers import SlackHandlers
from adapters.slack.lifecycle import SlackLifecycle, post_confirmation
from adapters.slack.oauth import StoreInstallations, add_oauth_routes, oauth_app
from adapters.slack.outbox import Outbox, rate_limit_handlers
from adapters.slack.rendering.render import SLACK_USAGE
from adapters.slack.workspaces import ACTIVE, WorkspaceClient, Workspaces, active_bot_id
from bot.chat.commands import Commands
from bot.config import Settings, listen_failure
from bot.digests.delivery import PostedDigest
from bot.digests.lifecycle import Poster
from bot.errors import ConfigurationError, PlatformError
from bot.metrics import ACK_SECONDS
from bot.models import Digest
from bot.store import Platform

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class SlackAdapter:
    """Slash command, pasted links, message shortcut and digests for Slack workspaces.

    HTTP mode (Events API, slash commands and interactivity all at ``/slack/events`` on
    ``NEWSBRIEF_HTTP_HOST``:``NEWSBRIEF_HTTP_PORT``) unless ``SLACK_APP_TOKEN`` is set, then
    Socket Mode. One workspace on ``SLACK_BOT_TOKEN``; without it but with ``SLACK_CLIENT_ID``
    and ``SLACK_CLIENT_SECRET``, a distributed app (OAuth mode, HTTP only): ``/slack/install``
    and ``/slack/oauth_redirect`` on the same server, each workspace on its own stored token.
    ``managers``: Slack user ids allowed to change subscriptions, feeds and
    settings; empty means everyone in the channel may (see docs/slack.md).
    ``post_interval``: seconds between two posts in one channel; ``retry_backoff``: first wait
    after a Slack server error (doubling); ``request_timeout``: seconds before a Slack call that
    got no answer is given up (and retried).
    """

    platform: Platform = "slack"

    def __init__(
        self,
        settings: Settings,
        commands: Commands,
        *,
        managers: Collection[str] = (),
        post_interval: float = 1.0,
        retry_backoff: float = 1.0,
        request_timeout: float = 30.0,
        connect_timeout: float = 30.0,
        drain_timeout: float = 20.0,
    ) -> None:
        self.oauth = settings.slack_oauth
        if settings.slack_bot_token is None and not self.oauth:
            raise ConfigurationError(
                "SLACK_BOT_TOKEN is not set (nor SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for a "
                "distributed app), so Slack cannot be started."
            )
        if self.oauth and settings.slack_app_token is not None:
            raise ConfigurationError(
                "SLACK_APP_TOKEN (Socket Mode) cannot be used with SLACK_CLIENT_ID: a distributed "
                "app is reached over HTTP."
            )
        self.socket_mode = settings.slack_app_token is not None
        if not self.socket_mode and settings.slack_signing_secret is None:
            raise ConfigurationError(
                "SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN)."
            )
        self._settings = settings
        self._commands = commands
        commands.help_footers[self.platform] = SLACK_USAGE  # /newsbrief, shortcut, @mention
        self._managers = managers
        self._post_interval = post_interval
        self._retry_backoff = retry_backoff
        self._request_timeout = request_timeout
        self._connect_timeout = connect_timeout
        self._drain_timeout = drain_timeout
        self._auth: AuthorizeResult | None = None
        self._workspaces = Workspaces(commands.store)
        self._installations = StoreInstallations(commands.store)
        # Extra routes the runner serves on the events server (health and metrics).
        self.http_routes: list[Callable[[web.Application], None]] = []
        self._session: aiohttp.ClientSession | None = None
        self._sink: SlackDigestSink | None = None
        self._handlers: SlackHandlers | None = None
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self.app: AsyncApp | None = None
        self.port: int | None = None  # the HTTP port actually bound (HTTP mode)

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Check the token with auth.test, then listen (HTTP) or connect (Socket Mode)."""
        # slack_sdk applies its own 30 s timeout only to sessions it creates; on a session it is
        # given, aiohttp's default of 5 minutes would hold a channel's posts that long.
        timeout = aiohttp.ClientTimeout(total=self._request_timeout)
        self._session = aiohttp.ClientSession(timeout=timeout)
        try:
            await self._start()
        except BaseException:
            await self.aclose()
            raise

    async def _start(self) -> None:
        assert self._session is not None
        base_url = self._settings.slack_api_url.rstrip("/") + "/"  # slack_sdk needs the slash
        if self.oauth:  # each call uses the token of the workspace it speaks for
            client: AsyncWebClient = WorkspaceClient(
                base_url=base_url, session=self._session, retry_handlers=rate_limit_handlers()
            )
            bot_user_id = None  # each workspace's, from the request (bolt's context)
        else:
            assert self._settings.slack_bot_token is not None
            client = AsyncWebClient(
                token=self._settings.slack_bot_token.get_secret_value(),
                base_url=base_url,
                session=self._session,
                retry_handlers=rate_limit_handlers(),
            )
            self._auth = AuthorizeResult.from_auth_test_response(
                bot_token=client.token, auth_test_response=await auth_test(client)
            )
            bot_user_id = self._auth.bot_user_id
        outbox = Outbox(
            client, self._session, min_interval=self._post_interval, backoff=self._retry_backoff
        )
        self._sink = SlackDigestSink(outbox, self._bot_id)
        self._commands.channel_posters[self.platform] = self._routed(
            partial(post_confirmation, outbox)
        )
        self._handlers = SlackHandlers(
            self._commands, outbox, bot_user_id=bot_user_id, managers=self._managers
        )
        self.app = self._build_app(base_url)
        self._handlers.register(self.app)
        lifecycle = SlackLifecycle(
            self._commands,
            bot_user_id=bot_user_id,
            forget=self._installations.forget if self.oauth else None,
        )
        lifecycle.register(self.app)
        if self.socket_mode:
            await self._connect_socket(client)
        else:
            await self._listen()

    def _build_app(self, base_url: str) -> AsyncApp:
        secret = self._settings.slack_signing_secret

        async def authorize() -> AuthorizeResult | None:  # bolt passes no `self` to authorize
            return self._auth

        if self.oauth:
            template = AsyncWebClient(base_url=base_url, session=self._session)
            return oauth_app(self._settings, self._installations, template, log)
        return AsyncApp(
            name="newsbrief",
            # A token-less template for bolt's per-request clients; `authorize` supplies the
            # token from the auth.test made in start(), so no request waits on Slack's API.
            client=AsyncWebClient(base_url=base_url, session=self._session),
            authorize=authorize,
            signing_secret=secret.get_secret_value() if secret else "",
            request_verification_enabled=not self.socket_mode,  # Socket Mode has no signature
            process_before_response=True,
            logger=log,
        )

    async def connected(self) -> tuple[bool, str]:
        """Whether Slack can reach the bot now: the events server listens, or the socket is up."""
        if self._handlers is None:
            return False, "not started"
        if self._socket is not None:
            connection = self._socket.client  # the Socket Mode connection, not a Web API client
            up = await connection.is_connected()
            return up, "Socket Mode connected" if up else "Socket Mode connection down"
        if self._runner is not None:
            return True, f"events server listening on port {self.port}"
        return False, "stopped"

    async def _listen(self) -> None:
        server = web.Application()
        server.router.add_post(EVENTS_PATH, self._handle_http)
        if self.oauth and self.app is not None:
            add_oauth_routes(server, self.app)  # /slack/install, /slack/oauth_redirect
        for add_routes in self.http_routes:  # /healthz, /readyz, /metrics on the same port
            add_routes(server)
        self._runner = web.AppRunner(server, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._settings.http_host, self._settings.http_port)
        try:
            await site.start()
        except OSError as err:
            raise ConfigurationError(listen_failure(self._settings, err)) from None
        self.port = self._runner.addresses[0][1]
        log.info("Slack events at http://%s:%s%s", self._settings.http_host, self.port, EVENTS_PATH)

    async def _handle_http(self, request: web.Request) -> web.Response:
        assert self.app is not None
        received = time.perf_counter()
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
            # slack_sdk's verifier calls int() on it: "abc" became a 500 with a traceback.
            return web.Response(status=401, text="This is not a signed Slack request.")
        try:
            bolt_request = await to_bolt_request(request)
        except (ValueError, AttributeError, TypeError) as err:
            # bolt reads the body (before checking its signature) and raises on malformed JSON
            # or a JSON array; left alone, aiohttp logs a traceback and answers 500.
            log.warning("Ignored a request whose body is not a Slack payload (%r)", err)
            return web.Response(status=400, text="This is not a Slack request.")
        # No workspace carries over from an earlier request on the same connection.
        reset = ACTIVE.set(None)
        try:
            response = await self.app.async_dispatch(bolt_request)
        finally:
            ACTIVE.reset(reset)
        ACK_SECONDS.labels(platform="slack").observe(time.perf_counter() - received)
        return await to_aiohttp_response(response)

    def _bot_id(self) -> str | None:
        """The bot's id in the workspace being posted to (its digests are recognised by it)."""
        return active_bot_id() if self.oauth else self._auth and self._auth.bot_id

    def _speaking_for(self, channel: str) -> AbstractAsyncContextManager[object]:
        """In OAuth mode, the calls made inside use the channel's own workspace's token."""
        return self._workspaces.speaking_for(channel) if self.oauth else nullcontext()

    def _routed(self, poster: Poster) -> Poster:
        async def post(channel: str, text: str) -> None:
            async with self._speaking_for(channel):
                await poster(channel, text)

        return post

    async def _connect_socket(self, client: AsyncWebClient) -> None:
        assert self.app is not None and self._settings.slack_app_token is not None
        self._socket = SocketModeHandler(
            self.app, app_token=self._settings.slack_app_token.get_secret_value(), web_client=client
        )
        try:
            # slack_sdk retries a failed connect forever; start() must return or fail.
            await asyncio.wait_for(self._socket.connect_async(), self._connect_timeout)
        except TimeoutError:
            raise PlatformError("Could not open a Slack Socket Mode connection.") from None
        log.info("Slack Socket Mode connected")

    async def aclose(self) -> None:
        """Stop taking requests, finish the work already acknowledged, close connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._handlers is not None:
            await self.drain(self._drain_timeout)
            for task in list(self._handlers.tasks):
                task.cancel()
            await asyncio.gather(*self._handlers.tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every acknowledged request has been answered (or ``timeout``)."""
        if self._handlers is None:
            return
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._handlers.tasks:
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                return
            await asyncio.wait(set(self._handlers.tasks), timeout=left)

    async def __aenter__(self) -> SlackAdapter:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- DigestSink --------------------------------------------------------------------

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> PostedDigest:
        """Post ``digest`` (several messages if needed, ~1/s), updates as thread replies."""
        sink = self._running_sink()
        async with self._speaking_for(channel):
            return await sink.send_digest(
                channel, digest, delivery_key=delivery_key, language=language
            )

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        """The ts of a complete digest carrying ``delivery_key`` in the channel, if any."""
        sink = self._running_sink()
        async with self._speaking_for(channel):
            return await sink.find_delivery(channel, delivery_key)

    def _running_sink(self) -> SlackDigestSink:
        if self._sink is None:
            raise PlatformError("The Slack adapter is not started.")
        return self._sink
