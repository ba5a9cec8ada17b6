"""Words the bot itself writes around article text, in each channel language it supports."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary",
        "key_figures": "Key figures",
        "source": "Source",
        "sources": "Reported by",
        "digest_title": "{topic} news digest",
        "digest_empty": "No new {topic} stories since the last digest.",
        "more_stories": "{count} more stories",
        "figures_differ": "Outlets differ",
        "feeds_failed": "Feeds that could not be read",
        "untitled": "(untitled)",
        "published": "Published",
    },
    "es": {
        "summary": "Resumen",
        "key_figures": "Cifras clave",
        "source": "Fuente",
        "sources": "Publicado por",
        "digest_title": "Resumen de noticias: {topic}",
        "digest_empty": "No hay noticias nuevas de {topic} desde el último resumen.",
        "more_stories": "{count} noticias más",
        "figures_differ": "Las cifras difieren",
        "feeds_failed": "Fuentes que no se pudieron leer",
        "untitled": "(sin título)",
        "published": "Publicado",
    },
}

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
