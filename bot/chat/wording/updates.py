"""How a story update reads in a channel: "Update: <headline>", new outlets, changed figures.

Plain text in the channel's language; each renderer escapes it for its platform. A changed
figure reads "52 dead in March, was 40 (up, Wire B)": the new value with what it counts and
when, the value the channel was shown, which way it moved, and who reports the new one (a later
figure may come from another outlet, so the line never claims the number itself rose).
"""

from __future__ import annotations

from bot.chat.wording.labels import outlet_articles
from bot.chat.wording.numerals import local_figure
from bot.models import Article, ChangedFigure, StoryUpdate
from summarizers.stories.figure_merge import shown_surface

__all__ = ["change_phrase", "new_outlet_articles", "update_heading", "update_word"]

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "update": "Update",
        "new_outlets": "Now also reported by",
        "changed": "Figures that changed",
        "was": "was",
        "up": "up",
        "down": "down",
    },
    "es": {
        "update": "Actualización",
        "new_outlets": "Ahora también publicado por",
        "changed": "Cifras que cambiaron",
        "was": "antes",
        "up": "sube",
        "down": "baja",
    },
}


def update_word(key: str, language: str = "en", **values: object) -> str:
    """One of this module's words in ``language`` (English when unknown)."""
    table = _WORDS.get(language, _WORDS["en"])
    return table.get(key, _WORDS["en"][key]).format(**values)


def update_heading(update: StoryUpdate, language: str = "en") -> str:
    """'Update: <the headline the channel saw>'."""
    return f"{update_word('update', language)}: {update.headline}"


def change_phrase(change: ChangedFigure, language: str = "en") -> str:
    """'225,000 apprehensions in November, was more than 190,000 (up, Wire B)'."""
    now = local_figure(change.figure, change.lang, language)
    was = local_figure(change.was, change.was_lang, language)
    head = " ".join(
        part for part in (shown_surface(now), now.counted or "", now.period or "") if part
    )
    how = ", ".join(
        part for part in (update_word(change.direction, language), change.source) if part
    )
    return f"{head}, {update_word('was', language)} {shown_surface(was)} ({how})"


def new_outlet_articles(
    update: StoryUpdate, language: str = "en"
) -> tuple[tuple[str, Article], ...]:
    """(outlet as shown, its first new article) for each outlet new to the story."""
    new = set(update.new_outlets)
    return tuple(
        (name, article)
        for name, article in outlet_articles(update.story.articles, language)
        if (article.source or "unknown outlet") in new
    )
