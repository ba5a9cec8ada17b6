"""Merging one story's key figures across its reports: repeats dropped, disagreements reported.

A figure repeats one already kept when both have the same value (within 2%) and unit and count
the same thing: the same head noun ("people crossing" -> people, "migrantes" -> migrant), in one
language or across English and Spanish (``_SAME_NOUN`` pairs the nouns news figures count), or,
in one language, the same counted phrase and period. Outlets disagree only when both figures
name the same head noun *and* the same period ("in November" = "en noviembre" = "November") with
another value: "400 migrants" and "8.480 migrantes" without a period may count different groups
(one boat, one weekend), so both are kept and nothing is called a conflict.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizers.stories.textsim import fold_accents, stem
from summarizers.types import KeyFigure

__all__ = [
    "SAME_VALUE_TOLERANCE",
    "Disagreement",
    "StoryFigure",
    "figure_thing",
    "merge_figures",
    "merge_story_figures",
    "period_key",
    "same_value",
    "shown_surface",
]

# Figures within 2% of each other are one figure rounded differently ("190,000" / "191,113").
SAME_VALUE_TOLERANCE = 0.02
_WORD_IN_PHRASE = re.compile(r"[^\W\d_][\w'’-]*")
_FUNCTION_WORD_LIST = (
    "a an the of in on at for to from by with per each every during over since until into"
    " about south north east west de del la el los las en por para con cada al durante desde"
    " hasta"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
# English and Spanish words for what news figures count and the periods they cover; each row
# is one meaning (English words | Spanish words). A general vocabulary, not learnt from any set.
_SAME_NOUN = """\
people persons | personas gente
migrant immigrant | migrantes inmigrantes
refugee | refugiados
asylum-seeker | solicitantes
death dead | muertos muertes fallecidos
victim | victimas
injured wounded | heridos
missing | desaparecidos
child children minor | ninos menores
woman women | mujeres
man men | hombres
family families | familias
arrest apprehension detention | detenciones arrestos aprehensiones detenidos
deportation removal expulsion | deportaciones expulsiones
crossing | cruces
encounter | encuentros
application claim request | solicitudes peticiones
boat vessel | barcos embarcaciones botes pateras
flight | vuelos
worker | trabajadores
soldier troop | soldados tropas
occupant passenger | ocupantes pasajeros
dollar | dolares
mile | millas
kilometre kilometer | kilometros
day | dias
week | semanas
month | meses
year | anos
january | enero
february | febrero
march | marzo
april | abril
may | mayo
june | junio
july | julio
august | agosto
september | septiembre setiembre
october | octubre
november | noviembre
december | diciembre"""

Report = tuple[str, str, Sequence[KeyFigure]]  # (outlet, lang, figures most important first)
Conflict = tuple[str, tuple[tuple[str, str], ...]]  # (what was counted, ((surface, outlet), ...))


@dataclass(frozen=True, slots=True)
class StoryFigure:
    """A figure kept for a story, with the language and outlet of the report that gave it."""

    figure: KeyFigure
    lang: str
    outlet: str


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Outlets giving different values for the same counted noun and period."""

    counted: str  # "apprehensions, in November", in the first report's words
    entries: tuple[StoryFigure, ...]  # one per outlet, in report order

    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((shown_surface(entry.figure), entry.outlet) for entry in self.entries)


def merge_story_figures(
    reports: Sequence[Report],
) -> tuple[tuple[StoryFigure, ...], tuple[Disagreement, ...]]:
    """One story's figures across its reports (lead first), and where outlets disagree."""
    kept: list[StoryFigure] = []
    conflicts: dict[tuple[str, str, str], list[StoryFigure]] = {}
    for outlet, lang, figures in reports:
        for figure in figures:
            item = StoryFigure(figure, _language(lang), outlet)
            if any(_repeats(item, known) for known in kept):
                continue
            key = _period_key(item)
            rival = next((known for known in kept if _period_key(known) == key), None)
            if key is None or rival is None:
                kept.append(item)
                continue
            entries = conflicts.setdefault(key, [rival])
            if all(
                e.outlet != outlet and not _same_value(e.figure.value, figure.value)
                for e in entries
            ):
                entries.append(item)
    disagreements = tuple(
        Disagreement(_thing_label(entries[0].figure), tuple(entries))
        for entries in conflicts.values()
        if len(entries) > 1
    )
    return tuple(kept), disagreements


def merge_figures(reports: Sequence[Report]) -> tuple[tuple[KeyFigure, ...], tuple[Conflict, ...]]:
    """``merge_story_figures`` as plain figures and (counted, ((surface, outlet), ...)) pairs."""
    kept, disagreements = merge_story_figures(reports)
    return tuple(item.figure for item in kept), tuple((d.counted, d.pairs()) for d in disagreements)


def figure_thing(figure: KeyFigure, lang: str = "en") -> tuple[str, ...]:
    """What a figure counts, normalised: (head noun, period, unit) or (counted phrase, unit)."""
    unit = figure.unit or ""
    words = _words(figure.counted or "", lang)
    if not words:
        return ("", f"{figure.value:g}", unit)  # nothing counted: only exact repeats match
    period = " ".join(_words(figure.period or "", lang))
    if period:
        return (_head_noun(figure.counted or "", lang), period, unit)
    return (" ".join(words), unit)


def period_key(figure: KeyFigure, lang: str) -> tuple[str, str, str] | None:
    """What a figure counts and when, in language-neutral words: (head noun, period, unit), or
    None without both a counted noun and a period (such figures cannot be said to change)."""
    return _period_key(StoryFigure(figure, _language(lang), ""))


def same_value(first: float, second: float) -> bool:
    """Whether two values are one figure rounded differently (within ``SAME_VALUE_TOLERANCE``)."""
    return _same_value(first, second)


def shown_surface(figure: KeyFigure) -> str:
    """'more than 190,000': the surface with its qualifier, once."""
    qualifier = figure.qualifier
    if qualifier and not figure.surface.casefold().startswith(qualifier.casefold()):
        return f"{qualifier} {figure.surface}"
    return figure.surface


def _repeats(item: StoryFigure, known: StoryFigure) -> bool:
    first, second = item.figure, known.figure
    if (first.unit or "") != (second.unit or "") or not _same_value(first.value, second.value):
        return False
    if item.lang == known.lang and figure_thing(first, item.lang) == figure_thing(
        second, known.lang
    ):
        return True
    return _noun(first.counted or "", item.lang) == _noun(second.counted or "", known.lang)


def _period_key(item: StoryFigure) -> tuple[str, str, str] | None:
    """(counted noun, period, unit) in language-neutral words, or None without both."""
    noun = _noun(item.figure.counted or "", item.lang)
    period = " ".join(_canonical(w, item.lang) for w in _words(item.figure.period or "", item.lang))
    if not noun or not period:
        return None
    return noun, period, item.figure.unit or ""


def _noun(counted: str, lang: str) -> str:
    return _canonical(_head_noun(counted, lang), lang)


@functools.cache
def _meanings() -> dict[tuple[str, str], str]:
    """(language, stem) -> the row's first English stem, for every word of ``_SAME_NOUN``."""
    table: dict[tuple[str, str], str] = {}
    for row in _SAME_NOUN.splitlines():
        english, spanish = (side.split() for side in row.split("|"))
        meaning = stem(english[0], "en")
        for lang, words in (("en", english), ("es", spanish)):
            for word in words:
                table[(lang, stem(word, lang))] = meaning
    return table


def _canonical(word: str, lang: str) -> str:
    return _meanings().get((lang, word), word) if word else ""


def _language(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].casefold() or "en"


def _head_noun(counted: str, lang: str) -> str:
    """The last word before the first function word or participle: 'buses carrying x' -> bus."""
    head = ""
    for position, word in enumerate(_WORD_IN_PHRASE.findall(fold_accents(counted).casefold())):
        if word in _FUNCTION_WORDS or (position and word.endswith(("ing", "ed", "ando", "ados"))):
            break
        head = word.rstrip("'’")
    return stem(head, lang) if head else ""


def _words(phrase: str, lang: str) -> list[str]:
    words = _WORD_IN_PHRASE.findall(fold_accents(phrase).casefold())
    return [stem(w.rstrip("'’"), lang) for w in words if w not in _FUNCTION_WORDS]


def _same_value(first: float, second: float) -> bool:
    return abs(first - second) <= SAME_VALUE_TOLERANCE * max(abs(first), abs(second))


def _thing_label(figure: KeyFigure) -> str:
    counted = figure.counted or ""
    return f"{counted}, {figure.period}" if figure.period else counted
