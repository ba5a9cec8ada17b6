"""Connecting to Slack: the start-up token check, and bolt's Socket Mode handler made sturdier."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.outbox import status_of
from bot.errors import ConfigurationError, PlatformError

log = logging.getLogger(__name__)


class SocketModeHandler(AsyncSocketModeHandler):
    """bolt's handler, acknowledging an envelope whose payload bolt cannot read.

    bolt reads the payload before any listener runs and raises on a field of an unexpected type
    (a number where the user id belongs); unacknowledged, Slack would send the envelope again.
    """

    async def handle(self, socket: SocketModeClient, req: SocketModeRequest) -> None:
        try:
            await super().handle(socket, req)
        except (ValueError, AttributeError, TypeError) as err:
            log.warning("Ignored a Socket Mode envelope that is not a Slack payload (%r)", err)
            await socket.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))


async def auth_test(client: AsyncWebClient) -> AsyncSlackResponse:
    """auth.test, failing in one sentence: a refused token is a setting to fix, not a crash."""
    try:
        return await client.auth_test()
    except SlackApiError as err:
        data = getattr(err.response, "data", None)
        error = data.get("error") if isinstance(data, dict) else f"HTTP {status_of(err)}"
        raise ConfigurationError(f"Slack refused SLACK_BOT_TOKEN ({error}).") from None
    except (aiohttp.ClientError, TimeoutError) as err:
        raise PlatformError(f"Could not reach Slack at {client.base_url} ({err}).") from None
