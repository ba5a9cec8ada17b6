"""Which key figures of a story changed since a channel saw it, and how the change reads."""

from __future__ import annotations

from bot.chat.wording.updates import change_phrase
from bot.models import KeyFigure
from summarizers.figures.extract import extract_figures
from summarizers.stories.changes import changed_figures


def figures(sentence: str, lang: str = "en") -> list[KeyFigure]:
    found = extract_figures([sentence], lang=lang)
    assert found, sentence
    return list(found)


def change(before: str, after: str, *, lang: str = "en", was_lang: str = "en") -> list[str]:
    earlier = [(f, was_lang) for f in figures(before, was_lang)]
    later = [(f, lang, "Wire B") for f in figures(after, lang)]
    return [change_phrase(c, "en") for c in changed_figures(earlier, later)]


def test_a_higher_toll_for_the_same_noun_and_period_reads_up() -> None:
    assert change(
        "At least 40 people died in the fire in March.",
        "At least 52 people died in the fire in March.",
    ) == ["at least 52 people in March, was at least 40 (up, Wire B)"]


def test_a_lower_revised_figure_reads_down_not_up() -> None:
    (phrase,) = change(
        "Border agents made 225,000 apprehensions in November.",
        "Border agents made 190,000 apprehensions in November.",
    )
    assert phrase.endswith("was 225,000 (down, Wire B)")


def test_another_period_or_no_period_or_a_rounding_is_no_change() -> None:
    assert (
        change(
            "Border agents made 225,000 apprehensions in November.",
            "Border agents made 250,000 apprehensions in December.",
        )
        == []
    )
    assert change("A boat carrying 400 migrants sank.", "A boat carrying 520 migrants sank.") == []
    assert (
        change(
            "Border agents made 190,000 apprehensions in November.",
            "Border agents made 191,113 apprehensions in November.",
        )
        == []
    )


def test_spanish_and_english_reports_of_one_thing_compare() -> None:
    (phrase,) = change(
        "Border agents made 190,000 apprehensions in November.",
        "La Patrulla Fronteriza realizó 225.000 detenciones en noviembre.",
        lang="es",
    )
    assert phrase.startswith("225,000 detenciones en noviembre, was 190,000 (up")


def test_a_spanish_channel_reads_the_change_in_spanish() -> None:
    earlier = [(f, "en") for f in figures("Border agents made 190,000 apprehensions in November.")]
    later = [
        (f, "es", "Diario C")
        for f in figures("Se registraron unas 225.000 detenciones en noviembre.", "es")
    ]
    (found,) = changed_figures(earlier, later)
    assert change_phrase(found, "es") == (
        "unas 225.000 detenciones en noviembre, antes 190.000 (sube, Diario C)"
    )
