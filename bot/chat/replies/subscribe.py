"""The ``subscribe`` command: store and schedule a daily digest, confirmed by a real post.

A platform that can tell whether the bot may post in a channel registers a ``ChannelPoster``
(Slack: the bot must be a member). The confirmation is posted there; when that is refused the
subscription is undone (the previous one, if any, comes back) and the caller gets the poster's
one sentence, e.g. "Invite me first: `/invite @Newsbrief`", instead of "Subscribed".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.chat.requests import Caller, Reply
from bot.errors import InputError
from bot.store import Store, Subscription

# Posts ``text`` in ``channel``; raises InputError (one sentence) if the bot cannot post there.
ChannelPoster = Callable[[str, str], Awaitable[None]]


class SubscriptionScheduler(Protocol):
    def schedule(self, subscription: Subscription) -> None: ...
    def unschedule(self, subscription: Subscription) -> None: ...
    def next_run(self, subscription: Subscription) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class Subscriber:
    """What ``subscribe`` needs of the command layer."""

    store: Store
    scheduler: SubscriptionScheduler | None
    poster: ChannelPoster | None

    async def subscribe(self, caller: Caller, wanted: Subscription, language: str) -> Reply:
        existing = await self.store.list_subscriptions(
            platform=caller.platform, channel=caller.channel, include_disabled=True
        )
        previous = next((s for s in existing if s.topic == wanted.topic), None)
        subscription = await self.store.subscribe(wanted)
        when = f"{subscription.local_time} {subscription.timezone}"
        if self.scheduler is not None:
            self.scheduler.schedule(subscription)
            next_run = self.scheduler.next_run(subscription)
            if next_run is not None:
                local = next_run.astimezone(ZoneInfo(subscription.timezone))
                when += f" (next: {local:%a %d %b %H:%M})"
        text = f"Subscribed: the {wanted.topic} digest will be posted here every day at {when}."
        if self.poster is None:
            return Reply(text=text, language=language)
        try:
            await self.poster(caller.channel, text)
        except InputError:
            await self._undo(subscription, previous)
            raise
        # The channel saw the confirmation; the caller gets it privately, not a second time.
        return Reply(text=text, language=language, ephemeral=True)

    async def _undo(self, subscription: Subscription, previous: Subscription | None) -> None:
        if previous is not None:
            restored = await self.store.subscribe(previous)
            if self.scheduler is not None:
                self.scheduler.schedule(restored)
            return
        await self.store.unsubscribe(
            subscription.platform, subscription.channel, subscription.topic
        )
        if self.scheduler is not None:
            self.scheduler.unschedule(subscription)
