"""The platform-neutral command layer: every adapter calls it and renders its Reply."""

from __future__ import annotations

import asyncio
import logging
import shlex
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from bot.chat import parsing
from bot.chat.limits.autocap import AutoSummaryCap
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.parsing import apply_settings, find_links, parse_time, parse_zone, subscribe_words
from bot.chat.replies.expand import SummaryExpander
from bot.chat.replies.feeds import feeds_reply
from bot.chat.replies.filters import filter_reply, filters_reply
from bot.chat.replies.search import is_digest_date, search_reply, sent_digest_reply
from bot.chat.replies.subscribe import ChannelPoster, Subscriber
from bot.chat.replies.subscriptions import subscriptions_reply
from bot.chat.replies.watch import unwatch_reply, watch_reply, watches_reply
from bot.chat.requests import Caller, Reply, Request
from bot.chat.wording.help import HELP, help_text
from bot.digests.feeds import FeedCatalog
from bot.errors import InputError, NewsbriefError
from bot.metrics import counting_summary
from bot.models import Digest
from bot.service import Summarizer
from bot.store import Store, Subscription

__all__ = ["GENERIC_FAILURE", "HELP", "MAX_LINKS_PER_MESSAGE", "Commands", "find_links", "guard"]

log = logging.getLogger(__name__)

MAX_LINKS_PER_MESSAGE = 3  # a message with 50 links must not start 50 fetches


class DigestPreviewer(Protocol):
    async def preview(
        self, caller: Caller, topic: str, *, sentences: int, now: datetime
    ) -> Digest: ...


class SubscriptionScheduler(Protocol):
    def schedule(self, subscription: Subscription) -> None: ...
    def unschedule(self, subscription: Subscription) -> None: ...
    def next_run(self, subscription: Subscription) -> datetime | None: ...


GENERIC_FAILURE = "Something went wrong on my side; please try again later."


async def guard(work: Awaitable[Reply]) -> Reply:
    """The core's answer, with user errors (and our own crashes) as a one-sentence failure."""
    try:
        return await work
    except NewsbriefError as err:
        return Reply.failure(err.message)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("command failed")
        return Reply.failure(GENERIC_FAILURE)


class Commands:
    """Parses command text, checks rights, runs the use case and says what happened.

    What may be absent is typed so: without ``digests`` the digest command says digests are
    unavailable, and without ``scheduler`` subscriptions are stored but not scheduled here.
    ``feeds`` defaults to a catalog over ``store`` fetching with the summarizer's fetcher, and
    ``limits`` to the settings' per-user and per-channel rates.
    """

    def __init__(
        self,
        summarizer: Summarizer,
        store: Store,
        *,
        digests: DigestPreviewer | None = None,
        scheduler: SubscriptionScheduler | None = None,
        feeds: FeedCatalog | None = None,
        topics: Callable[[], Sequence[str]] = lambda: ("migration",),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        limits: SummarizeLimits | None = None,
    ) -> None:
        self.summarizer = summarizer
        if limits is None:
            rates = summarizer.settings
            limits = SummarizeLimits.from_rates(rates.user_rate, rates.channel_rate)
        self.limits = limits
        per_hour = summarizer.settings.auto_summaries_per_hour
        self.auto_cap = AutoSummaryCap(per_hour, lambda: self._clock().timestamp())
        self.feed_catalog = feeds or FeedCatalog(store, summarizer.fetcher)
        self.store = store
        self.digests = digests
        self.scheduler = scheduler
        self._topics = topics
        self._clock = clock
        self.default_timezone = summarizer.settings.default_timezone
        self.help_footers: dict[str, str] = {}  # platform -> its own usage lines under HELP
        # platform -> how it confirms a subscription with a real post (bot.chat.replies.subscribe)
        self.channel_posters: dict[str, ChannelPoster] = {}
        self.expander = SummaryExpander(store)  # the buttons under a summary message
        self._handlers: dict[str, Callable[[Caller, list[str], str], Awaitable[Reply]]] = {
            "summarize": self._summarize_words,
            "digest": self._digest_words,
            "subscribe": self._subscribe_words,
            "unsubscribe": self._unsubscribe_words,
            "subscriptions": lambda caller, _w, _r: subscriptions_reply(
                self.store, self.scheduler, caller, self._clock()
            ),
            "feeds": self._feeds_words,
            "settings": self._settings_words,
            "help": self._help_words,
            # The summary buttons typed (the console has none): the channel's latest summary.
            "more": lambda caller, words, _r: self.expander.expand_latest(caller, "more", words),
            "figures": lambda caller, words, _r: self.expander.expand_latest(
                caller, "figures", words
            ),
            "sources": lambda caller, words, _r: self.expander.expand_latest(
                caller, "sources", words
            ),
            "filters": lambda caller, _w, _r: filters_reply(self.store, caller),
            "filter": lambda caller, _w, rest: filter_reply(
                self.store, caller, rest, self._topics()
            ),
            "search": lambda caller, _w, rest: search_reply(
                self.store, caller, rest, self._clock(), self.summarizer.settings.method
            ),
            "watch": lambda caller, words, _r: watch_reply(
                self.store, caller, words, self._clock()
            ),
            "watches": lambda caller, _w, _r: watches_reply(self.store, caller),
            "unwatch": lambda caller, words, _r: unwatch_reply(self.store, caller, words),
        }

    def knows(self, name: str) -> bool:
        """Whether ``name`` (any case, with or without a leading /) is one of the commands."""
        return name.lower().lstrip("/") in self._handlers

    async def handle(self, request: Request) -> Reply:
        """Run one typed command; never raises for a user mistake or a failed fetch."""
        text = request.text.strip()
        name, _, rest = text.partition(" ")
        name = name.lower().lstrip("/") or "help"
        handler = self._handlers.get(name)
        if handler is None:
            return Reply.failure(f"I don't know the command {name!r}; try help.")
        try:
            words = shlex.split(rest) if name not in {"summarize"} else rest.split()
        except ValueError:
            words = rest.split()
        return await guard(handler(request.caller, words, rest.strip()))

    # --- summaries ---
    async def summarize(self, caller: Caller, source: str, sentences: int | None = None) -> Reply:
        settings = await self.store.channel_settings(caller.platform, caller.channel)
        if not source.strip():
            raise InputError("Give me an article link or paste the article's text.")
        with counting_summary():
            await self.limits.acheck(caller)  # per user and channel; raises RateLimitedError
            links = find_links(source)
            if links and len(source.split()) <= 3:  # a link, maybe with a word around it
                source = links[0]
            length = sentences or settings.sentences
            summary = await self.summarizer.summarize(source, sentences=length)
        controls = await self.expander.register(caller, summary)
        return Reply(summary=summary, language=settings.language, controls=controls)

    async def expand(
        self, caller: Caller, key: str, view: str, *, parent: str | None = None
    ) -> Reply:
        """A summary button's answer (More, Figures, Sources), for the one who pressed it."""
        return await guard(self.expander.expand(caller, key, view, parent=parent))

    async def on_message(
        self, caller: Caller, text: str, *, addressed: bool = False
    ) -> list[Reply]:
        """Summaries of links pasted in a channel, if auto-summarize is on or the bot was addressed.

        Failures are only reported when the bot was addressed (@mention), never to bystanders.
        """
        settings = await self.store.channel_settings(caller.platform, caller.channel)
        if not (addressed or settings.auto_summarize):
            return []
        replies = []
        for link in find_links(text)[:MAX_LINKS_PER_MESSAGE]:
            admitted = "yes" if addressed else self.auto_cap.admit(caller)
            if admitted != "yes":  # the channel's hourly cap on unasked summaries
                if admitted == "note":
                    replies.append(Reply(text=self.auto_cap.note(caller, settings.language)))
                break
            reply = await guard(self.summarize(caller, link))
            if addressed or not reply.error:
                replies.append(reply)
        if addressed and not replies:
            replies.append(Reply.failure("Send me an article link and I'll summarize it."))
        return replies

    async def _summarize_words(self, caller: Caller, _words: list[str], rest: str) -> Reply:
        sentences, source = parsing.summary_length(rest)  # "summarize 5 <link>"
        return await self.summarize(caller, source, sentences)

    # --- digests and subscriptions ---
    async def digest(self, caller: Caller, topic: str | None = None) -> Reply:
        settings = await self.store.channel_settings(caller.platform, caller.channel)
        if self.digests is None:
            raise InputError("Digests are not available in this mode.")
        if topic is None:
            subs = await self.store.list_subscriptions(
                platform=caller.platform, channel=caller.channel
            )
            topic = subs[0].topic if subs else "migration"
        topic = topic.lower()
        if topic not in self._topics():  # before any fetch: a typo must not poll every feed
            raise InputError(f"There is no topic {topic!r}; topics: {', '.join(self._topics())}.")
        # A digest polls feeds and fetches pages: limited like summarize.
        await self.limits.acheck(caller)
        digest = await self.digests.preview(
            caller, topic, sentences=settings.sentences, now=self._clock()
        )
        return Reply(digest=digest, language=settings.language)

    async def _digest_words(self, caller: Caller, words: list[str], _rest: str) -> Reply:
        if words and is_digest_date(words[0]):  # "digest 2026-12-01": what was sent that day
            return await sent_digest_reply(self.store, caller, words[0])
        return await self.digest(caller, words[0] if words else None)

    async def subscribe(
        self,
        caller: Caller,
        topic: str | None = None,
        local_time: str | None = None,
        timezone: str | None = None,
    ) -> Reply:
        self._require_manage(caller)
        topic = (topic or "migration").lower()
        if topic not in self._topics():
            raise InputError(f"There is no topic {topic!r}; topics: {', '.join(self._topics())}.")
        settings = await self.store.channel_settings(caller.platform, caller.channel)
        wanted = Subscription(
            platform=caller.platform,
            channel=caller.channel,
            topic=topic,
            local_time=parse_time(local_time or "07:00"),
            timezone=parse_zone(timezone or self.default_timezone),
            sentences=settings.sentences,
            tenant=caller.tenant_key,
        )
        poster = self.channel_posters.get(caller.platform)
        subscriber = Subscriber(self.store, self.scheduler, poster)
        return await subscriber.subscribe(caller, wanted, settings.language)

    async def _subscribe_words(self, caller: Caller, words: list[str], _rest: str) -> Reply:
        return await self.subscribe(caller, *subscribe_words(words, self._topics()))

    async def unsubscribe(self, caller: Caller, topic: str | None = None) -> Reply:
        self._require_manage(caller)
        existing = await self.store.list_subscriptions(
            platform=caller.platform, channel=caller.channel, include_disabled=True
        )
        removed = await self.store.unsubscribe(caller.platform, caller.channel, topic)
        if self.scheduler is not None:
            for subscription in existing:
                if topic is None or subscription.topic == topic:
                    self.scheduler.unschedule(subscription)
        if not removed:
            return Reply(text="This channel had no digest subscription.", ephemeral=True)
        return Reply(text="Unsubscribed: no more daily digests here.")

    async def _unsubscribe_words(self, caller: Caller, words: list[str], _rest: str) -> Reply:
        return await self.unsubscribe(caller, words[0].lower() if words else None)

    # --- feeds ---
    async def feeds(self, caller: Caller, action: str = "list", url: str | None = None) -> Reply:
        return await feeds_reply(self.feed_catalog, caller, action, url)

    async def _feeds_words(self, caller: Caller, words: list[str], _rest: str) -> Reply:
        return await self.feeds(
            caller, words[0] if words else "list", words[1] if len(words) > 1 else None
        )

    # --- settings and help ---
    async def settings(self, caller: Caller, changes: dict[str, str]) -> Reply:
        current = await self.store.channel_settings(caller.platform, caller.channel)
        if changes:
            self._require_manage(caller)
            current = await self.store.save_channel_settings(apply_settings(current, changes))
        auto = "on" if current.auto_summarize else "off"
        return Reply(
            text=f"Settings here: {current.sentences} sentences per summary, "
            f"auto-summarize pasted links {auto}, language {current.language}.",
            language=current.language,
            ephemeral=not changes,
        )

    async def _settings_words(self, caller: Caller, words: list[str], _rest: str) -> Reply:
        if len(words) % 2:
            raise InputError(
                "Use settings sentences 3, settings autosummarize on, or settings language es."
            )
        return await self.settings(caller, dict(zip(words[::2], words[1::2], strict=True)))

    async def _help_words(self, caller: Caller, _words: list[str], _rest: str) -> Reply:
        footer = self.help_footers.get(caller.platform)
        return Reply(text=help_text(self.default_timezone, footer), ephemeral=True)

    @staticmethod
    def _require_manage(caller: Caller) -> None:
        if not caller.can_manage:
            raise InputError("Only people who can manage this channel can change that.")
