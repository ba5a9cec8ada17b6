"""What `newsbrief run` does for its operators: health checks, metrics, logs, daily pruning."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import date
from importlib import metadata
from typing import Any

from adapters.base import Adapter
from adapters.health_http import HealthServer, add_health_routes
from bot import metrics
from bot.config import Settings
from bot.digests.delivery import DeliveryInProgress
from bot.health import Health
from bot.store import Store, Subscription
from bot.store.run_lock import prune_store

log = logging.getLogger(__name__)
PRUNE_EVERY_S = 24 * 3600.0
# A poll is "recent enough" for /readyz within this many poll intervals (one may be slow).
POLL_STALE_INTERVALS = 3


def package_version() -> str:
    """The installed newsbrief version ("unknown" when run from a checkout never installed)."""
    try:
        return metadata.version("newsbrief")
    except metadata.PackageNotFoundError:
        return "unknown"


class Operations:
    """Health probes and metrics around the scheduler's jobs, and the health server if needed."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._settings = settings
        self._store = store
        self.health = Health()
        self._last_poll: float | None = None
        self._server: HealthServer | None = None
        self._pruning: asyncio.Task[None] | None = None
        self.health.add("store", self._store_probe)
        self.health.add("feed poll", self._poll_probe)

    # --- probes ----------------------------------------------------------------------------

    async def _store_probe(self) -> tuple[bool, str]:
        await self._store.get_delivery("readyz-probe")  # one indexed read
        return True, "open"

    def _poll_probe(self) -> tuple[bool, str]:
        limit = self._settings.poll_minutes * 60 * POLL_STALE_INTERVALS
        if self._last_poll is None:
            # Until the first poll ends, the bot counts as ready for as long as one would take.
            started = time.monotonic() - self.health.started_at
            return started < limit, "no feed poll finished yet"
        age = time.monotonic() - self._last_poll
        return age < limit, f"last feed poll {age:.0f} s ago"

    def watch_scheduler(self, running: Callable[[], bool]) -> None:
        self.health.add("scheduler", lambda: (running(), "running" if running() else "stopped"))

    def watch_adapter(self, adapter: Adapter) -> None:
        probe = getattr(adapter, "connected", None)
        if probe is not None:
            self.health.add(f"platform {adapter.platform}", probe)

    # --- job wrappers: logs and metrics --------------------------------------------------

    def delivering(
        self, deliver: Callable[[Subscription, date], Awaitable[str]]
    ) -> Callable[[Subscription, date], Awaitable[str]]:
        """``deliver`` that logs each digest's outcome and counts deliveries by state."""

        async def logged(subscription: Subscription, digest_date: date) -> str:
            where = f"{subscription.platform} channel {subscription.channel}"
            try:
                outcome = await deliver(subscription, digest_date)
            except DeliveryInProgress:
                metrics.DELIVERIES.labels(state="in_progress").inc()  # another attempt sends it
                raise
            except Exception:
                metrics.DELIVERIES.labels(state="failed").inc()
                raise  # the scheduler logs it and retries
            state = (
                "sent"
                if outcome.startswith("sent")
                else "found_sent"
                if outcome == "found already posted"
                else "skipped"
            )
            metrics.DELIVERIES.labels(state=state).inc()
            log.info("Digest %s for %s (%s): %s", digest_date, where, subscription.topic, outcome)
            return outcome

        return logged

    def polling(self, refresh: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        """``refresh`` that records when the last poll finished, for /readyz."""

        async def recorded() -> Any:
            report = await refresh()
            self._last_poll = time.monotonic()
            return report

        return recorded

    # --- serving and pruning -------------------------------------------------------------

    async def serve(self, adapters: list[Adapter]) -> None:
        """Health routes on the Slack events server, else a server of their own when a chat
        platform runs and NEWSBRIEF_HTTP_PORT was set explicitly (loopback by default)."""
        # Slack's events server (HTTP mode) offers ``http_routes``; serve the endpoints there.
        route_lists = [
            routes
            for adapter in adapters
            if isinstance(routes := getattr(adapter, "http_routes", None), list)
            and not getattr(adapter, "socket_mode", True)
        ]
        for routes in route_lists:
            routes.append(lambda app: add_health_routes(app, self.health))
        platforms = [a for a in adapters if a.platform != "console"]
        if platforms and not route_lists and "http_port" in self._settings.model_fields_set:
            self._server = HealthServer(
                self.health, self._settings.http_host, self._settings.http_port
            )
            await self._server.start()
            log.info(
                "Health and metrics at http://%s:%s/readyz and /metrics",
                self._settings.http_host,
                self._server.port,
            )

    def start_pruning(self) -> None:
        self._pruning = asyncio.create_task(self._prune_daily())

    async def _prune_daily(self) -> None:
        while True:
            try:
                result = await prune_store(self._settings.database, self._settings.keep_days)
                if result.texts_emptied:
                    log.info(
                        "Pruned the texts of %d articles older than %d days",
                        result.texts_emptied,
                        self._settings.keep_days,
                    )
            except Exception:  # pruning is housekeeping: never stop the bot for it
                log.exception("pruning old articles failed; trying again tomorrow")
            await asyncio.sleep(PRUNE_EVERY_S)

    async def aclose(self) -> None:
        if self._pruning is not None:
            self._pruning.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pruning
        if self._server is not None:
            await self._server.aclose()
