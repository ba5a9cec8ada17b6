"""Story updates end to end: feeds and pages on 127.0.0.1, the real store, builder and delivery,
and the real slack-bolt and discord.py clients talking to the fake Slack and Discord.

Day 1 a channel gets the BBC's report of the US-Mexico talks (more than 190,000 apprehensions
in November). Day 2 Wire B reports the same talks with 225,000 apprehensions in November: the
channel gets it once, as "Update: <day 1's headline>", threaded under day 1's message, not as a
new story; day 3 does not repeat it. The same BBC article re-fetched (a tracking parameter, a
re-sent GUID, a typo fixed under a new address) is never an update.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from digest_site import NewsSite, article_page
from fakes.discord_harness import discord_rig
from fakes.slack_harness import slack_rig
from webserver import WebServer

from adapters.console_render import render_digest
from adapters.slack import SlackAdapter
from adapters.slack.outbox import SlackUnavailableError
from adapters.slack.rendering.render import reply_messages as slack_reply_messages
from bot.chat.requests import Reply
from bot.config import Settings
from bot.digests.delivery import DigestDelivery
from bot.digests.service import DigestService
from bot.service import Summarizer
from bot.store import OPERATOR_TENANT, Store, Subscription

DAY1 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
DAY2 = DAY1 + timedelta(days=1)
DAY3 = DAY2 + timedelta(hours=1)  # a window that still holds day 2's articles
HEADLINE = "US and Mexico look to stem ‘unprecedented’ migrant flow"


class Newsroom:
    """The local site's feeds as they stand each day, and the digests built from them."""

    def __init__(self, web: WebServer, store: Store, summarizer: Summarizer, settings: Settings):
        self.site = NewsSite(web, DAY2)
        self.store = store
        self.now = DAY1
        self.service = DigestService(settings, store, summarizer, clock=lambda: self.now)
        self.seed = self.site.page("seed-bbc", "/bbc/us-mexico", outlet="BBC News", hours_ago=26)
        self.wire_b = self.site.page("synthetic-wire-b", "/b/mexico-pledge", outlet="Wire B")
        self.bbc_feed = self.site.feed("BBC News", "/feeds/bbc.xml", [self.seed])
        self.wire_feed = self.site.feed("Wire B", "/feeds/b.xml", [])

    async def start(self) -> None:
        for url in (self.bbc_feed, self.wire_feed):
            await self.store.add_feed(url)

    async def day(self, moment: datetime) -> None:
        self.now = moment
        await self.service.refresh()

    def wire_b_reports(self) -> None:
        self.site.feed("Wire B", "/feeds/b.xml", [self.wire_b])

    def bbc_refetched(self) -> None:
        """The BBC feed sends its article again: a tracking parameter and a new GUID, and the
        same text with a typo fixed under a new address and a fresh date (the outlet re-slugged
        and re-dated it, so it falls in day 2's window)."""
        record = self.site.articles["seed-bbc"]
        fixed = record["text"].replace("re-opening", "reopening", 1)
        assert fixed != record["text"]
        redated = DAY2 - timedelta(hours=3)
        page = article_page(record["title"], fixed, outlet="BBC News", published=redated)
        self.site.web.respond("/bbc/us-mexico-talks", page, content_type="text/html")
        tracked = replace(
            self.seed, guid="bbc:resent-1", path="/bbc/us-mexico?utm_source=rss&utm_medium=feed"
        )
        reslugged = replace(
            self.seed, guid="bbc:resent-2", path="/bbc/us-mexico-talks", published=redated
        )
        self.site.feed("BBC News", "/feeds/bbc.xml", [self.seed, tracked, reslugged])

    def delivery(self, sinks: dict) -> DigestDelivery:  # type: ignore[type-arg]
        return DigestDelivery(self.store, self.service, sinks, clock=lambda: self.now)


def slack_update_posts(posts: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [p for p in posts if "Update:" in p.get("text", "")]


async def test_new_coverage_is_one_threaded_update_on_slack_never_repeated(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings) as rig:
        room = Newsroom(web, rig.store, rig.commands.summarizer, rig.settings)
        await room.start()
        sub = await rig.store.subscribe(Subscription("slack", "C0NEWS", "migration"))
        delivery = room.delivery({"slack": rig.adapter})

        await room.day(DAY1)
        assert await delivery.deliver(sub, date(2030, 1, 1)) == "sent 1 stories"
        (day1,) = rig.fake.posts("C0NEWS")
        assert HEADLINE in day1["text"]

        room.wire_b_reports()
        room.bbc_refetched()
        await room.day(DAY2)
        # What the channel would get, as the console prints it: an update, no new story.
        preview = await room.service.for_subscription(sub, since=DAY2 - timedelta(1), until=DAY2)
        text = render_digest(preview.digest, "text", "en")
        assert f"UPDATE: {HEADLINE.upper()}" in text and "Wire B <" in text
        # ... and as the `digest` command shows it on Slack (unthreaded: nothing is sent).
        shown = slack_reply_messages(Reply(digest=preview.digest))
        assert [m.text.split("\n")[0] for m in shown[1:]] == [f"Update: {HEADLINE}"]
        assert await delivery.deliver(sub, date(2030, 1, 2)) == "sent 0 stories and 1 updates"
        day2 = rig.fake.posts("C0NEWS")[1:]

        await room.day(DAY3)
        assert await delivery.deliver(sub, date(2030, 1, 3)) == "sent 0 stories"
        day3 = rig.fake.posts("C0NEWS")[1 + len(day2) :]
        sent = await rig.store.already_sent_article_ids("slack", "C0NEWS", range(1, 100))
        stored = {a.url: a.id for a in await rig.store.articles_since(DAY1 - timedelta(days=3))}

    (update,) = slack_update_posts(day2)
    assert update["thread_ts"] == day1["ts"] and update["reply_broadcast"] is True
    assert update["text"].startswith(f"Update: {HEADLINE}")
    blocks = str(update["blocks"])
    assert "/b/mexico-pledge|Update: US and Mexico" in blocks  # links the new outlet's report
    assert "Now also reported by" in blocks and "Wire B" in blocks
    # Same counted noun and period, a higher value from another outlet: said as it is.
    assert "some 225,000 apprehensions in November, was more than 190,000 (up, Wire B)" in blocks
    # The day-2 digest itself shows no new story: Wire B is not repeated as one.
    assert not any("Blinken" in p["text"] or "pledges" in p["text"] for p in day2)
    assert slack_update_posts(day3) == [] and "Update" not in str(day3)
    # The re-slugged copy is an article of its own (another address and text), and it, the
    # BBC article and Wire B's report are all logged as sent to the channel.
    assert len(stored) == 3 and set(stored.values()) <= sent, stored


async def test_on_discord_the_update_replies_to_the_earlier_message(
    settings: Settings, web: WebServer
) -> None:
    async with discord_rig(settings) as rig:
        room = Newsroom(web, rig.store, rig.commands.summarizer, rig.settings)
        await room.start()
        channel = rig.fake.channels["digest"]["id"]
        sub = await rig.store.subscribe(Subscription("discord", channel, "migration"))
        delivery = room.delivery({"discord": rig.adapter})
        await room.day(DAY1)
        assert await delivery.deliver(sub, date(2030, 1, 1)) == "sent 1 stories"
        (day1,) = rig.fake.bot_messages("digest")
        room.wire_b_reports()
        await room.day(DAY2)
        assert await delivery.deliver(sub, date(2030, 1, 2)) == "sent 0 stories and 1 updates"
        day2 = rig.fake.bot_messages("digest")[1:]

    (update,) = [m for m in day2 if m["embeds"][0]["title"].startswith("Update:")]
    assert int(update["message_reference"]["message_id"]) == int(day1["id"])
    assert update["embeds"][0]["title"] == f"Update: {HEADLINE}"
    assert "225,000 apprehensions in November, was more than 190,000 (up, Wire B)" in str(
        update["embeds"][0]["description"]
    )
    assert all("message_reference" not in m for m in day2 if m is not update)
    # The update is the digest's last part, so a retry after a crash finds it like the others.
    assert f"part {len(day2)}/{len(day2)} · ref" in update["embeds"][-1]["footer"]["text"]


async def test_a_digest_found_posted_after_a_crash_logs_the_articles_it_posted(
    settings: Settings, web: WebServer
) -> None:
    """Day 1's post went out, then the process stopped before logging it; Wire B arrived
    before the restart. The rebuilt digest holds Wire B, but only day 1's post is logged, so
    Wire B still reaches the channel the next day (as an update under that post)."""
    async with slack_rig(settings) as rig:
        room = Newsroom(web, rig.store, rig.commands.summarizer, rig.settings)
        await room.start()
        sub = await rig.store.subscribe(Subscription("slack", "C0NEWS", "migration"))

        class DiesAfterPosting:
            async def send_digest(self, channel: str, digest, **kwargs):  # type: ignore[no-untyped-def]
                await rig.adapter.send_digest(channel, digest, **kwargs)
                raise asyncio.CancelledError  # stopped right after the post, as at shutdown

            async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
                return await rig.adapter.find_delivery(channel, delivery_key)

        await room.day(DAY1)
        with pytest.raises(asyncio.CancelledError):
            await room.delivery({"slack": DiesAfterPosting()}).deliver(sub, date(2030, 1, 1))
        (day1,) = rig.fake.posts("C0NEWS")
        room.wire_b_reports()
        await room.day(DAY1 + timedelta(hours=23))
        restarted = room.delivery({"slack": rig.adapter})
        assert await restarted.deliver(sub, date(2030, 1, 1)) == "found already posted"
        ids = {a.source: a.id for a in await rig.store.articles_since(DAY1 - timedelta(days=2))}
        sent = await rig.store.already_sent_article_ids("slack", "C0NEWS", ids.values())
        assert sent == {ids["BBC News"]}, (ids, sent)  # not the rebuilt digest's Wire B
        await room.day(DAY2)
        assert await restarted.deliver(sub, date(2030, 1, 2)) == "sent 0 stories and 1 updates"
        (update,) = slack_update_posts(rig.fake.posts("C0NEWS"))
        stories = await rig.store.delivered_stories(
            OPERATOR_TENANT, "slack", "C0NEWS", since=DAY1 - timedelta(days=1)
        )
        others = await rig.store.delivered_stories(
            "slack:T0OTHER", "slack", "C0NEWS", since=DAY1 - timedelta(days=1)
        )
    assert update["thread_ts"] == day1["ts"]
    (story,) = stories
    assert story.headline == HEADLINE and story.message_ref == day1["ts"]
    assert story.outlets == ("BBC News", "Wire B") and len(story.article_ids) == 2
    assert [f.value for f in story.figures if f.counted == "apprehensions"][:1] == [225000]
    assert others == []  # the story log never crosses tenants


async def test_an_update_cut_off_by_an_outage_is_posted_once_later_still_threaded(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings) as rig:
        room = Newsroom(web, rig.store, rig.commands.summarizer, rig.settings)
        await room.start()
        sub = await rig.store.subscribe(Subscription("slack", "C0NEWS", "migration"))
        await room.day(DAY1)
        await room.delivery({"slack": rig.adapter}).deliver(sub, date(2030, 1, 1))
        (day1,) = rig.fake.posts("C0NEWS")
        room.wire_b_reports()
        await room.day(DAY2)
        # Day 2's first message goes out, then Slack fails before the update is posted.
        rig.fake.fail_next("chat.postMessage", 500, after=1, times=100)
        with pytest.raises(SlackUnavailableError):
            await room.delivery({"slack": rig.adapter}).deliver(sub, date(2030, 1, 2))
        assert slack_update_posts(rig.fake.posts("C0NEWS")) == []
        rig.fake.heal()
        # A new process: a fresh adapter with no memory, the same store and Slack.
        restarted = SlackAdapter(rig.settings, rig.commands, post_interval=0.0, retry_backoff=0.05)
        await restarted.start()
        try:
            again = room.delivery({"slack": restarted})
            assert await again.deliver(sub, date(2030, 1, 2)) == "sent 0 stories and 1 updates"
        finally:
            await restarted.aclose()
        posts = rig.fake.posts("C0NEWS")
    (update,) = slack_update_posts(posts)
    assert update["thread_ts"] == day1["ts"]
    assert [p["metadata"]["event_payload"]["part"] for p in posts[1:]] == [1, 2]  # each once
