"""The one message a figure alert posts, in the channel's language (English or Spanish)."""

from __future__ import annotations

from bot.alerts.matching import change_percent
from bot.chat.wording.numerals import local_surface
from bot.store.records.alerts import Watch, WatchHit
from summarizers.types import KeyFigure

MAX_SENTENCE_CHARS = 400

_WORDS = {
    "en": {
        "head": "Figure alert",
        "up": "up from",
        "down": "down from",
        "same": "the same as",
        "first": "first value seen for this alert",
        "source": "Source",
        "in": "in",
    },
    "es": {
        "head": "Alerta de cifra",
        "up": "sube desde",
        "down": "baja desde",
        "same": "igual que",
        "first": "primer valor visto para esta alerta",
        "source": "Fuente",
        "in": "en",
    },
}


_CONDITIONS_ES = {"above": "más de", "below": "menos de", "change": "cambio de"}


def watch_label(watch: Watch, language: str = "en") -> str:
    """'deaths, Mediterranean, above 100' as the watch was typed (its id first)."""
    parts = [watch.what]
    if watch.place:
        parts.append(watch.place)
    if watch.condition is not None and watch.threshold is not None:
        amount = (
            f"{watch.threshold:g}%" if watch.condition == "change" else f"{watch.threshold:,.0f}"
        )
        word = watch.condition
        if language == "es":
            amount = amount.replace(",", ".")
            word = _CONDITIONS_ES[watch.condition]
        parts.append(f"{word} {amount}")
    return f"#{watch.id} " + ", ".join(parts)


def figure_phrase(figure: KeyFigure, source_lang: str, language: str) -> str:
    """'more than 190,000 apprehensions recorded, in November'."""
    number = local_surface(figure.surface, figure.value, source_lang, language)
    text = " ".join(part for part in (figure.qualifier, number, figure.counted) if part)
    return f"{text}, {figure.period}" if figure.period else text


def _then(hit: WatchHit, language: str) -> str:
    number = local_surface(hit.surface, hit.value, hit.lang, language)
    return f"{number} {hit.period}" if hit.period else number


def alert_text(
    watch: Watch,
    figure: KeyFigure,
    previous: WatchHit | None,
    *,
    title: str | None,
    link: str | None,
    source_lang: str,
    language: str = "en",
) -> str:
    """Figure, qualifier, period, the change against the last value, the sentence and link."""
    say = _WORDS["es" if language == "es" else "en"]
    phrase = figure_phrase(figure, source_lang, language)
    line = f"{say['head']} ({watch_label(watch, language)}): {phrase}"
    if previous is None:
        line += f" ({say['first']})."
    else:
        direction = (
            "up"
            if figure.value > previous.value
            else "down"
            if figure.value < previous.value
            else "same"
        )
        change = change_percent(figure.value, previous.value)
        line += f"; {say[direction]} {_then(previous, language)}"
        if change is not None and direction != "same":
            line += f" ({change:+.0f}%)"
        line += "."
    sentence = " ".join(figure.sentence.split())
    if len(sentence) > MAX_SENTENCE_CHARS:
        sentence = sentence[: MAX_SENTENCE_CHARS - 1].rstrip() + "…"
    source = " — ".join(part for part in (title, link) if part)
    return f"{line}\n“{sentence}”" + (f"\n{say['source']}: {source}" if source else "")
