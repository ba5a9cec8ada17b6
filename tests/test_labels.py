"""The bot's own words follow the channel's language on every renderer; article text does not."""

from __future__ import annotations

import json
import re
import string
from dataclasses import replace
from datetime import UTC, datetime

import discord
import pytest

from adapters.console_render import render_digest, render_summary
from adapters.discord.rendering.render import digest_parts, read_marker, summary_embed
from adapters.discord.rendering.render import reply_messages as discord_replies
from adapters.slack.rendering.render import digest_messages, summary_message
from adapters.slack.rendering.render import reply_messages as slack_replies
from bot.chat.requests import Reply
from bot.chat.wording.labels import LABELS, label, outlet_names, shown_language, topic_name
from bot.models import Article, Digest, FigureConflict, KeyFigure, Story, Summary

PUBLISHED = datetime(2023, 12, 28, 2, 11, tzinfo=UTC)
SPANISH_SENTENCES = (
    "México y Estados Unidos acordaron combatir a los traficantes de migrantes.",
    "La Patrulla Fronteriza registró más de 190.000 detenciones en noviembre.",
)
FIGURE = KeyFigure(
    value=190000,
    surface="190.000",
    sentence=SPANISH_SENTENCES[1],
    qualifier="más de",
    counted="detenciones",
    period="en noviembre",
)


def summary(lang: str = "es", title: str | None = "Acuerdo contra los traficantes") -> Summary:
    article = Article(
        text=" ".join(SPANISH_SENTENCES),
        title=title,
        url="https://www.bbc.com/mundo/articles/c1",
        source="BBC Mundo",
        published=PUBLISHED,
        lang=lang,
    )
    return Summary(article, SPANISH_SENTENCES, (FIGURE,), "newsbrief")


def digest(stories: int = 2) -> Digest:
    lead = summary(title=None)  # an untitled story
    english = replace(
        lead.article, source="BBC News", lang="en", url="https://www.bbc.com/news/world-1"
    )
    story = Story(
        summary=lead,
        articles=(lead.article, english),
        figures=(FIGURE,),
        conflicts=(
            FigureConflict("detenciones", (("190.000", "BBC Mundo"), ("225,000", "BBC News"))),
        ),
    )
    return Digest(
        topic="migration",
        since=PUBLISHED,
        until=PUBLISHED,
        stories=(story,) * stories,
        more_stories=3,
        more_links=("https://example.org/otra",),
        feeds_failed=("https://example.org/feed.xml: no se pudo leer.",),
    )


def english_words_in(rendered: str) -> list[str]:
    """English labels (placeholders filled) found as whole words in ``rendered``."""
    found = []
    for key, text in LABELS["en"].items():
        phrase = text.format(topic="migration", count=3)
        pattern = rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_])"  # "_Outlets differ_" counts
        if LABELS["es"][key] != text and re.search(pattern, rendered, re.IGNORECASE):
            found.append(phrase)
    return found


def test_both_languages_have_every_label_with_the_same_placeholders() -> None:
    assert LABELS["en"].keys() == LABELS["es"].keys()
    for key, english in LABELS["en"].items():
        fields = {name for _, name, _, _ in string.Formatter().parse(english) if name}
        spanish = {name for _, name, _, _ in string.Formatter().parse(LABELS["es"][key]) if name}
        assert fields == spanish, key


def test_unknown_languages_fall_back_to_english() -> None:
    assert label("key_figures", "fr") == "Key figures"
    assert label("more_stories", "es", count=2) == "2 noticias más"
    assert topic_name("migration", "es") == "migración"
    assert topic_name("wildfires", "es") == "wildfires"


def test_article_language_is_shown_when_it_is_not_the_channels() -> None:
    assert shown_language("es", "en") == "es"
    assert shown_language("es-MX", "es") is None
    assert shown_language("en", "en") is None
    assert shown_language("pt", "es") == "pt"
    articles = [summary().article, replace(summary().article, lang="en"), summary().article]
    assert outlet_names(articles, "es") == ("BBC Mundo", "BBC Mundo (en)")
    assert outlet_names([replace(articles[0], source=None)], "es") == ("medio desconocido",)


def test_console_summary_in_a_spanish_channel() -> None:
    text = render_summary(summary(), "text", width=200, language="es")
    assert text.splitlines()[:4] == [
        "Acuerdo contra los traficantes",
        "BBC Mundo · 2023-12-28 · https://www.bbc.com/mundo/articles/c1",
        "",
        "Resumen",
    ]
    assert "Cifras clave" in text and english_words_in(text) == []
    assert all(sentence in text for sentence in SPANISH_SENTENCES)
    markdown = render_summary(summary(title=None), "markdown", language="es")
    assert markdown.startswith("## [(sin título)](") and "**Cifras clave**" in markdown
    assert english_words_in(markdown) == []


def test_console_summary_shows_the_article_language_when_it_differs() -> None:
    english_channel = render_summary(summary(), "text", width=200)
    assert english_channel.splitlines()[1] == (
        "BBC Mundo · 2023-12-28 · es · https://www.bbc.com/mundo/articles/c1"
    )
    assert "Summary" in english_channel and "Key figures" in english_channel
    assert json.loads(render_summary(summary(), "json"))["lang"] == "es"


def test_console_digest_in_a_spanish_channel() -> None:
    for fmt in ("text", "markdown"):
        rendered = render_digest(digest(), fmt, language="es")
        assert english_words_in(rendered) == [], fmt
        for words in ("Resumen de noticias: migración", "(sin título)", "Publicado por"):
            assert words.upper() in rendered.upper(), (fmt, words)
        assert "190.000 (BBC Mundo) frente a 225,000 (BBC News)" in rendered
        assert "BBC News (en)" in rendered and "BBC Mundo (es)" not in rendered
        assert "3 noticias más" in rendered and "Fuentes que no se pudieron leer" in rendered
        assert all(sentence in rendered for sentence in SPANISH_SENTENCES)
    articles = json.loads(render_digest(digest(), "json"))["stories"][0]["articles"]
    assert [article["lang"] for article in articles] == ["es", "en"]


def slack_text(blocks: object) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_slack_summary_and_digest_in_a_spanish_channel() -> None:
    message = summary_message(summary(lang="en"), "es")
    rendered = slack_text(message.blocks)
    assert "*Cifras clave*" in rendered and "*Fuente:*" in rendered
    assert message.blocks[-1]["elements"][0]["text"].endswith(" · en")
    assert english_words_in(rendered) == []
    assert all(sentence in rendered for sentence in SPANISH_SENTENCES)
    same = summary_message(summary(), "es").blocks[-1]["elements"][0]["text"]
    assert not same.endswith(" · es")

    messages = digest_messages(digest(), "es")
    rendered = slack_text([m.blocks for m in messages]) + " ".join(m.text for m in messages)
    assert messages[0].blocks[0]["text"]["text"] == "Resumen de noticias: migración"
    assert english_words_in(rendered) == []
    for words in (
        "(sin título)",
        "Publicado por: <https://www.bbc.com/mundo/articles/c1|BBC Mundo>, "
        "<https://www.bbc.com/news/world-1|BBC News (en)>",
        "_Las cifras difieren_",
        "190.000 (BBC Mundo) frente a 225,000 (BBC News)",
    ):
        assert words in rendered, words
    assert "*3 noticias más*" in rendered and "Fuentes que no se pudieron leer:" in rendered
    assert all(sentence in rendered for sentence in SPANISH_SENTENCES)

    [reply] = slack_replies(Reply(summary=summary(), language="es"))
    assert "*Cifras clave*" in slack_text(reply.blocks)


def discord_text(embeds: list[discord.Embed]) -> str:
    return json.dumps([embed.to_dict() for embed in embeds], ensure_ascii=False)


def test_discord_summary_and_digest_in_a_spanish_channel() -> None:
    embed = summary_embed(summary(lang="en"), "es")
    assert embed.footer.text == "BBC Mundo · 2023-12-28 · en"
    assert summary_embed(summary(), "es").footer.text == "BBC Mundo · 2023-12-28"
    assert summary_embed(summary(), "en").footer.text == "BBC Mundo · 2023-12-28 · es"
    assert embed.description is not None
    assert embed.description.splitlines() == [f"• {sentence}" for sentence in SPANISH_SENTENCES]
    assert english_words_in(discord_text([embed])) == []

    parts = digest_parts(digest(stories=12), "es", delivery_key="discord:c1:migration:2023-12-28")
    embeds = [embed for part in parts for embed in part.embeds]
    rendered = discord_text(embeds)
    assert embeds[0].title == "Resumen de noticias: migración"
    assert english_words_in(rendered) == []
    assert "Cifras clave" in rendered and "Las cifras difieren" in rendered
    assert "(sin título)" in rendered and '"name": "Publicado por"' in rendered
    assert "BBC Mundo: https://www.bbc.com/mundo/articles/c1" in rendered
    assert "BBC News (en): https://www.bbc.com/news/world-1" in rendered
    assert embeds[-2].title == "3 noticias más" and embeds[-1].title == label("feeds_failed", "es")
    assert len(parts) > 1
    for part in parts:
        marker = part.embeds[-1].footer.text or ""
        assert f"parte {part.index}/{len(parts)} · ref " in marker
        assert read_marker(part.embeds) == (part.index, len(parts), marker[-12:])

    messages = discord_replies(Reply(digest=digest(), language="es"))
    assert messages[0].embeds and messages[0].embeds[0].title == "Resumen de noticias: migración"


@pytest.mark.parametrize("language", ["en", "es"])
def test_empty_digest_says_so_in_the_channel_language(language: str) -> None:
    empty = replace(digest(), stories=(), more_stories=0, more_links=(), feeds_failed=())
    expected = label("digest_empty", language, topic=topic_name("migration", language))
    assert expected in render_digest(empty, "text", language)
    assert expected in slack_text(digest_messages(empty, language)[0].blocks)
    assert expected in discord_text(digest_parts(empty, language)[0].embeds)
