"""Words the bot itself writes around article text, in each channel language it supports.

Every renderer takes the channel's language and writes its own words through ``label``; the
articles' words (titles, sentences, figures, outlet names) stay in the article's language. An
article's language is shown beside its outlet when it is not the channel's ("BBC Mundo · es").
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import Article, Story, Summary

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary",
        "key_figures": "Key figures",
        "source": "Source",
        "sources": "Reported by",
        "digest_title": "{topic} news digest",
        "digest_empty": "No new {topic} stories in this period.",
        "more_stories": "{count} more stories",
        "figures_differ": "Outlets differ",
        "versus": "vs",
        "feeds_failed": "Feeds that could not be read",
        "untitled": "(untitled)",
        "published": "Published",
        "unknown_outlet": "unknown outlet",
        "part": "part",
        "partial": "Partial",
        "wall_paywall": "This page is behind a paywall; the visible part says:",
        "wall_paywall_empty": "This page is behind a paywall; none of the article is visible.",
        "wall_consent": "This page shows a cookie or consent wall instead of the article, "
        "so there is nothing to summarize.",
        "wall_challenge": "This page shows a bot check instead of the article; "
        "open it in a browser.",
        "wall_index": "This page is a list of links, not an article; send me the link of one "
        "story. It begins:",
        "wall_short": "This article is shorter than a summary, so here is its full text.",
    },
    "es": {
        "summary": "Resumen",
        "key_figures": "Cifras clave",
        "source": "Fuente",
        "sources": "Publicado por",
        "digest_title": "Resumen de noticias: {topic}",
        "digest_empty": "No hay noticias nuevas de {topic} en este periodo.",
        "more_stories": "{count} noticias más",
        "figures_differ": "Las cifras difieren",
        "versus": "frente a",
        "feeds_failed": "Fuentes que no se pudieron leer",
        "untitled": "(sin título)",
        "published": "Publicado",
        "unknown_outlet": "medio desconocido",
        "part": "parte",
        "partial": "Parcial",
        "wall_paywall": "Esta página está detrás de un muro de pago; la parte visible dice:",
        "wall_paywall_empty": "Esta página está detrás de un muro de pago; no se ve nada del "
        "artículo.",
        "wall_consent": "Esta página muestra un aviso de cookies o de consentimiento en lugar "
        "del artículo, así que no hay nada que resumir.",
        "wall_challenge": "Esta página muestra una comprobación contra bots en lugar del "
        "artículo; ábrela en un navegador.",
        "wall_index": "Esta página es una lista de enlaces, no un artículo; envíame el enlace "
        "de una noticia. Empieza así:",
        "wall_short": "Este artículo es más corto que un resumen, así que aquí está completo.",
    },
}

MAX_VISIBLE_CHARS = 300  # of a wall's visible text, quoted so the reader sees what the page shows


def partial_note(summary: Summary, language: str = "en") -> str | None:
    """What happened when a summary is partial (a wall, or an article shorter than a summary).

    A consent wall or bot check is never quoted: its text is the banner, not the article.
    """
    kind = summary.partial
    if kind is None:
        return None
    visible = _excerpt(summary.article.text)
    if kind == "paywall" and not visible:
        kind = "paywall_empty"
    note = label(f"wall_{kind}", language)
    return f"{note} “{visible}”" if kind in ("paywall", "index") and visible else note


def lead_line(summary: Summary) -> str | None:
    """The one line above the bullets: the lead sentence, or nothing when it is the title
    (every renderer shows the title already)."""
    lead = summary.lead
    return lead if lead and lead != summary.article.title else None


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= MAX_VISIBLE_CHARS:
        return flat
    return flat[:MAX_VISIBLE_CHARS].rsplit(" ", 1)[0] + "…"


TOPIC_NAMES: dict[str, dict[str, str]] = {
    "en": {"migration": "migration"},
    "es": {"migration": "migración"},
}


def label(key: str, language: str = "en", **values: object) -> str:
    """The label ``key`` in ``language`` (English when unknown), formatted with ``values``."""
    table = LABELS.get(language, LABELS["en"])
    return table.get(key, LABELS["en"][key]).format(**values)


def topic_name(topic: str, language: str = "en") -> str:
    return TOPIC_NAMES.get(language, {}).get(topic, topic)


def shown_language(article_lang: str, language: str = "en") -> str | None:
    """The article's language code when it is not the channel's, else None (nothing to say)."""
    code = article_lang.replace("_", "-").split("-")[0].casefold()
    return code if code and code != language else None


def story_title(story: Story, language: str = "en") -> str:
    return story.summary.article.title or label("untitled", language)


def outlet_names(articles: Iterable[Article], language: str = "en") -> tuple[str, ...]:
    """Each outlet once, in order, with its article's language when not the channel's."""
    return tuple(name for name, _ in outlet_articles(articles, language))


def outlet_articles(
    articles: Iterable[Article], language: str = "en"
) -> tuple[tuple[str, Article], ...]:
    """Each outlet once, in order, as (its name as shown, its first article): what to link."""
    seen: dict[str, Article] = {}
    for article in articles:
        name = article.source or label("unknown_outlet", language)
        code = shown_language(article.lang, language)
        seen.setdefault(f"{name} ({code})" if code else name, article)
    return tuple(seen.items())
