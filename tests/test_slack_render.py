"""Block Kit rendering and text safety for Slack, without a network."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fakes.slack_payloads import block_limit_problem
from hypothesis import example, given
from hypothesis import strategies as st

from adapters.slack.rendering.render import (
    MAX_BLOCKS,
    MAX_FALLBACK_CHARS,
    MAX_SECTION_CHARS,
    digest_messages,
    figure_mrkdwn,
    reply_messages,
    summary_message,
    text_message,
)
from adapters.slack.rendering.safety import incoming_text, link, own_text, plain, quote
from bot.chat.commands import HELP
from bot.chat.requests import Reply
from bot.models import Article, Digest, KeyFigure, Story, Summary

# What Slack would turn into a ping (our own <!date^...> tokens are not mentions).
MENTIONS = re.compile(
    r"<(!(channel|here|everyone|subteam)|@|#)|(?<![\w.+-])@(here|channel|everyone)\b",
    re.IGNORECASE,
)
FIGURE = KeyFigure(
    value=190000,
    surface="190,000",
    sentence="There were more than 190,000 apprehensions in November alone.",
    qualifier="more than",
    counted="apprehensions",
    period="in November",
)


def make_summary(
    title: str = "US and Mexico look to stem migrant flow", **article: object
) -> Summary:
    fields = {
        "text": "body",
        "title": title,
        "url": "https://www.bbc.com/news/world-us-canada-67832911",
        "source": "BBC News",
        "published": datetime(2023, 12, 28, 2, 11, tzinfo=UTC),
    } | article
    return Summary(
        article=Article(**fields),  # type: ignore[arg-type]
        sentences=("The US and Mexico vowed to act.", "Crossings hit a record."),
        figures=(FIGURE,),
        method="newsbrief",
    )


def all_text(blocks: tuple[dict[str, object], ...] | list[dict[str, object]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_summary_has_header_sentences_figures_source_and_context() -> None:
    message = summary_message(make_summary())
    kinds = [block["type"] for block in message.blocks]
    assert kinds == ["header", "section", "section", "section", "context"]
    assert message.blocks[0]["text"]["text"] == "US and Mexico look to stem migrant flow"
    assert message.blocks[1]["text"]["text"] == (
        "• The US and Mexico vowed to act.\n• Crossings hit a record."
    )
    assert "• more than *190,000* apprehensions (in November)" in message.blocks[2]["text"]["text"]
    assert message.blocks[3]["text"]["text"] == (
        "*Source:* <https://www.bbc.com/news/world-us-canada-67832911|bbc.com>"
    )
    context = message.blocks[4]["elements"][0]["text"]
    assert context == "*BBC News* · <!date^1703729460^{date_short}|2023-12-28>"
    assert message.text.startswith("US and Mexico look to stem migrant flow\n• The US")
    assert block_limit_problem(list(message.blocks)) is None


def test_summary_labels_follow_the_channel_language() -> None:
    message = summary_message(make_summary(), "es")
    assert message.blocks[2]["text"]["text"].startswith("*Cifras clave*")
    assert message.blocks[3]["text"]["text"].startswith("*Fuente:*")


def test_summary_without_url_date_or_figures_still_renders() -> None:
    summary = replace(make_summary(url=None, source=None, published=None), figures=())
    message = summary_message(summary)
    assert [block["type"] for block in message.blocks] == ["header", "section"]


def test_long_sentences_are_split_over_sections_within_the_limit() -> None:
    sentences = tuple(f"Sentence {n} " + "word & more " * 120 for n in range(6))
    summary = replace(make_summary(title="T" * 400), sentences=sentences)
    message = summary_message(summary)
    sections = [b for b in message.blocks if b["type"] == "section"]
    assert len(sections) > 2
    assert all(len(b["text"]["text"]) <= MAX_SECTION_CHARS for b in sections)
    assert len(message.blocks[0]["text"]["text"]) <= 150
    assert len(message.text) <= MAX_FALLBACK_CHARS
    assert "&am…" not in all_text(message.blocks)  # no entity cut in half
    assert block_limit_problem(list(message.blocks)) is None


def test_article_text_cannot_mention_or_format() -> None:
    hostile = (
        "Alert <!channel> <!here> <!everyone> <@U024BE7LH> <#C024BE7LR|general> @here @Everyone"
    )
    summary = replace(
        make_summary(title=hostile, source="The @here Gazette"),
        sentences=(hostile + " *bold* _it_ ~strike~ `code`",),
        figures=(replace(FIGURE, counted="<!channel> people", qualifier="@everyone"),),
    )
    message = summary_message(summary)
    rendered = all_text(message.blocks) + message.text
    assert not MENTIONS.search(rendered), rendered
    sentence = message.blocks[1]["text"]["text"]
    assert "&lt;!channel&gt;" in sentence and "＠here" in sentence
    assert not re.search(r"[*_~`]", sentence)
    assert message.blocks[0]["text"]["text"].startswith("Alert ‹!channel› ‹!here›")


@given(st.text())
def test_quoted_text_never_carries_entities_mentions_or_markers(text: str) -> None:
    quoted = quote(text)
    assert not MENTIONS.search(quoted)
    assert not re.search(r"[<>*_~`]", quoted)
    assert re.sub(r"&(amp|lt|gt);", "", quoted).count("&") == 0
    assert not MENTIONS.search(plain(text)) and not re.search(r"[<>]", plain(text))


@given(st.text(min_size=1), st.integers(min_value=2, max_value=60))
@example("000&00", 5)  # plain_text has no entities: its "&" is a character like any other
@example("000&00", 8)
def test_fitting_never_exceeds_the_limit_nor_cuts_an_entity(text: str, limit: int) -> None:
    for escape in (quote, own_text, plain):
        assert len(escape(text, limit)) <= limit
    for escape in (quote, own_text):  # mrkdwn: every "&" the text had became an entity
        fitted = escape(text, limit)
        assert not re.search(r"&(a|am|amp|l|lt|g|gt)?…$", fitted)
        assert re.sub(r"&(amp|lt|gt);", "", fitted).count("&") == 0


def test_links_only_for_http_urls_and_never_broken_by_the_url() -> None:
    assert link("https://example.org/a?b=1&c=2", "Story") == (
        "<https://example.org/a?b=1&amp;c=2|Story>"
    )
    assert link("https://example.org/x|y>z", "<!here>") == (
        "<https://example.org/x%7Cy&gt;z|&lt;!here&gt;>"
    )
    assert link("javascript:alert(1)", "Story") == "Story"
    assert link(None, "Story *now*") == "Story ∗now∗"


def test_own_text_keeps_time_zone_underscores_but_defuses_mentions() -> None:
    assert own_text("Subscribed at 07:00 America/Mexico_City <!channel> @here") == (
        "Subscribed at 07:00 America/Mexico_City &lt;!channel&gt; ＠here"
    )


def test_incoming_text_decodes_slack_encoding() -> None:
    assert incoming_text("summarize <https://ex.org/a?b=1&amp;c=2|ex.org/a> &lt;3") == (
        "summarize https://ex.org/a?b=1&c=2 &lt;3".replace("&lt;", "<")
    )
    assert incoming_text("<@U0NEWSBOT> look <https://ex.org/>") == " look https://ex.org/"
    assert incoming_text("fish &amp;lt; chips") == "fish &lt; chips"


def test_help_keeps_its_columns_in_a_code_block() -> None:
    message = text_message(HELP)
    body = message.blocks[0]["text"]["text"]
    assert body.startswith("```") and body.endswith("```")
    assert "summarize [N] &lt;link or pasted text&gt;" in body


def test_reply_messages_dispatch() -> None:
    assert reply_messages(Reply(summary=make_summary()))[0].blocks[0]["type"] == "header"
    failure = reply_messages(Reply.failure("That page could not be found (404)."))
    assert failure[0].text == "That page could not be found (404)."


def story(number: int, sentences: int = 3) -> Story:
    summary = make_summary(
        title=f"Story {number}", url=f"https://news.example.org/{number}", source=f"Outlet {number}"
    )
    summary = replace(
        summary, sentences=tuple(f"Sentence {i} of story {number}." for i in range(sentences))
    )
    return Story(summary=summary, articles=(summary.article,), figures=(FIGURE,))


def digest(stories: int, **fields: object) -> Digest:
    return Digest(
        topic="migration",
        since=datetime(2024, 3, 4, 7, tzinfo=UTC),
        until=datetime(2024, 3, 5, 7, tzinfo=UTC),
        stories=tuple(story(n) for n in range(1, stories + 1)),
        **fields,  # type: ignore[arg-type]
    )


def test_short_digest_is_one_message_with_every_story() -> None:
    messages = digest_messages(digest(3, more_stories=2, more_links=("https://a.example/1",)))
    assert len(messages) == 1
    blocks = messages[0].blocks
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Migration news digest"},
    }
    text = all_text(blocks)
    assert text.index("Story 1") < text.index("Story 2") < text.index("Story 3")
    assert "*2 more stories*" in text and "<https://a.example/1|a.example>" in text
    assert messages[0].text == "Migration news digest: Story 1; Story 2; Story 3"


def test_long_digest_is_split_in_order_within_limits() -> None:
    messages = digest_messages(digest(40, feeds_failed=("Feed X <!here> failed.",)))
    assert len(messages) > 1
    seen = []
    for number, message in enumerate(messages, start=1):
        assert len(message.blocks) <= MAX_BLOCKS
        assert block_limit_problem(list(message.blocks)) is None
        assert f"({number}/{len(messages)})" in all_text(message.blocks)
        seen += re.findall(r"\|Story (\d+)>", all_text(message.blocks))
    assert seen == [str(n) for n in range(1, 41)]  # every story once, in order, never split
    assert "&lt;!here&gt;" in all_text(messages[-1].blocks)


def test_empty_digest_says_so_in_the_channel_language() -> None:
    (message,) = digest_messages(digest(0), "es")
    assert "No hay noticias nuevas de migración" in all_text(message.blocks)


@pytest.mark.parametrize("language", ["en", "es"])
def test_figure_phrase_escapes_every_part(language: str) -> None:
    figure = replace(FIGURE, counted="*people*", period="<!here>")
    assert figure_mrkdwn(figure) == "more than *190,000* ∗people∗ (&lt;!here&gt;)"
