"""The Slack installations a distributed app keeps: one bot token per workspace or organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# How long an OAuth ``state`` handed to an installer stays usable (bolt's default too).
OAUTH_STATE_SECONDS = 600


@dataclass(frozen=True, slots=True)
class SlackInstallation:
    """One workspace's (or, for an org-wide install, one Enterprise Grid organisation's) bot.

    ``workspace`` is the key it is stored under: the team id, or the enterprise id of an
    org-wide install. ``bot_token`` is a secret: it is left out of ``repr`` so a logged record
    never shows it.
    """

    workspace: str
    bot_token: str = field(repr=False)
    team_id: str | None = None
    team_name: str | None = None
    enterprise_id: str | None = None
    is_enterprise_install: bool = False
    bot_id: str | None = None
    bot_user_id: str | None = None
    scopes: str = ""  # comma-separated, as Slack grants them
    installer: str | None = None  # the user id of who installed it
    installed_at: datetime | None = None  # set by the store when None


def workspace_key(
    team_id: str | None, enterprise_id: str | None, is_enterprise_install: bool
) -> str | None:
    """The key an installation is stored under: the organisation's for org-wide installs."""
    if is_enterprise_install:
        return enterprise_id or None
    return team_id or None
