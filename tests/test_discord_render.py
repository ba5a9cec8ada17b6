"""Discord rendering without a network: embeds, Discord's limits, digest splitting, no pings."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from adapters.discord.rendering.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    ZWSP,
    defuse,
    delivery_tag,
    digest_parts,
    part_nonce,
    quote,
    read_marker,
    reply_messages,
    summary_embed,
    text_chunks,
)
from adapters.discord.slash import matching_zones
from bot.chat.requests import Reply
from bot.models import Article, Digest, KeyFigure, Story, Summary

PUBLISHED = datetime(2023, 12, 28, 2, 11, tzinfo=UTC)


def make_summary(
    title: str = "US and Mexico look to stem migrant flow", **changes: object
) -> Summary:
    article = Article(
        text="Body text. " * 50,
        title=title,
        url="https://www.bbc.com/news/world-us-canada-67833863",
        source="BBC News",
        published=PUBLISHED,
    )
    figure = KeyFigure(
        value=190000,
        surface="190,000",
        sentence="There were more than 190,000 apprehensions in November alone.",
        qualifier="more than",
        counted="apprehensions",
        period="in November",
    )
    summary = Summary(
        article=article,
        sentences=("The US and Mexico vowed to act.", "Officials met in Mexico City."),
        figures=(figure,),
        method="newsbrief",
    )
    return replace(summary, **changes)


def make_digest(stories: int, sentence_chars: int = 900) -> Digest:
    story_list = []
    for number in range(stories):
        summary = make_summary(
            title=f"Story {number:02d}",
            sentences=(f"Story {number:02d} says " + "x" * sentence_chars + ".",),
        )
        story_list.append(
            Story(summary=summary, articles=(summary.article,), figures=summary.figures)
        )
    return Digest(
        topic="migration",
        since=datetime(2023, 12, 27, tzinfo=UTC),
        until=PUBLISHED,
        stories=tuple(story_list),
    )


def test_summary_embed_links_title_and_shows_summary_figures_outlet_and_date() -> None:
    embed = summary_embed(make_summary()).to_dict()

    assert embed["title"] == "US and Mexico look to stem migrant flow"
    assert embed["url"] == "https://www.bbc.com/news/world-us-canada-67833863"
    assert embed["description"].splitlines() == [
        "• The US and Mexico vowed to act.",
        "• Officials met in Mexico City.",
    ]
    assert embed["fields"] == [
        {
            "name": "more than 190,000 apprehensions (in November)",
            "value": "“There were more than 190,000 apprehensions in November alone.”",
            "inline": False,
        }
    ]
    assert embed["footer"]["text"] == "BBC News · 2023-12-28"


def test_summary_embed_stays_within_every_discord_limit() -> None:
    long_sentence = "word " * 2000
    figures = tuple(
        KeyFigure(value=i, surface=str(i), sentence=long_sentence, counted="y" * 400)
        for i in range(40)
    )
    summary = make_summary(title="T" * 400, sentences=(long_sentence,) * 5, figures=figures)
    embed = summary_embed(summary)

    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= DESCRIPTION_LIMIT
    assert len(embed.fields) <= 25
    assert all(len(f.name or "") <= FIELD_NAME_LIMIT for f in embed.fields)
    assert all(len(f.value or "") <= FIELD_VALUE_LIMIT for f in embed.fields)
    assert len(embed) <= EMBED_TOTAL_LIMIT


def test_a_summary_embed_drops_an_unusable_link() -> None:
    summary = make_summary()
    summary = replace(summary, article=replace(summary.article, url="javascript:alert(1)"))

    assert summary_embed(summary).url is None


def test_quoted_text_cannot_ping_or_link_anyone() -> None:
    text = "Hi @everyone and @here, <@123456789012345678>, <@!42>, <@&987> and <#555>."

    safe = defuse(text)

    for raw in ("@everyone", "@here", "<@123456789012345678>", "<@!42>", "<@&987>", "<#555>"):
        assert raw not in safe
    assert safe.replace(ZWSP, "") == text


def test_quote_escapes_markdown_but_keeps_links() -> None:
    assert quote("**bold** [phish](https://evil.example)") == (
        "\\*\\*bold\\*\\* \\[phish\\](https://evil.example)"
    )
    assert quote("see https://example.com/a_b_c") == "see https://example.com/a_b_c"


def test_an_article_with_mentions_renders_without_them() -> None:
    summary = make_summary(
        title="@everyone look",
        sentences=("Ping @here and <@&1234> now.",),
        figures=(KeyFigure(value=5, surface="5", sentence="5 for <@99>", counted="@everyone"),),
    )

    rendered = json.dumps(summary_embed(summary).to_dict(), ensure_ascii=False)

    assert "@everyone" not in rendered
    assert "@here" not in rendered
    assert "<@&1234>" not in rendered and "<@99>" not in rendered


def test_a_long_digest_is_split_in_order_within_message_limits() -> None:
    digest = make_digest(stories=12, sentence_chars=1400)

    parts = digest_parts(digest, "en", delivery_key="digest:discord:1:2023-12-28:migration")

    assert len(parts) > 1
    titles = [embed.title for part in parts for embed in part.embeds]
    assert titles[0] == "Migration news digest"
    assert titles[1:] == [f"Story {n:02d}" for n in range(12)]
    for part in parts:
        assert len(part.embeds) <= EMBEDS_PER_MESSAGE
        assert sum(len(embed) for embed in part.embeds) <= EMBED_TOTAL_LIMIT
        tag = delivery_tag("digest:discord:1:2023-12-28:migration")
        assert read_marker(part.embeds) == (part.index, len(parts), tag)
        assert part.nonce is not None and len(part.nonce) <= 25
    assert [part.index for part in parts] == list(range(1, len(parts) + 1))


def test_many_small_stories_split_at_ten_embeds() -> None:
    parts = digest_parts(make_digest(stories=15, sentence_chars=10), "en")

    assert [len(part.embeds) for part in parts] == [10, 6]
    assert all(part.nonce is None and read_marker(part.embeds) is None for part in parts)


def test_empty_digest_says_so_in_the_channel_language() -> None:
    parts = digest_parts(make_digest(stories=0), "es")

    assert len(parts) == 1
    assert parts[0].embeds[0].title == "Resumen de noticias: migración"
    assert parts[0].embeds[0].description == "No hay noticias nuevas de migración en este periodo."


def test_nonces_differ_per_part_and_per_delivery() -> None:
    first, second = delivery_tag("digest:a"), delivery_tag("digest:b")

    assert first != second
    assert part_nonce(first, 1) != part_nonce(first, 2)


def test_text_replies_are_split_at_2000_characters_and_defused() -> None:
    text = "\n".join(f"• feed {n} @everyone" for n in range(300))

    chunks = text_chunks(text)

    assert len(chunks) > 1
    assert all(len(chunk) <= 2000 for chunk in chunks)
    assert "@everyone" not in "".join(chunks)
    assert "".join(chunks).replace(ZWSP, "").replace("\n", "") == text.replace("\n", "")


def test_reply_messages_put_text_then_summary() -> None:
    messages = reply_messages(Reply(text="Done.", summary=make_summary()))

    assert messages[0].content == "Done."
    assert messages[1].embeds is not None and messages[1].embeds[0].title


@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [("mexico", "America/Mexico_City"), ("MADRID", "Europe/Madrid"), ("utc", "UTC")],
)
def test_time_zone_choices_match_any_case_substring(typed: str, expected_first: str) -> None:
    choices = matching_zones(typed)

    assert expected_first in choices
    assert all(typed.lower() in zone.lower() for zone in choices)


def test_time_zone_choices_are_at_most_25_and_prefix_matches_come_first() -> None:
    choices = matching_zones("america/")

    assert len(choices) == 25
    assert matching_zones("euro")[0].startswith("Europe/")
    assert matching_zones("") == sorted(matching_zones(""))[:25]
