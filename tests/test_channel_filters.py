"""Channel filters (issue 14, item 3), end to end through Commands, the real store and digests.

Feeds and pages are served on 127.0.0.1; each `digest` polls them and builds the channel's
digest with its filters: keywords and "phrases" (case and accents ignored), /regex/ on RE2,
and figure filters matching a key figure's counted noun in English or Spanish.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from digest_site import NewsSite, article_page
from store_fixtures import Opener
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.requests import Caller, Reply, Request
from bot.config import Settings
from bot.digests.filters import story_filter
from bot.digests.service import DigestService
from bot.models import Article, Story, Summary
from bot.service import Summarizer
from bot.store import open_store
from bot.store.records.filters import ChannelFilter

NOW = datetime.now(UTC).replace(microsecond=0)
EDITOR = Caller("slack", "C1", "U1", can_manage=True, tenant="T1")
READER = Caller("slack", "C1", "U2", can_manage=False, tenant="T1")
SPANISH = Caller("discord", "77", "U3", can_manage=True, tenant="G2")


def rig(settings: Settings, store: object, summarizer: Summarizer) -> Commands:
    service = DigestService(settings, store, summarizer, clock=lambda: NOW)  # type: ignore[arg-type]
    return Commands(
        summarizer,
        store,  # type: ignore[arg-type]
        digests=service,
        clock=lambda: NOW,
        limits=SummarizeLimits(),
    )


async def say(commands: Commands, caller: Caller, text: str) -> Reply:
    return await commands.handle(Request(caller, text))


async def shown(commands: Commands, caller: Caller) -> set[str]:
    reply = await say(commands, caller, "digest")
    assert reply.digest is not None, reply.text
    return {a.source or "" for story in reply.digest.stories for a in story.articles}


async def test_filters_choose_a_channels_stories_in_english_and_spanish(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    site = NewsSite(web, NOW)
    pages = [
        site.page("seed-bbc", "/a/us-mexico", outlet="Border Desk"),
        site.page("bbc-politics-078", "/a/asylum-children", outlet="Asylum Desk"),
        site.page("cnndm-italy-migrants", "/a/italy", outlet="Sea Desk"),
    ]
    feed_en = site.feed("Desk A", "/feeds/a.xml", pages)
    spanish = site.articles["synthetic-es"]
    body = article_page(spanish["title"], spanish["text"], outlet="Mesa", published=NOW)
    web.respond("/es/detenciones", body.replace('lang="en"', 'lang="es"'), content_type="text/html")
    es_entry = site.page("synthetic-es", "/es/x", outlet="Mesa", hours_ago=0.5)
    feed_es = site.feed("Mesa", "/feeds/es.xml", [es_entry])
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        await store.add_feed(feed_en)
        commands = rig(settings, store, summarizer)
        assert await shown(commands, EDITOR) == {"Border Desk", "Asylum Desk", "Sea Desk"}

        added = await say(commands, EDITOR, "filter include figure apprehensions")
        assert not added.error and "include figure apprehensions" in added.text
        assert await shown(commands, EDITOR) == {"Border Desk"}

        await say(commands, EDITOR, "filter clear")
        await say(commands, EDITOR, 'filter include "mediterranean  sea" CHILDREN')
        assert await shown(commands, EDITOR) == {"Asylum Desk", "Sea Desk"}
        await say(commands, EDITOR, "filter exclude /Liby(a|an)/")
        assert await shown(commands, EDITOR) == {"Asylum Desk"}
        listing = (await say(commands, READER, "filters")).text
        assert '"mediterranean sea"' in listing and "exclude /Liby(a|an)/" in listing

        # A Spanish newsroom: "figure arrests" finds "190.000 detenciones"; "mexico" finds México.
        await say(commands, SPANISH, f"feeds remove {feed_en}")
        await say(commands, SPANISH, f"feeds add {feed_es}")
        assert await shown(commands, SPANISH) == {"Mesa"}
        await say(commands, SPANISH, "filter include figure arrests")
        assert await shown(commands, SPANISH) == {"Mesa"}
        await say(commands, SPANISH, "filter exclude mexico")
        assert await shown(commands, SPANISH) == set()
        # The Slack channel's filters are its own.
        assert await shown(commands, EDITOR) == {"Asylum Desk"}


async def test_filter_commands_check_rights_ids_and_bad_terms(
    settings: Settings, open_backend: Opener
) -> None:
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        commands = rig(settings, store, summarizer)
        refused = await say(commands, READER, "filter include asylum")
        assert refused.error and "manage this channel" in refused.text
        assert (await say(commands, READER, "filters")).text.startswith("This channel's digests")

        added = await say(commands, EDITOR, "filter exclude sport “World Cup” /gol(es)?\\b/")
        assert not added.error, added.text
        items = await store.channel_filters("slack", "C1")
        assert [(f.mode, f.kind, f.value) for f in items] == [
            ("exclude", "word", "sport"),
            ("exclude", "phrase", "World Cup"),
            ("exclude", "regex", "gol(es)?\\b"),
        ]
        again = await say(commands, EDITOR, "filter exclude sport")  # the same term: one row
        assert f"#{items[0].id} exclude sport" in again.text
        assert len(await store.channel_filters("slack", "C1")) == 3

        other = Caller("slack", "C9", "U1", can_manage=True, tenant="T1")
        assert (await say(commands, other, f"filter remove {items[0].id}")).error
        assert not (await say(commands, EDITOR, f"filter remove #{items[0].id}")).error
        assert len(await store.channel_filters("slack", "C1")) == 2

        for bad, words in [
            ('filter include "border wall', "closing quote"),
            ("filter include /unclosed", "closing slash"),
            ("filter include /(a)\\1/", "RE2"),
            ("filter include /(?=a)b/", "RE2"),
            ("filter include /(x{1000}){1000}/", "RE2"),
            ("filter include figure", "Say which figures"),
            ("filter remove three", "filter's number"),
            ("filter frobnicate", "Use filter include"),
            ("filter economy include oil", "There is no topic 'economy'; topics: migration"),
        ]:
            reply = await say(commands, EDITOR, bad)
            assert reply.error and words in reply.text, (bad, reply.text)
            assert reply.text.count(".") >= 1 and "\n" not in reply.text
        cleared = await say(commands, EDITOR, "filter clear")
        assert cleared.text == "Removed 2 filters from this channel's migration digest."


async def test_a_nested_quantifier_cannot_hang_the_digest(
    web: WebServer, settings: Settings, tmp_path: Path
) -> None:
    # (a+)+!! against a long run of a's and one "!" takes exponential time on a backtracking
    # engine; RE2 answers in linear time. The bound is generous: only a hang fails.
    site = NewsSite(web, NOW)
    entry = site.page("seed-bbc", "/a/us-mexico", outlet="Border Desk")
    record = site.articles["seed-bbc"]
    text = record["text"] + "\n\n" + "a" * 20_000 + "!"
    body = article_page(record["title"], text, outlet="Border Desk", published=NOW)
    web.respond("/a/us-mexico", body, content_type="text/html", charset="utf-8")
    feed = site.feed("Desk", "/feeds/a.xml", [entry])
    async with await open_store(tmp_path / "nb.db") as store, Summarizer(settings) as summarizer:
        await store.add_feed(feed)
        commands = rig(settings, store, summarizer)
        for pattern in ("(a+)+!!", "(a|aa)+!!", "(a*)*!!"):
            reply = await say(commands, EDITOR, f"filter exclude /{pattern}/")
            assert not reply.error, reply.text
        async with asyncio.timeout(60):
            assert await shown(commands, EDITOR) == {"Border Desk"}
        assert not (await say(commands, EDITOR, "filter exclude /a{1000}!/")).error
        assert await shown(commands, EDITOR) == set()


async def test_a_filter_can_name_another_topics_digest(
    settings: Settings, open_backend: Opener
) -> None:
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        commands = Commands(
            summarizer, store, topics=lambda: ("migration", "economy"), limits=SummarizeLimits()
        )
        await say(commands, EDITOR, "filter include asylum")
        other = await say(commands, EDITOR, "filter economy exclude oil")
        listing = (await say(commands, READER, "filters")).text
        await say(commands, EDITOR, "filter economy clear")
        left = await store.channel_filters("slack", "C1")
    assert other.text.startswith("Stories in this channel's economy digest are left out")
    assert listing.index("migration digest:") < listing.index("include asylum")
    assert listing.index("economy digest:") < listing.index("exclude oil")
    assert [(f.topic, f.value) for f in left] == [("migration", "asylum")]


def test_an_acronym_in_capitals_keeps_its_case_and_other_words_do_not() -> None:
    def story(text: str) -> Story:
        article = Article(text=text, title="Report", url="https://news.example/a", lang="en")
        return Story(Summary(article, (text,), (), "lead"), articles=(article,), figures=())

    def keeps(term: str, text: str) -> bool:
        item = ChannelFilter("console", "c", "migration", "include", "word", term, id=1)
        keep = story_filter([item])
        assert keep is not None
        return keep(story(text))

    assert keeps("ICE", "ICE agents detained 40 people in Texas.")
    assert not keeps("ICE", "Workers cleared ice from the border road.")
    assert keeps("ice", "Workers cleared Ice from the border road.")
    assert keeps("EE.UU", "México y EE.UU. acuerdan combatir a los traficantes.")
    assert keeps("mexico", "México y EE.UU. acuerdan combatir a los traficantes.")
