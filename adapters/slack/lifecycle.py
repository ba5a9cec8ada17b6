"""Slack channels digests can and cannot reach: subscriptions confirmed by a post, and paused.

``post_confirmation`` posts a subscription's confirmation in the channel, so a channel the bot
is not in is told "Invite me first" instead of "Subscribed".

``app_uninstalled`` and ``tokens_revoked`` (of the bot token) end every digest of the
workspace (in OAuth mode, only of the workspace the event came from, whose installation is
deleted with its token: a reinstall brings it back, and ``subscribe`` restarts a digest);
``channel_archive``/``group_archive``, and the bot leaving or being removed from a
channel (``channel_left``/``group_left``, ``member_left_channel`` naming the bot) end that
channel's. Each pause is logged at WARNING by ``bot.digests.lifecycle``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError

from adapters.slack.outbox import Outbox, SlackUnavailableError
from adapters.slack.rendering.render import SlackMessage, text_message
from bot.chat.commands import Commands
from bot.digests.lifecycle import pause_subscriptions
from bot.errors import InputError

log = logging.getLogger(__name__)

Payload = dict[str, Any]
CHANNEL_GONE = {
    "channel_archive": "the channel was archived",
    "group_archive": "the channel was archived",
    "channel_left": "the bot was removed from the channel",
    "group_left": "the bot was removed from the channel",
    "member_left_channel": "the bot was removed from the channel",
}
INVITE_FIRST = "Invite me first: `/invite @Newsbrief`, then subscribe again."
# Our own constant, shown as typed: the reply renderer would make the backticks and the @
# look-alikes (it cannot tell this text from echoed words), and a look-alike @ cannot be typed.
INVITE_FIRST_MESSAGE = SlackMessage(
    text=INVITE_FIRST,
    blocks=(
        {"type": "section", "text": {"type": "mrkdwn", "text": INVITE_FIRST, "verbatim": True}},
    ),
)
# Every event this module listens to, for the manifest's bot_events.
EVENTS = ("app_uninstalled", "tokens_revoked", *CHANNEL_GONE)


class SlackLifecycle:
    """Listeners pausing the subscriptions a workspace or channel event made undeliverable."""

    def __init__(
        self,
        commands: Commands,
        *,
        bot_user_id: str | None,
        forget: Callable[[str | None, str | None], Awaitable[bool]] | None = None,
    ) -> None:
        self._commands = commands
        self._bot_user_id = bot_user_id
        # OAuth mode: deletes a workspace's installation, given (enterprise id, team id).
        self._forget = forget

    def register(self, app: AsyncApp) -> None:
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)
        for name in CHANNEL_GONE:
            app.event(name)(self.on_channel_gone)

    async def on_uninstalled(self, event: Payload, context: AsyncBoltContext) -> None:
        await self._workspace_gone("the app was uninstalled from the workspace", context)

    async def on_tokens_revoked(self, event: Payload, context: AsyncBoltContext) -> None:
        tokens = event.get("tokens")
        if isinstance(tokens, dict) and tokens.get("bot"):
            await self._workspace_gone("the workspace revoked the bot's token", context)

    async def _workspace_gone(self, reason: str, context: AsyncBoltContext) -> None:
        if self._forget is None:  # one workspace: all of Slack's digests are its
            await self._pause(reason)
            return
        team, enterprise = context.team_id, context.enterprise_id
        forgotten = await self._forget(enterprise, team)
        log.warning(
            "Slack workspace %s is disabled (%s): %s",
            team or enterprise,
            reason,
            "its installation is deleted" if forgotten else "it had no installation",
        )
        if team:  # tenants are per team (Caller.tenant_key); never pause other workspaces
            commands = self._commands
            await pause_subscriptions(
                commands.store, commands.scheduler, "slack", reason, tenant=f"slack:{team}"
            )

    async def on_channel_gone(self, event: Payload, context: AsyncBoltContext) -> None:
        kind, channel = event.get("type"), event.get("channel")
        if not isinstance(channel, str) or not channel or kind not in CHANNEL_GONE:
            log.warning("Ignored a malformed Slack %s event", kind)
            return
        bot_user_id = context.bot_user_id or self._bot_user_id
        if kind == "member_left_channel" and event.get("user") != bot_user_id:
            return  # someone else left: the bot still posts there
        await self._pause(CHANNEL_GONE[kind], channels=[channel])

    async def _pause(self, reason: str, *, channels: list[str] | None = None) -> None:
        commands = self._commands
        await pause_subscriptions(
            commands.store, commands.scheduler, "slack", reason, channels=channels
        )


async def post_confirmation(outbox: Outbox, channel: str, text: str) -> None:
    """Post ``text`` in ``channel``; InputError with the fix when Slack refuses it."""
    try:
        await outbox.post(channel, text_message(text))
    except SlackApiError as err:
        error = err.response.get("error") if err.response is not None else None
        # A private channel the bot is not in is "channel_not_found" to it.
        if error in ("not_in_channel", "channel_not_found"):
            raise InputError(INVITE_FIRST) from None
        if error == "is_archived":
            raise InputError("This channel is archived, so no digest can be posted here.") from None
        raise InputError(
            f"I could not post in this channel (Slack said {error}), so it is not subscribed."
        ) from None
    except SlackUnavailableError:
        raise InputError(
            "Slack did not take my confirmation just now, so the channel is not subscribed; "
            "try again in a minute."
        ) from None
