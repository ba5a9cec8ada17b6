"""What adapters hand the command layer (Caller, Request) and what they get back (Reply)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Digest, Summary
from bot.store import Platform


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asked, and where: a platform-neutral identity with the caller's rights."""

    platform: Platform
    channel: str
    user: str
    can_manage: bool = False  # may change this channel's subscriptions, feeds and settings
    # The workspace or server the channel belongs to (Slack team_id, Discord guild_id,
    # "console"): it has its own feed list. Empty: the channel is a tenant of its own.
    tenant: str = ""

    @property
    def tenant_key(self) -> str:
        """The store's tenant id: platform-qualified, so a Slack and a Discord id never meet."""
        return f"{self.platform}:{self.tenant or 'channel ' + self.channel}"


@dataclass(frozen=True, slots=True)
class Request:
    """A command typed by a user, e.g. ``summarize https://...`` or ``subscribe 07:00 UTC``."""

    caller: Caller
    text: str


@dataclass(frozen=True, slots=True)
class Reply:
    """The command layer's answer; adapters render it for their platform."""

    text: str = ""  # a short message: a confirmation, help, or one sentence saying what failed
    summary: Summary | None = None
    # The key a summary's buttons (More, Figures, Sources) carry; None: no buttons.
    controls: str | None = None
    digest: Digest | None = None
    ephemeral: bool = False  # only the caller should see it (errors and confirmations)
    error: bool = False
    language: str = "en"  # the channel's language for labels; article text keeps its own

    @classmethod
    def failure(cls, message: str, language: str = "en") -> Reply:
        return cls(text=message, ephemeral=True, error=True, language=language)
