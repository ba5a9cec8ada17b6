"""APScheduler 3.x wiring: one cron job per subscription, feed polling, start-up catch-up.

With several replicas on one database (issue 15) every replica schedules every subscription,
re-reading them from the store every ``sync_interval`` (the delivery claim sends each digest
once), and feed polling runs only on the replica holding the leader lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.digests.delivery import DeliveryInProgress
from bot.digests.leases import LeaderLease
from bot.store import Store, Subscription

log = logging.getLogger(__name__)

DigestJob = Callable[[Subscription, date], Awaitable[None]]
PollJob = Callable[[], Awaitable[object]]
POLL_JOB_ID = "poll-feeds"
LEADER_JOB_ID = "leader-lease"
SYNC_JOB_ID = "sync-subscriptions"
SYNC_INTERVAL = timedelta(seconds=45)
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (1, 2, 5, 10, 20, 30, 60, 60, 60))


def job_id(subscription: Subscription) -> str:
    return f"digest:{subscription.platform}:{subscription.channel}:{subscription.topic}"


def last_fire_time(subscription: Subscription, now: datetime) -> datetime:
    """The most recent moment at or before ``now`` when this subscription's digest was due."""
    zone = ZoneInfo(subscription.timezone)
    local_now = now.astimezone(zone)
    for days_back in (0, 1):
        day = local_now.date() - timedelta(days=days_back)
        # A wall time inside a DST gap does not exist; the UTC round trip moves it forward.
        due = datetime.combine(day, subscription.time_of_day, tzinfo=zone)
        due = due.astimezone(UTC).astimezone(zone)
        # In UTC: datetimes sharing a zone compare by wall clock, ignoring fold, which put
        # 01:10 of the hour repeated at fall-back (second pass) before 01:30 (first pass).
        if due.astimezone(UTC) <= local_now.astimezone(UTC):
            return due
    raise AssertionError("a daily time always occurs within two days")


class DigestScheduler:
    """Runs each subscription's digest at its local time (DST-correct) and polls feeds."""

    def __init__(
        self,
        store: Store,
        run_digest: DigestJob,
        poll_feeds: PollJob | None = None,
        *,
        poll_interval: timedelta = timedelta(minutes=15),
        misfire_grace: timedelta = timedelta(hours=12),
        retry_delays: Sequence[timedelta] = RETRY_DELAYS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        leader: LeaderLease | None = None,
        sync_interval: timedelta | None = None,
    ) -> None:
        self._store = store
        self._leader = leader  # None: this process polls alone (one replica, tests)
        # None: read at start only (one process, whose commands schedule what they change).
        self._sync_interval = sync_interval
        self._known: dict[str, Subscription] = {}  # job id -> the subscription scheduled
        self._synced_at: datetime | None = None
        self._run_digest = run_digest
        self._poll_feeds = poll_feeds
        self._poll_interval = poll_interval
        self._misfire_grace = misfire_grace
        self._retry_delays = tuple(retry_delays)
        self._clock = clock
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._failures: dict[tuple[str, date], int] = {}
        self._in_flight: set[asyncio.Task[object]] = set()
        self._running: set[tuple[str, date]] = set()
        # Called when a day's digest is given up (bot.digests.lifecycle.pause_if_failing).
        self.on_give_up: DigestJob | None = None

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    async def start(self) -> None:
        """Rebuild every job from the store, start, and send digests missed while down."""
        self._synced_at = self._clock()
        subscriptions = await self._store.list_subscriptions()
        for subscription in subscriptions:
            self.schedule(subscription)
        if self._leader is not None:
            await self._leader.refresh()
            self._every(self._refresh_leader, LEADER_JOB_ID, self._leader.renew)
        if self._poll_feeds is not None:
            self._every(self._guarded_poll, POLL_JOB_ID, self._poll_interval, now=True)
        if self._sync_interval is not None:
            self._every(self._sync_quietly, SYNC_JOB_ID, self._sync_interval)
        self._scheduler.start()
        await self.catch_up(subscriptions)

    async def catch_up(self, subscriptions: list[Subscription]) -> None:
        """Send today's digest now for subscriptions whose time passed while the bot was down.

        The cron jobs only know about future times, and a memory job store forgets misfires
        across restarts, so the grace window is applied here; the store's sent log makes this
        harmless when the digest already went out.
        """
        now = self._clock()
        for subscription in subscriptions:
            due = last_fire_time(subscription, now)
            if now - due <= self._misfire_grace:
                await self._guarded(subscription, due.date())

    def _every(
        self, job: Callable[[], Awaitable[None]], name: str, every: timedelta, *, now: bool = False
    ) -> None:
        self._scheduler.add_job(
            job,
            IntervalTrigger(seconds=every.total_seconds()),
            id=name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            # A loop busy starting a thousand digests must delay a lease renewal, not skip it.
            misfire_grace_time=max(1, int(every.total_seconds())),
            # Left out, not None, unless ``now``: APScheduler adds a job whose next run is None
            # paused.
            **({"next_run_time": self._clock()} if now else {}),
        )

    async def sync(self) -> None:
        """Schedule what the store holds now: subscriptions made, changed or ended by any
        replica. One whose time came since the last sync, before this replica knew it, is sent
        now (another replica may have sent it: the delivery claim makes that harmless)."""
        now = self._clock()
        since = self._synced_at or now
        current = {job_id(s): s for s in await self._store.list_subscriptions() if s.enabled}
        for key, old in list(self._known.items()):
            if key not in current:
                self.unschedule(old)
        for key, subscription in current.items():
            old = self._known.get(key)
            if old == subscription:
                continue
            self.schedule(subscription)
            due = last_fire_time(subscription, now)
            moved = old is None or (old.local_time, old.timezone) != (
                subscription.local_time,
                subscription.timezone,
            )
            if moved and since < due <= now:
                self._scheduler.add_job(
                    self._run_job,
                    DateTrigger(run_date=now),
                    args=(subscription, due.date()),
                    id=f"missed:{key}:{due.date()}",
                    replace_existing=True,
                    misfire_grace_time=int(self._misfire_grace.total_seconds()),
                )
        self._synced_at = now

    async def _sync_quietly(self) -> None:
        try:
            await self.sync()
            if self._leader is not None and self._leader.held:
                await self._store.sweep_leases()  # one replica clears expired shared rows
        except Exception:  # the next interval tries again
            log.exception("could not re-read the subscriptions")

    async def _refresh_leader(self) -> None:
        assert self._leader is not None
        if await self._leader.refresh() and self._scheduler.get_job(POLL_JOB_ID) is not None:
            # The previous poller died or left: poll now rather than a whole interval later.
            self._scheduler.modify_job(POLL_JOB_ID, next_run_time=self._clock())

    def schedule(self, subscription: Subscription) -> None:
        """Add or replace the subscription's daily job."""
        if not subscription.enabled:
            self.unschedule(subscription)
            return
        self._known[job_id(subscription)] = subscription
        zone = ZoneInfo(subscription.timezone)
        hour, minute = subscription.local_time.split(":")
        self._scheduler.add_job(
            self._fire,
            CronTrigger(hour=int(hour), minute=int(minute), timezone=zone),
            args=(subscription,),
            id=job_id(subscription),
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self._misfire_grace.total_seconds()),
        )

    def unschedule(self, subscription: Subscription) -> None:
        self._known.pop(job_id(subscription), None)
        if self._scheduler.get_job(job_id(subscription)) is not None:
            self._scheduler.remove_job(job_id(subscription))

    def next_run(self, subscription: Subscription) -> datetime | None:
        job = self._scheduler.get_job(job_id(subscription))
        return job.next_run_time if job is not None else None

    async def _fire(self, subscription: Subscription) -> None:
        now = self._clock().astimezone(ZoneInfo(subscription.timezone))
        await self._run_job(subscription, last_fire_time(subscription, now).date())

    async def _run_job(self, subscription: Subscription, digest_date: date) -> None:
        # Only shutdown cancels a job's own task, and nothing runs after this in it, so it ends
        # quietly instead of APScheduler logging the cancellation as a job error.
        with contextlib.suppress(asyncio.CancelledError):
            await self._guarded(subscription, digest_date)

    async def _guarded_poll(self) -> None:
        assert self._poll_feeds is not None
        if self._leader is not None and not self._leader.held:
            return  # another replica polls
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await self._poll_feeds()
        except asyncio.CancelledError:
            log.info("feed polling stopped by shutdown")
        except Exception:  # the next interval tries again
            log.exception("feed polling failed")
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def _guarded(self, subscription: Subscription, digest_date: date) -> None:
        attempt_key = (job_id(subscription), digest_date)
        if attempt_key in self._running:
            # A retry, a catch-up and a cron fire can coincide; a second concurrent attempt
            # would claim the same pending row and post the digest twice.
            log.info("digest for %s already running; skipped", job_id(subscription))
            return
        self._running.add(attempt_key)
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await self._run_digest(subscription, digest_date)
        except asyncio.CancelledError:
            log.warning(
                "digest for %s interrupted by shutdown; it stays pending and is checked "
                "at the next start",
                job_id(subscription),
            )
            raise  # swallowed, it let the start-up catch-up go on to the next digests
        except Exception as err:  # one channel's failure must not stop the others or the scheduler
            failures = self._failures.get(attempt_key, 0) + 1
            self._failures[attempt_key] = failures
            if failures > len(self._retry_delays):
                log.exception(
                    "digest for %s failed; giving up for %s", job_id(subscription), digest_date
                )
                if self.on_give_up is not None:
                    try:
                        await self.on_give_up(subscription, digest_date)
                    except Exception:
                        log.exception("could not check %s for pausing", job_id(subscription))
                return
            retry_at = self._clock() + self._retry_delays[failures - 1]
            log.log(
                logging.INFO if isinstance(err, DeliveryInProgress) else logging.ERROR,
                "digest for %s not sent (%s); retrying at %s",
                job_id(subscription),
                err if isinstance(err, DeliveryInProgress) else "failed",
                retry_at.isoformat(timespec="seconds"),
                exc_info=not isinstance(err, DeliveryInProgress),
            )
            self._scheduler.add_job(
                self._run_job,
                DateTrigger(run_date=retry_at),
                args=(subscription, digest_date),
                id=f"retry:{job_id(subscription)}:{digest_date}",
                replace_existing=True,
                misfire_grace_time=int(self._misfire_grace.total_seconds()),
            )
        else:
            self._failures.pop(attempt_key, None)
        finally:
            self._running.discard(attempt_key)
            if task is not None:
                self._in_flight.discard(task)

    async def shutdown(self, grace_s: float = 20.0) -> None:
        """Stop scheduling, let digests being sent finish for ``grace_s``, then cancel them.

        A cancelled digest stays "pending" in the sent log, so the next start checks the
        platform for it and sends it if it never arrived.
        """
        if self._scheduler.running:
            # Paused, not shut down, until the grace is over: APScheduler's shutdown cancels the
            # jobs still running at once, which left digests being sent no grace at all.
            self._scheduler.pause()
        in_flight = {task for task in self._in_flight if task is not asyncio.current_task()}
        if in_flight:
            _, unfinished = await asyncio.wait(in_flight, timeout=grace_s)
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        if self._leader is not None and self._leader.held:
            await self._leader.release()
