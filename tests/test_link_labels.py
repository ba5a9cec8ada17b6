"""A link's label names the host a browser goes to: canonical and feed links Python reads
differently from WHATWG URL parsing (backslash, userinfo, controls, spaces) are refused.

"https://evil.example\\@www.bbc.co.uk/" is bbc.co.uk to urllib and evil.example to every
browser; a page that declares it as its canonical link must not get a "bbc.co.uk" label. (The
outlet's name stays whatever the page calls itself: it is text, never a link.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fakes.discord_harness import discord_rig
from fakes.slack_harness import slack_rig
from webserver import WebServer

from adapters.discord.rendering import render as discord_render
from adapters.slack.rendering import render as slack_render
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.config import Settings
from bot.models import Article, Digest, Story, Summary
from bot.web.extract import extract_article
from bot.web.urls import link_host, link_target

SPOOF = "https://evil.example\\@www.bbc.co.uk/news/world-123"
BODY = " ".join(
    f"Paragraph {n}: officials said on Monday that 1,200 migrants arrived at the shelter near"
    " the river crossing, and volunteers asked the city for more cots and blankets."
    for n in range(6)
)


def page(canonical: str, og_url: str | None = None) -> str:
    og = f'<meta property="og:url" content="{og_url}">' if og_url else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Shelter braces for arrivals</title><link rel="canonical" href="{canonical}">{og}
</head><body><article><h1>Shelter braces for arrivals</h1><p>{BODY}</p></article></body></html>"""


@pytest.mark.parametrize(
    "url",
    [
        SPOOF,
        "https://evil.example/\\..\\@www.bbc.co.uk/",
        "https://user:pass@www.bbc.co.uk/news",
        "https://www.bbc.co.uk@evil.example/news",
        "https://www.bbc.co.uk\t.evil.example/",
        "https://www.bbc.co.uk\n.evil.example/",
        "https://www.bbc.co.uk /news",
        "https://www.bbc.co.uk/news\x00",
        "https://bbc.co.uk%2eevil.example/",
        "https://0x7f.1/news",
        "https://www.bbc.co.uk:99999/",
        "javascript:alert(1)",
        "https:///evil.example/",
        "",
        None,
    ],
)
def test_an_ambiguous_or_unusable_link_is_refused(url: str | None) -> None:
    assert link_target(url) is None and link_host(url) is None


@pytest.mark.parametrize(
    ("url", "target", "host"),
    [
        (
            "https://www.bbc.co.uk/news/world-123",
            "https://www.bbc.co.uk/news/world-123",
            "bbc.co.uk",
        ),
        ("HTTPS://WWW.BBC.CO.UK/News?a=1#b", "https://www.bbc.co.uk/News?a=1#b", "bbc.co.uk"),
        ("https://evil.example/?next=@www.bbc.co.uk", None, "evil.example"),
        ("https://evil.example/#@www.bbc.co.uk", None, "evil.example"),
        ("https://bbc.co.uk．evil.example/x", "https://bbc.co.uk.evil.example/x", None),
        ("https://straße.de/a", "https://xn--strae-oqa.de/a", "xn--strae-oqa.de"),
        ("https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443/x", "2001:db8::1"),
    ],
)
def test_a_clear_link_keeps_its_host_in_the_form_browsers_use(
    url: str, target: str | None, host: str | None
) -> None:
    assert link_target(url) == (target or url)
    if host is not None:
        assert link_host(url) == host
    else:  # the full-width dot is a dot to browsers: the label says so
        assert link_host(url) == "bbc.co.uk.evil.example"


def test_a_spoofed_canonical_link_falls_back_to_the_fetched_url() -> None:
    fetched = "https://news.example.org/story"
    article = extract_article(page(SPOOF, og_url=SPOOF.replace("\\", "%5C@")), fetched)
    assert article.canonical_url == fetched
    good = extract_article(page("/news/story-1"), fetched)
    assert good.canonical_url == "https://news.example.org/news/story-1"


def spoofed_digest() -> Digest:
    article = Article(
        text="Body. " * 40,
        title="Shelter braces for arrivals",
        url="https://news.example.org/story",
        canonical_url=SPOOF,
        source="News Example",
    )
    summary = Summary(article, ("One.",), (), "newsbrief")
    return Digest(
        topic="migration",
        since=datetime(2024, 3, 4, tzinfo=UTC),
        until=datetime(2024, 3, 6, tzinfo=UTC),
        stories=(Story(summary, (article,), ()),),
        more_stories=1,
        more_links=(SPOOF,),
    )


def test_renderers_link_only_where_browsers_go() -> None:
    slack = json.dumps([m.payload() for m in slack_render.digest_messages(spoofed_digest())])
    assert "<https://news.example.org/story|" in slack
    assert "evil.example\\\\@" not in slack.replace("&lt;", "<").split("|")[0]
    assert "|bbc.co.uk>" not in slack and "<https://evil" not in slack
    embeds = discord_render.digest_embeds(spoofed_digest())
    assert embeds[1].url == "https://news.example.org/story"


async def test_slack_summary_of_a_spoofing_page_links_and_labels_the_fetched_url(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", page(SPOOF))
    story = web.url("/story")
    async with slack_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        await rig.slash_command(f"summarize {story}", key="s")
        await rig.fake.wait_for_response("s")
        sent = json.dumps([post.body for post in rig.fake.responses], ensure_ascii=False)

    assert "Shelter braces for arrivals" in sent
    assert f"<{story}|127.0.0.1>" in sent
    assert "|bbc.co.uk" not in sent and "<https://evil.example" not in sent


async def test_discord_summary_of_a_spoofing_page_links_the_fetched_url(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", page(SPOOF))
    story = web.url("/story")
    async with discord_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        interaction = await rig.fake.invoke("summarize", {"url-or-text": story})
        await rig.fake.wait_for(lambda: interaction.replies)
        payloads = rig.fake.bot_payloads()

    embeds = [embed for p in payloads for embed in p.get("data", p).get("embeds", [])]
    assert [embed["title"] for embed in embeds] == ["Shelter braces for arrivals"]
    assert [embed["url"] for embed in embeds] == [story]
