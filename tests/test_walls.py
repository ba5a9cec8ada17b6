"""Honest extraction: a paywall stub, consent wall, bot check or link index is said to be one
(marked partial) instead of being summarized, on the console, Slack and Discord, in English and
Spanish. Real pages from the labelled set (tests/fixtures/pages/walls) and synthetic ones."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from fakes.discord_harness import discord_rig
from fakes.slack_harness import slack_rig
from webserver import WebServer

from adapters.console import ConsoleAdapter
from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.config import Settings
from bot.errors import ExtractionError
from bot.service import Summarizer
from bot.store import ChannelSettings, open_store
from bot.web.extract import extract_article

FIXTURES = Path(__file__).parent / "fixtures"
WALLS = FIXTURES / "pages" / "walls"
SYNTHETIC = WALLS / "synthetic"
SEED_HTML = (FIXTURES / "seed" / "bbc-us-mexico-migration.html").read_bytes()


def real(name: str) -> bytes:
    return gzip.decompress((WALLS / name).read_bytes())


def synthetic(name: str) -> bytes:
    return (SYNTHETIC / name).read_bytes()


@pytest.mark.parametrize(
    "name", ["paywall-aeb-042bb7b5.html.gz", "paywall-caymancompass.com-prison.html.gz"]
)
def test_real_paywall_stubs_are_found(name: str) -> None:
    assert extract_article(real(name)).wall == "paywall"


ARTICLE_PAGES = [
    FIXTURES / "seed" / "bbc-us-mexico-migration.html",
    *(p for p in sorted((FIXTURES / "pages").glob("*/*.html.gz")) if p.parent.name != "walls"),
]


@pytest.mark.parametrize("path", ARTICLE_PAGES, ids=lambda path: path.name[:24])
def test_real_articles_are_not_walls(path: Path) -> None:
    page = path.read_bytes()
    try:
        article = extract_article(gzip.decompress(page) if path.suffix == ".gz" else page)
    except ExtractionError:
        return
    assert article.wall is None


def test_one_phrase_alone_is_no_wall() -> None:
    """A full article with a cookie banner and a 'Subscribe to continue reading' link."""
    body = "".join(
        f"<p>Paragraph {n}: officials said 1,200 migrants reached the shelter near the river "
        "crossing on Monday, and volunteers asked the city for more cots and blankets.</p>"
        for n in range(12)
    )
    page = f"""<html lang="en"><head><title>Shelter full</title></head><body>
<div id="cookie-consent">We use cookies. <button>Accept all</button></div>
<article><h1>Shelter full</h1>{body}</article>
<footer><a href="/subscribe">Subscribe to continue reading our newsletter</a></footer>
</body></html>"""
    article = extract_article(page)
    assert article.wall is None and "1,200 migrants" in article.text


async def say(chat: ConsoleAdapter, line: str) -> str:
    out = io.StringIO()
    chat._out = out
    for reply in await chat.handle_line(line):
        chat._show(reply)
    return out.getvalue()


@pytest.mark.parametrize(
    ("page", "language", "said", "banner"),
    [
        ("consent-en.html", "en", "cookie or consent wall instead of the article", "We use"),
        ("consent-es.html", "es", "aviso de cookies o de consentimiento", "Utilizamos"),
    ],
)
async def test_console_never_summarizes_a_cookie_banner(
    settings: Settings, web: WebServer, tmp_path: Path, page: str, language: str, said: str,
    banner: str,
) -> None:  # fmt: skip
    web.respond("/story", synthetic(page))
    async with await open_store(tmp_path / "nb.db") as store, Summarizer(settings) as summarizer:
        chat = ConsoleAdapter(Commands(summarizer, store), stdin=io.StringIO())
        await say(chat, f"/settings language {language}")
        shown = await say(chat, f"/summarize {web.url('/story')}")

    assert said in shown
    assert ("Partial" if language == "en" else "Parcial") in shown
    assert banner not in shown  # the banner's words are never passed off as the article


async def test_slack_paywall_says_what_is_visible_in_spanish(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/nota", synthetic("paywall-es.html"))
    async with slack_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        await rig.store.save_channel_settings(ChannelSettings("slack", "C0NEWS", language="es"))
        await rig.slash_command(f"summarize {web.url('/nota')}", key="s")
        answer = await rig.fake.wait_for_response("s")

    sent = json.dumps(answer.body, ensure_ascii=False)
    assert "⚠️ Parcial:" in sent
    assert "detrás de un muro de pago; la parte visible dice:" in sent
    assert "12.000 personas migrantes" in sent
    assert "•" not in sent  # no bullets: nothing was summarized


async def test_slack_real_paywall_stub_answers_in_english(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", real("paywall-aeb-042bb7b5.html.gz"))  # a 600 KB page
    roomy = settings.model_copy(update={"max_page_bytes": 1024 * 1024})
    async with slack_rig(roomy, commands_options={"limits": SummarizeLimits()}) as rig:
        await rig.slash_command(f"summarize {web.url('/story')}", key="s")
        answer = await rig.fake.wait_for_response("s")

    text = json.dumps(answer.body, ensure_ascii=False)
    assert "⚠️ Partial:" in text and "This page is behind a paywall; the visible part says:" in text


@pytest.mark.parametrize(
    ("page", "status", "said"),
    [
        ("challenge-en.html", 403, "shows a bot check instead of the article"),
        ("paywall-en-402.html", 402, "behind a paywall; the visible part says:"),
        ("index-en.html", 200, "a list of links, not an article"),
    ],
)
async def test_discord_says_what_the_page_is(
    settings: Settings, web: WebServer, page: str, status: int, said: str
) -> None:
    web.respond("/story", synthetic(page), status=status)
    async with discord_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        interaction = await rig.fake.invoke("summarize", {"url-or-text": web.url("/story")})
        await rig.fake.wait_for(lambda: interaction.replies)
        payloads = rig.fake.bot_payloads()

    embeds = [embed for p in payloads for embed in p.get("data", p).get("embeds", [])]
    (embed,) = embeds
    assert embed["description"].startswith("**⚠️ Partial:**")
    assert said in embed["description"]


async def test_a_403_that_is_no_wall_keeps_the_refusal(settings: Settings, web: WebServer) -> None:
    web.respond("/story", "<html><body><p>Forbidden</p></body></html>", status=403)
    async with Summarizer(settings) as summarizer:
        with pytest.raises(Exception, match="refused access \\(HTTP 403\\)"):
            await summarizer.summarize(web.url("/story"))
