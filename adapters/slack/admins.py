"""Who may manage with SLACK_MANAGERS empty: workspace admins and owners (users.info)."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

TTL_S = 300.0  # a demoted admin loses the right within five minutes
MAX_USERS = 5_000


class WorkspaceAdmins:
    """``users.info`` ``is_admin``/``is_owner``, remembered for a while (needs ``users:read``).

    Any failure (a missing scope, Slack down, an unknown user) answers no: a right is only given
    when Slack confirmed it.
    """

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._known: OrderedDict[str, tuple[bool, float]] = OrderedDict()

    async def is_admin(self, user: str) -> bool:
        cached = self._known.get(user)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        try:
            response = await self._client.users_info(user=user)
        except SlackApiError as err:
            log.warning(
                "users.info failed (%s): %s may not manage; add the users:read scope or set "
                "SLACK_MANAGERS",
                err.response.get("error") if err.response is not None else err,
                user,
            )
            return False
        except Exception as err:  # Slack unreachable: refuse now, ask again next time
            log.warning("users.info failed (%s): %s may not manage for now", err, user)
            return False
        profile = response.get("user") or {}
        admin = bool(profile.get("is_admin") or profile.get("is_owner"))
        self._known[user] = (admin, time.monotonic() + TTL_S)
        self._known.move_to_end(user)
        if len(self._known) > MAX_USERS:
            self._known.popitem(last=False)
        return admin
