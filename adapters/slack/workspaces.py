"""Which Slack workspace a Web API call speaks for in OAuth mode: its installation's bot token.

In OAuth mode (a distributed app) every workspace has its own bot token. A request's workspace
is known from bolt's authorize (``StoreAuthorize`` sets ``ACTIVE`` for the request's task and
the tasks it starts); a digest, a paused digest's notice or an alert is posted outside any
request, so ``Workspaces.speaking_for`` finds the channel's workspace from the store: the tenant
of the channel's subscriptions (``slack:T...``), else of its alert watches.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import PlatformError
from bot.store import Store
from bot.store.records.installations import SlackInstallation

ACTIVE: ContextVar[SlackInstallation | None] = ContextVar("slack_workspace", default=None)


class WorkspaceClient(AsyncWebClient):
    """A Web API client whose token is the active workspace's bot token at each call.

    Hand-written because a slack_sdk client holds one token, while the outbox, the digest sink
    and the admin look-ups share one client (and its pacing) across workspaces; slack_sdk reads
    ``self.token`` on every call, so a property is all it takes.
    """

    @property  # type: ignore[override]
    def token(self) -> str | None:
        active = ACTIVE.get()
        return active.bot_token if active is not None else None

    @token.setter
    def token(self, value: str | None) -> None:
        pass  # AsyncWebClient.__init__ sets it; the active workspace decides instead


def active_bot_id() -> str | None:
    """The bot id in the active workspace (digest messages are recognised by it)."""
    active = ACTIVE.get()
    return active.bot_id if active is not None else None


class Workspaces:
    """Finds the installation a channel's posts must use."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def for_channel(self, channel: str) -> SlackInstallation:
        """The channel's workspace's installation; PlatformError when it has none (uninstalled):
        nothing is ever posted with another workspace's token or a dead one."""
        team = await self._team_of(channel)
        active = ACTIVE.get()
        if team is None and active is not None:
            return active  # a channel seen for the first time, in a request (subscribe)
        installation = await self._store.slack_installation(team) if team else None
        if installation is None:
            raise PlatformError(
                f"Newsbrief is not installed in the Slack workspace of channel {channel}, so "
                "nothing was posted there."
            )
        return installation

    @asynccontextmanager
    async def speaking_for(self, channel: str) -> AsyncIterator[SlackInstallation]:
        """Make the channel's workspace the active one for the calls made inside."""
        installation = await self.for_channel(channel)
        reset = ACTIVE.set(installation)
        try:
            yield installation
        finally:
            ACTIVE.reset(reset)

    async def _team_of(self, channel: str) -> str | None:
        subscriptions = await self._store.list_subscriptions(
            platform="slack", channel=channel, include_disabled=True
        )
        tenants = [s.tenant for s in subscriptions if s.tenant]
        if not tenants:
            watches = await self._store.list_watches(platform="slack", channel=channel)
            tenants = [w.tenant for w in watches if w.tenant]
        for tenant in tenants:
            team = tenant.removeprefix("slack:")
            if team != tenant and not team.startswith("channel "):
                return team
        return None
