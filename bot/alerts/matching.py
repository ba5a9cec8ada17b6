"""Does a key figure answer a watch: its counted noun, its place, and its value's condition."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.alerts.terms import Counted, counted, fold, is_person_noun, words
from bot.store.records.alerts import Watch, WatchHit
from summarizers.stories.crosslang import entity_terms
from summarizers.types import KeyFigure

# A counted phrase's own words end at its first preposition: "detenciones de migrantes" counts
# detentions, "people killed in the attack" counts people killed.
_PREPOSITION_LIST = (
    "of in at on from by for to with near off across during since "
    "de del en a al por para con desde hacia sobre entre durante"
)
_PREPOSITIONS = frozenset(_PREPOSITION_LIST.split())
# How far from the number a verb may say what people-nouns counted ("30 personas murieron",
# "52 people were killed", "killed 52 people").
WORDS_AFTER = 6
WORDS_BEFORE = 3
# Where a watch's place is looked for: the figure's sentence, the headline, and the lead.
LEAD_CHARS = 600


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What matching reads of an article besides its figures."""

    title: str
    text: str
    lang: str


# "Tens of thousands", "dozens", "a fifth soldier": a size or a rank, not a number to report.
_VAGUE = re.compile(
    r"^(tens|dozens|hundreds|thousands|millions|decenas|cientos|centenares|miles|millones)\b"
)
_ORDINAL = re.compile(
    r"^(\d+(st|nd|rd|th|º|ª|o|a)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|sext[oa])$"
)


_CLAUSE = re.compile(r"[,;:()\u2013\u2014]| - ")
_ARTICLE = re.compile(r"^(a|an|the|un|una|el|la)\s+")


def is_amount(surface: str) -> bool:
    """A number as a count: not a vague size ("tens of thousands") nor an ordinal ("fifth")."""
    text = _ARTICLE.sub("", fold(surface).strip())
    return not (_VAGUE.match(text) or _ORDINAL.match(text))


def counted_words(figure: KeyFigure) -> list[str]:
    """The words of the figure's counted phrase up to its first preposition."""
    own: list[str] = []
    for word in words(figure.counted or ""):
        if word in _PREPOSITIONS:
            break
        own.append(word)
    return own


def _around(figure: KeyFigure) -> list[str]:
    """Words just before and after the number in its sentence."""
    at = figure.sentence.find(figure.surface)
    if at < 0:
        return []
    # Within the number's own clause: "which killed 23 people, hit Tunisia where it hurt".
    before = _CLAUSE.split(figure.sentence[:at])[-1]
    after = _CLAUSE.split(figure.sentence[at + len(figure.surface) :])[0]
    return words(before)[-WORDS_BEFORE:] + words(after)[:WORDS_AFTER]


def counts(what: Counted, figure: KeyFigure, lang: str) -> bool:
    """Whether the figure counts what the watch names."""
    if figure.unit == "%":
        return False  # a share or a change, not a count of the thing
    if not is_amount(figure.surface):
        return False
    own = counted_words(figure)
    if any(what.matches(word, lang) for word in own):
        return True
    # "30 personas murieron": the noun names people, the verb says what happened to them.
    if not own or any(is_person_noun(word, lang) for word in own):
        return any(what.matches(word, lang) for word in _around(figure))
    return False


def _place_terms(place: str, lang: str) -> set[str]:
    return {term for term in entity_terms("", place, lang) if term.startswith("@")}


def place_in(place: str, text: str, lang: str) -> bool:
    """The place named in ``text``: as written (accents and case aside) or by an en/es alias."""
    wanted = " ".join(words(place))
    if wanted and re.search(rf"\b{re.escape(wanted)}\b", " ".join(words(text))):
        return True
    aliases = _place_terms(place, "en") | _place_terms(place, "es")
    return bool(aliases & set(entity_terms("", text, lang, words=10_000)))


def place_matches(place: str, figure: KeyFigure, article: ArticleText) -> bool:
    scope = f"{figure.sentence}\n{article.title}\n{article.text[:LEAD_CHARS]}"
    return place_in(place, scope, article.lang)


def matching_figures(
    watch: Watch, figures: Sequence[KeyFigure], article: ArticleText
) -> list[KeyFigure]:
    """The figures (most important first) that count what the watch names, in its place."""
    what = counted(watch.what)
    return [
        figure
        for figure in figures
        if counts(what, figure, article.lang)
        and (not watch.place or place_matches(watch.place, figure, article))
    ]


@dataclass(frozen=True, slots=True)
class Decision:
    """The figure a watch takes from an article, the value it is compared with, and whether
    it alerts (a figure that does not is still remembered as the last value seen)."""

    figure: KeyFigure
    previous: WatchHit | None
    alert: bool


def decide(
    watch: Watch,
    figures: Sequence[KeyFigure],
    article: ArticleText,
    history: Sequence[WatchHit] = (),
) -> Decision | None:
    """The first matching figure that meets the watch's condition, else the first match."""
    matches = matching_figures(watch, figures, article)
    for figure in matches:
        previous = previous_hit(figure, history)
        if should_alert(watch, figure.value, previous):
            return Decision(figure, previous, True)
    if not matches:
        return None
    return Decision(matches[0], previous_hit(matches[0], history), False)


_PERIOD_KINDS = (
    ("rate", re.compile(r"^(per|a|an|each|every|por|al|a la|cada)\b")),
    (
        "month",
        re.compile(
            r"\b(january|february|march|april|may|june|july|august|september|october|november|"
            r"december|month|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
            r"setiembre|octubre|noviembre|diciembre|mes)\b"
        ),
    ),
    ("week", re.compile(r"\b(week|semana)\b")),
    ("day", re.compile(r"\b(day|today|yesterday|dia|hoy|ayer)\b")),
    ("year", re.compile(r"\b(year|years|ano|anos|(19|20)\d\d)\b")),
)


def period_kind(period: str | None) -> str | None:
    """'in November' -> month, 'per day' -> rate, 'in 2023' -> year; None when unknown."""
    text = fold(period or "").strip()
    return next((kind for kind, pattern in _PERIOD_KINDS if pattern.search(text)), None)


def previous_hit(figure: KeyFigure, history: Sequence[WatchHit]) -> WatchHit | None:
    """The last value seen for the same counted thing and period: the same period as written
    if there is one, else the newest of the same kind (November after December, not a yearly
    total after a monthly one). A figure without a period is compared with nothing: two death
    tolls without a date are usually two different events."""
    kind = period_kind(figure.period)
    if figure.period is None:
        return None
    wanted = fold(figure.period)
    same = [hit for hit in history if hit.period and fold(hit.period) == wanted]
    if same:
        return same[0]
    if kind is None:
        return None
    return next((hit for hit in history if period_kind(hit.period) == kind), None)


def change_percent(value: float, before: float) -> float | None:
    return None if before == 0 else (value - before) / abs(before) * 100


def should_alert(watch: Watch, value: float, previous: WatchHit | None) -> bool:
    """The watch's condition: any value, above N, below N, or a change of at least P%."""
    if watch.condition is None or watch.threshold is None:
        return True
    if watch.condition == "above":
        return value > watch.threshold
    if watch.condition == "below":
        return value < watch.threshold
    if previous is None:
        return False  # nothing to compare with yet: the first value is only remembered
    change = change_percent(value, previous.value)
    return change is not None and abs(change) >= watch.threshold
