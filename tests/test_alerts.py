"""Figure alerts end to end: feeds and pages served on 127.0.0.1, ingest, one alert per article.

A watch is made through the real command path (Slack's signed slash command), the feed refresh
stores the articles, and the alert is posted by the Slack adapter to the fake Slack: once, with
the figure, qualifier, period, sentence, link and the change from the last value; never again for
the same article (another poll, a restart); never for what was fetched before the watch.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from digest_site import NewsSite, article_page
from fakes.slack_harness import SlackRig, slack_rig
from fakes.slack_payloads import TEAM_ID
from test_mentions import HOSTILE, slack_body_pings
from webserver import WebServer

from bot.alerts.service import AlertService
from bot.config import Settings
from bot.digests.service import DigestService
from bot.store import ChannelSettings, open_store
from bot.store.records.alerts import Watch

NOW = datetime.now(UTC).replace(microsecond=0)


def alerts_service(rig: SlackRig) -> DigestService:
    """The digest service the runner builds, with the runner's alert hook on Slack's poster."""
    digests = DigestService(rig.settings, rig.store, rig.commands.summarizer)
    digests.on_ingested = AlertService(rig.store, rig.commands.channel_posters).on_ingested
    return digests


async def watch(rig: SlackRig, text: str, key: str) -> str:
    await rig.slash_command(text, key=key)
    return (await rig.fake.wait_for_response(key)).body["text"]


def alerts(rig: SlackRig, channel: str = "C0NEWS") -> list[str]:
    return [p["text"] for p in rig.fake.posts(channel) if "Figure alert" in p["text"]]


async def test_a_new_article_with_the_watched_figure_is_posted_once_with_the_change(
    settings: Settings, web: WebServer
) -> None:
    site = NewsSite(web, NOW)
    first = site.page("synthetic-wire-a", "/a/talks", outlet="Wire A")
    second = site.page("synthetic-wire-b", "/b/pledge", outlet="Wire B")
    url = site.feed("Border desk", "/feed.xml", [first])
    async with slack_rig(settings) as rig:
        await rig.store.add_feed(url)
        answer = await watch(rig, "watch apprehensions", "w1")
        assert answer.startswith("Watching #1 apprehensions")
        digests = alerts_service(rig)
        await digests.refresh()
        assert len(alerts(rig)) == 1
        site.feed("Border desk", "/feed.xml", [first, second])
        await digests.refresh()
        await digests.refresh()  # nothing new: nothing posted
        posted = alerts(rig)

    assert len(posted) == 2
    assert "more than 190,000 apprehensions, in November" in posted[0]
    assert "first value seen" in posted[0]
    assert web.url("/a/talks") in posted[0]
    # 225,000 after 190,000 for the same noun and period: up, by 18%.
    assert "225,000 apprehensions, in November; up from 190,000 in November (+18%)" in posted[1]
    assert "225,000" in posted[1].splitlines()[1]  # the source sentence, quoted
    assert web.url("/b/pledge") in posted[1]


async def test_articles_fetched_before_the_watch_and_old_items_do_not_alert(
    settings: Settings, web: WebServer
) -> None:
    site = NewsSite(web, NOW)
    known = site.page("synthetic-wire-a", "/a/talks", outlet="Wire A")
    stale = site.page("synthetic-wire-b", "/b/pledge", outlet="Wire B", hours_ago=72)
    fresh = site.page("seed-bbc", "/bbc/us-mexico", outlet="BBC News")
    url = site.feed("Border desk", "/feed.xml", [known])
    async with slack_rig(settings) as rig:
        await rig.store.add_feed(url)
        digests = alerts_service(rig)
        await digests.refresh()  # the feed's first sync, before anyone watches
        await watch(rig, "watch apprehensions", "w1")
        site.feed("Border desk", "/feed.xml", [known, stale])
        await digests.refresh()
        assert alerts(rig) == []  # one fetched before the watch, one published 3 days ago
        site.feed("Border desk", "/feed.xml", [known, stale, fresh])
        await digests.refresh()
        posted = alerts(rig)

    assert len(posted) == 1
    assert web.url("/bbc/us-mexico") in posted[0]


async def test_a_restart_does_not_post_the_same_alert_again(
    settings: Settings, web: WebServer
) -> None:
    site = NewsSite(web, NOW)
    url = site.feed(
        "Border desk", "/feed.xml", [site.page("synthetic-wire-a", "/a/talks", outlet="Wire A")]
    )
    async with slack_rig(settings) as rig:
        await rig.store.add_feed(url)
        await watch(rig, "watch apprehensions", "w1")
        await alerts_service(rig).refresh()
        assert len(alerts(rig)) == 1
        # A second process on the same database file: new store, new services, same feed.
        async with await open_store(rig.settings.db_path) as again:
            digests = DigestService(rig.settings, again, rig.commands.summarizer)
            service = AlertService(again, rig.commands.channel_posters)
            digests.on_ingested = service.on_ingested
            await digests.refresh()
            sent = await service.on_ingested(())  # and nothing to do with no articles
        posted = alerts(rig)

    assert len(posted) == 1 and sent == []


async def test_thresholds_place_and_spanish_channel(settings: Settings, web: WebServer) -> None:
    site = NewsSite(web, NOW)
    url = site.feed(
        "Frontera",
        "/feed.xml",
        [
            site.page("synthetic-es", "/es/acuerdo", outlet="Diario E"),
            site.page("seed-bbc", "/bbc/us-mexico", outlet="BBC News"),
        ],
    )
    async with slack_rig(settings) as rig:
        await rig.store.add_feed(url)
        await rig.store.save_channel_settings(ChannelSettings("slack", "C0NEWS", language="es"))
        await watch(rig, "watch detenciones above 200000", "w1")  # Spanish word, any article
        await watch(rig, "watch apprehensions below 1000", "w2")  # nothing that small
        await watch(rig, "watch migrants Lampedusa", "w3")  # a place neither names
        await alerts_service(rig).refresh()
        posted = [p["text"] for p in rig.fake.posts("C0NEWS") if "Alerta de cifra" in p["text"]]

    # Only the BBC report's "more than two million" passes "above 200,000"; the Spanish one
    # (más de 190.000) does not. The channel reads Spanish: number and words in Spanish.
    assert len(posted) == 1, posted
    assert posted[0].startswith("Alerta de cifra (#1 detenciones, más de 200.000)")
    assert "more than two million people apprehended" in posted[0]
    assert "primer valor visto" in posted[0]


async def test_article_text_cannot_ping_anyone_through_an_alert(
    settings: Settings, web: WebServer
) -> None:
    site = NewsSite(web, NOW)
    record = site.articles["synthetic-wire-a"]
    text = record["text"].replace(
        "more than 190,000 apprehensions", f"{HOSTILE} more than 190,000 apprehensions", 1
    )
    assert text != record["text"]
    web.respond(
        "/a/hostile",
        article_page(f"{record['title']} {HOSTILE}", text, outlet="Wire A", published=NOW),
        content_type="text/html",
    )
    entry = replace(site.page("synthetic-wire-a", "/a/talks", outlet="Wire A"), path="/a/hostile")
    url = site.feed("Border desk", "/feed.xml", [entry])
    async with slack_rig(settings) as rig:
        await rig.store.add_feed(url)
        await watch(rig, "watch apprehensions", "w1")
        await alerts_service(rig).refresh()
        posts = [p for p in rig.fake.posts("C0NEWS") if "Figure alert" in p["text"]]

    assert len(posts) == 1
    assert "190,000" in posts[0]["text"]
    assert slack_body_pings(posts[0]) == []


async def test_other_tenants_and_feeds_they_do_not_list_get_no_alert(
    settings: Settings, web: WebServer
) -> None:
    site = NewsSite(web, NOW)
    url = site.feed(
        "Border desk", "/feed.xml", [site.page("synthetic-wire-a", "/a/talks", outlet="Wire A")]
    )
    async with slack_rig(settings) as rig:
        await rig.store.add_feed(url)
        await watch(rig, "watch apprehensions", "w1")
        # Another workspace watches the same noun in a channel of the same id, and dropped the
        # feed from its own list: it must not hear of this article.
        other = "slack:T0OTHER"
        await rig.store.remove_tenant_feed(other, url)
        await rig.store.add_watch(
            Watch("slack", "C0OTHER", other, "apprehensions", created_at=NOW, created_by="U1")
        )
        await alerts_service(rig).refresh()
        ours = alerts(rig)
        theirs = alerts(rig, "C0OTHER")
        watches_seen = await rig.store.list_watches()

    assert len(ours) == 1 and theirs == []
    assert [w.tenant for w in watches_seen] == [f"slack:{TEAM_ID}", other]
