"""The ``subscriptions`` command: a channel's daily digests and when each one runs next."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.chat.requests import Caller, Reply
from bot.store import Store, Subscription

__all__ = ["NextRun", "next_local_run", "subscriptions_reply"]


class NextRun(Protocol):
    def next_run(self, subscription: Subscription) -> datetime | None: ...


def next_local_run(subscription: Subscription, now: datetime) -> datetime:
    """The next time the subscription's local time comes round in its zone, after ``now``."""
    zone = ZoneInfo(subscription.timezone)
    hour, minute = map(int, subscription.local_time.split(":"))
    local_now = now.astimezone(zone)
    day = local_now.date()
    while True:
        candidate = datetime.combine(day, time(hour, minute), tzinfo=zone)
        if candidate > local_now:
            return candidate
        day += timedelta(days=1)


async def subscriptions_reply(
    store: Store, scheduler: NextRun | None, caller: Caller, now: datetime
) -> Reply:
    """One line per digest of this channel: topic, time, zone and next run (or paused)."""
    subscriptions = await store.list_subscriptions(
        platform=caller.platform, channel=caller.channel, include_disabled=True
    )
    if not subscriptions:
        return Reply(
            text="This channel has no daily digest; start one with: subscribe 7am Europe/Madrid.",
            ephemeral=True,
        )
    lines = [f"Daily digests in this channel ({len(subscriptions)}):"]
    for subscription in sorted(subscriptions, key=lambda s: (s.topic, s.local_time)):
        zone = ZoneInfo(subscription.timezone)
        when = f"{subscription.topic} daily at {subscription.local_time} {subscription.timezone}"
        if not subscription.enabled:
            lines.append(f"• {when}: paused (subscribe again to restart it)")
            continue
        scheduled = scheduler.next_run(subscription) if scheduler is not None else None
        next_run = (scheduled or next_local_run(subscription, now)).astimezone(zone)
        lines.append(f"• {when}: next {next_run:%a %d %b %H:%M} ({next_run:%Z})")
    return Reply(text="\n".join(lines), ephemeral=True)
