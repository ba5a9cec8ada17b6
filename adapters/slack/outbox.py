"""Posting to Slack: about one message per second per channel, 429s waited out, 5xx retried.

Rate limits (HTTP 429 with ``Retry-After``) are retried by slack_sdk's own
``AsyncRateLimitErrorRetryHandler`` on the client: a 429 means Slack did not post the message,
so a retry cannot duplicate it. Server errors (5xx) and dropped connections are different:
Slack may have posted before failing, so this module retries them itself and, when the caller
can tell (a digest carries its delivery key in message metadata), first asks Slack whether the
message is already there. A response_url cannot be asked, so a reply through it is retried
after a 5xx, a timeout or a dropped connection: at least once, since losing the answer to a
command is worse than the rare duplicate of a post Slack stored but did not confirm.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.rendering.render import SlackMessage
from bot.metrics import PLATFORM_RATE_LIMITED, PLATFORM_RETRIES

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 3
RESPONSE_URL_RETRIES = 2  # after a 5xx, a timeout or a dropped connection
# What slack_sdk's handler retries by default (refused, reset, disconnected), plus timeouts.
CONNECTION_ERRORS: list[type[Exception]] = [
    aiohttp.ServerConnectionError,
    aiohttp.ServerDisconnectedError,
    aiohttp.ClientOSError,
    TimeoutError,
]
MAX_PACED_CHANNELS = 1024  # idle channels beyond this are forgotten

AlreadyPosted = Callable[[], Awaitable[str | None]]


class SlackUnavailableError(Exception):
    """Slack kept failing (5xx, timeouts, dropped connections) after the retries."""


class _CountedRateLimitHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, counting each wait in the metrics (it retries unseen)."""

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        PLATFORM_RATE_LIMITED.labels(platform="slack").inc()
        PLATFORM_RETRIES.labels(platform="slack").inc()
        await super().prepare_for_next_attempt_async(**kwargs)


def rate_limit_handlers() -> list[AsyncRateLimitErrorRetryHandler]:
    """Retry handlers for the Web API client: wait ``Retry-After`` on 429, a few times."""
    return [_CountedRateLimitHandler(max_retry_count=RATE_LIMIT_RETRIES)]


def status_of(err: SlackApiError) -> int:
    """The HTTP status of a failed call (slack_sdk stores it under two names)."""
    response = err.response
    return int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)


class Outbox:
    """Posts messages through one Web API client, paced per channel."""

    def __init__(
        self,
        client: AsyncWebClient,
        session: aiohttp.ClientSession,
        *,
        min_interval: float = 1.0,
        backoff: float = 1.0,
        server_error_retries: int = SERVER_ERROR_RETRIES,
    ) -> None:
        self.client = client
        self._session = session
        self._min_interval = min_interval
        self._backoff = backoff
        self._server_error_retries = server_error_retries
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_slot: dict[str, float] = {}

    async def post(
        self,
        channel: str,
        message: SlackMessage,
        *,
        thread_ts: str | None = None,
        reply_broadcast: bool = False,
        metadata: dict[str, Any] | None = None,
        already_posted: AlreadyPosted | None = None,
    ) -> str:
        """chat.postMessage; returns the message ts. Raises SlackApiError for a refusal
        (not_in_channel, invalid_blocks, ...) and SlackUnavailableError when Slack is down."""
        extra: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}
        if thread_ts:
            extra["thread_ts"] = thread_ts
            if reply_broadcast:
                extra["reply_broadcast"] = True
        if metadata:
            extra["metadata"] = metadata
        for attempt in range(self._server_error_retries + 1):
            try:
                async with self._paced(channel):
                    response = await self.client.chat_postMessage(
                        channel=channel, **message.payload(), **extra
                    )
                return str(response["ts"])
            except SlackApiError as err:
                if status_of(err) < 500:
                    raise
                failure: Exception = err
            except (aiohttp.ClientError, TimeoutError) as err:
                failure = err
            log.warning("chat.postMessage to %s failed (%s), attempt %d", channel, failure, attempt)
            PLATFORM_RETRIES.labels(platform="slack").inc()
            if already_posted is not None:
                found = await already_posted()  # if Slack cannot even say, the caller retries later
                if found is not None:
                    return found
            if attempt < self._server_error_retries:
                await asyncio.sleep(self._backoff * 2**attempt)
        raise SlackUnavailableError(f"Slack did not take the message for {channel}: {failure}")

    async def respond(self, response_url: str, message: SlackMessage, *, in_channel: bool) -> bool:
        """Post to a slash command's or shortcut's response_url; True when Slack took it."""
        webhook = AsyncWebhookClient(
            response_url,
            session=self._session,
            retry_handlers=[
                *rate_limit_handlers(),
                AsyncServerErrorRetryHandler(max_retry_count=RESPONSE_URL_RETRIES),
                AsyncConnectionErrorRetryHandler(
                    max_retry_count=RESPONSE_URL_RETRIES, error_types=CONNECTION_ERRORS
                ),
            ],
        )
        body = {
            **message.payload(),
            "response_type": "in_channel" if in_channel else "ephemeral",
            "replace_original": False,
            "unfurl_links": False,
            "unfurl_media": False,
        }
        try:
            response = await webhook.send_dict(body)
        except (aiohttp.ClientError, TimeoutError) as err:
            log.warning("response_url post failed: %s", err)
            return False
        if response.status_code != 200:
            log.warning("response_url answered %s: %s", response.status_code, response.body)
        return response.status_code == 200

    @contextlib.asynccontextmanager
    async def _paced(self, channel: str) -> AsyncIterator[None]:
        """One post at a time per channel, ``min_interval`` after the previous one ended."""
        if channel not in self._locks and len(self._locks) >= MAX_PACED_CHANNELS:
            self._forget_idle_channels()
        loop = asyncio.get_running_loop()
        async with self._locks.setdefault(channel, asyncio.Lock()):
            wait = self._next_slot.get(channel, 0.0) - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._next_slot[channel] = loop.time() + self._min_interval

    def _forget_idle_channels(self) -> None:
        now = asyncio.get_running_loop().time()
        for channel, lock in list(self._locks.items()):
            if not lock.locked() and self._next_slot.get(channel, 0.0) <= now:
                del self._locks[channel]
                self._next_slot.pop(channel, None)
