"""The leader lease: which replica polls feeds, held as a row in the database, renewed on time.

Every replica runs ``LeaderLease.refresh`` every ``renew`` seconds: the holder renews its row,
the others try to take it, which the store allows only once the row has expired (``ttl`` after
its holder's last renewal). A holder that dies is replaced within ``ttl + renew``; a holder
that cannot reach the database stops counting itself leader when its own lease would have run
out, so two pollers overlap by at most one poll that was already running.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from bot.digests.delivery import attempt_owner
from bot.store import Store, StoreError
from bot.store.records.leases import POLLER_LEASE

log = logging.getLogger(__name__)
LEADER_TTL = timedelta(seconds=45)
LEADER_RENEW = timedelta(seconds=20)


class LeaderLease:
    """This replica's view of one named lease: ``held`` is True while its lease is live."""

    def __init__(
        self,
        store: Store,
        name: str = POLLER_LEASE,
        *,
        holder: str | None = None,
        ttl: timedelta = LEADER_TTL,
        renew: timedelta = LEADER_RENEW,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if renew >= ttl:
            raise ValueError("The lease must be renewed more often than it lasts.")
        self.name = name
        self.holder = holder or attempt_owner()
        self.ttl = ttl
        self.renew = renew
        self._store = store
        self._monotonic = monotonic
        self._valid_until = 0.0  # monotonic; measured from before the renewal was asked for

    @property
    def held(self) -> bool:
        return self._monotonic() < self._valid_until

    async def refresh(self) -> bool:
        """Take or renew the lease; True when this replica just became the holder."""
        was_held = self.held
        asked_at = self._monotonic()
        try:
            won = await self._store.acquire_lease(self.name, self.holder, self.ttl)
        except StoreError as err:  # the next round tries again; until then the old lease stands
            log.warning("could not renew the %s lease: %s", self.name, err)
            return False
        if won:
            self._valid_until = asked_at + self.ttl.total_seconds()
            if not was_held:
                log.info("this replica (%s) now holds the %s lease", self.holder, self.name)
            return not was_held
        if was_held:
            log.warning("the %s lease was taken by another replica", self.name)
        self._valid_until = 0.0
        return False

    async def release(self) -> None:
        """Give the lease up at shutdown, so another replica takes over at its next round."""
        self._valid_until = 0.0
        try:
            await self._store.release_lease(self.name, self.holder)
        except StoreError as err:
            log.warning("could not release the %s lease: %s", self.name, err)
