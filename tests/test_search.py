"""Archive and search (issue 14, item 4), end to end through Commands and the real store.

Feeds and pages are served on 127.0.0.1 and ingested by a real refresh; `search` runs SQLite
FTS5 over the tenant's articles only; `digest <date>` reads the sent log.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite
from digest_site import NewsSite
from store_fixtures import Opener
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.requests import Caller, Reply, Request
from bot.config import Settings
from bot.digests.service import DigestService
from bot.models import Article
from bot.service import Summarizer
from bot.store import Store, open_store
from bot.store.sqlite.schema import MIGRATIONS, migrate

NOW = datetime.now(UTC).replace(microsecond=0)
SLACK = Caller("slack", "C1", "U1", can_manage=True, tenant="T1")
DISCORD = Caller("discord", "42", "7", can_manage=True, tenant="G1")
DAY = date(2026, 12, 1)


async def say(commands: Commands, caller: Caller, text: str) -> Reply:
    return await commands.handle(Request(caller, text))


async def filled_store(
    web: WebServer, settings: Settings, store: Store, summarizer: Summarizer
) -> Commands:
    """The operator's feed for everyone; Slack's workspace adds a feed of its own."""
    site = NewsSite(web, NOW)
    shared = site.feed(
        "Desk A",
        "/feeds/a.xml",
        [
            site.page("seed-bbc", "/a/us-mexico", outlet="Border Desk", hours_ago=30),
            site.page("bbc-politics-078", "/a/asylum-children", outlet="Asylum Desk"),
        ],
    )
    own = site.feed(
        "Mesa",
        "/feeds/b.xml",
        [
            site.page("cnndm-italy-migrants", "/b/italy", outlet="Sea Desk", hours_ago=0.5),
            site.page("synthetic-es", "/b/detenciones", outlet="Mesa", hours_ago=0.5),
        ],
    )
    await store.add_feed(shared)
    service = DigestService(settings, store, summarizer, clock=lambda: NOW)
    commands = Commands(
        summarizer, store, digests=service, clock=lambda: NOW, limits=SummarizeLimits()
    )
    assert "Added" in (await say(commands, SLACK, f"feeds add {own}")).text
    await service.refresh()
    return commands


async def test_search_finds_a_tenants_articles_only(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        commands = await filled_store(web, settings, store, summarizer)
        sea = await say(commands, SLACK, "search Mediterranean rescue")
        elsewhere = await say(commands, DISCORD, "search Mediterranean rescue")
        accents = await say(commands, DISCORD, "search mexico")  # the page says México
        spanish = await say(commands, SLACK, "search detenciones")
        recent = await say(commands, DISCORD, "search asylum Mexico since 1d")
        older = await say(commands, DISCORD, "search asylum Mexico since 2d")
        empty = await say(commands, SLACK, "search since 7d")
    lines = sea.text.splitlines()
    assert lines[0] == "Stored stories for 'Mediterranean rescue', best first:"
    assert "— Sea Desk, " in lines[1] and NOW.date().isoformat() in lines[1]
    assert lines[2].strip() and lines[3].strip() == web.url("/b/italy")
    assert elsewhere.text.startswith("No stored article matches 'Mediterranean rescue'")
    assert "Border Desk" in accents.text
    assert "Mesa" in spanish.text
    assert "Asylum Desk" in recent.text and "Border Desk" not in recent.text
    assert "Border Desk" in older.text
    assert empty.error and empty.text.startswith("Give me words to search for")


async def test_search_text_is_never_fts_syntax(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    hostile = [
        'search "unclosed',
        "search border OR NOT AND",
        "search NEAR(border wall, 2)",
        "search mexico* ^title: -border +wall",
        "search ) ( \" ' ; DROP TABLE articles; --",
        "search title:México",
        "search ... !!! ???",
    ]
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        commands = await filled_store(web, settings, store, summarizer)
        replies = [await say(commands, SLACK, text) for text in hostile]
        still = await say(commands, SLACK, "search Mexico")
    for text, reply in zip(hostile, replies, strict=True):
        assert "went wrong" not in reply.text, text
        assert reply.text.count("\n") == 0 or reply.text.startswith("Stored stories"), text
    assert "Border Desk" in replies[5].text  # title and México are plain words
    assert replies[6].error  # no word at all
    assert "Border Desk" in still.text


async def test_the_index_follows_every_write_and_is_built_for_old_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before_search = next(i for i, m in enumerate(MIGRATIONS) if "FTS5" in m.description)
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await migrate(db, MIGRATIONS[:before_search])
        await db.execute(
            """INSERT INTO articles (url, canonical_url, content_hash, title, source, lang,
                text, fetched_at) VALUES ('https://x.example/1', 'https://x.example/1', 'h1',
                'Old report', 'Old Desk', 'en', 'Caravan reaches Tapachula.', ?)""",
            (NOW.isoformat(timespec="microseconds"),),
        )
    async with await open_store(path) as store:
        [old] = await store.search_articles("console:console", ["tapachula"])
        assert old.title == "Old report"
        new, _ = await store.upsert_article(
            Article(text="Boats reached Lampedusa overnight.", url="https://x.example/2")
        )
        assert [a.id for a in await store.search_articles("console:console", ["lampedusa"])] == [
            new.id
        ]
        async with aiosqlite.connect(path) as db:  # pruning empties old texts (another conn.)
            await db.execute("UPDATE articles SET text = '' WHERE id = ?", (old.id,))
            await db.commit()
        assert await store.search_articles("console:console", ["tapachula"]) == []
        assert [a.id for a in await store.search_articles("console:console", ["old"])] == [old.id]


async def test_digest_on_a_date_shows_what_the_sent_log_has(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        commands = await filled_store(web, settings, store, summarizer)
        [italy] = await store.search_articles("slack:T1", ["Mediterranean rescue"])
        sent = await store.begin_delivery("slack", "C1", "migration", DAY, owner="me")
        await store.finish_delivery(sent.delivery_key, article_ids=[italy.id], at=NOW)
        await store.begin_delivery("slack", "C1", "economy", DAY, owner="me")
        shown = await say(commands, SLACK, "digest 2026-12-01")
        other_channel = await say(commands, DISCORD, "digest 2026-12-01")
        none = await say(commands, SLACK, "digest 2026-12-02")
        bad = await say(commands, SLACK, "digest 2026-13-01")
    lines = shown.text.splitlines()
    assert lines[0] == "The economy digest of 2026-12-01 was not sent (pending)."
    assert lines[1].startswith("The migration digest sent here on 2026-12-01 at ")
    assert lines[1].endswith("showed 1 article:")
    assert "— Sea Desk, " in lines[2] and lines[2].endswith(web.url("/b/italy"))
    assert other_channel.text == "This channel got no digest on 2026-12-01."
    assert none.text == "This channel got no digest on 2026-12-02."
    assert bad.error and bad.text == "2026-13-01 is not a date; write it like 2026-12-01."


async def test_search_gives_one_result_per_story_with_its_other_outlets(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    site = NewsSite(web, NOW)
    feed = site.feed(
        "Wires",
        "/feeds/w.xml",
        [
            site.page("synthetic-wire-a", "/a/blinken-talks", outlet="Wire A"),
            site.page("synthetic-wire-b", "/b/mexico-pledge", outlet="Wire B"),
            site.page("bbc-politics-078", "/c/asylum-children", outlet="Asylum Desk"),
        ],
    )
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        await store.add_feed(feed)
        await DigestService(settings, store, summarizer, clock=lambda: NOW).refresh()
        commands = Commands(summarizer, store, clock=lambda: NOW, limits=SummarizeLimits())
        both = await store.search_articles("console:console", ["smugglers"])
        reply = await say(commands, SLACK, "search smugglers")
    assert {a.source for a in both} == {"Wire A", "Wire B"}  # two articles, one event
    results = [line for line in reply.text.splitlines() if line[:2] in {"1.", "2."}]
    assert len(results) == 1, reply.text
    assert "(also Wire " in results[0]
