"""The period a figure covers ("in November", "per day", "en lo que va del año"), per language.

English periods are given in a few canonical forms ("per day", "fiscal years 2022 and 2023");
Spanish ones stay in Spanish, as written, except the rates, which read "por día", "por mes"...
"""

from __future__ import annotations

import re
from collections.abc import Callable

from summarizers.figures.reading.numbers import NumberMention
from summarizers.figures.reading.words import fold_case

MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTHS_ES = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
MONTHS_ES += "|noviembre|diciembre"
_MONTHS = f"(?:{MONTHS_EN}|{MONTHS_ES})"
_UNITS = r"(?:day|night|week|month|year|hour|quarter)"
_UNIT_NAMES = tuple(_UNITS[3:-1].split("|"))
_YEAR = r"(?:19|20)\d\d"
_FISCAL = ("fiscal", "financial")
_ES_UNITS = {"día": "día", "dia": "día", "semana": "semana", "mes": "mes", "año": "año"}
_ES_RATE_WORDS = {"diari": "día", "semanal": "semana", "mensual": "mes", "anual": "año"}

_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:y|que|pero|mientras)\s", re.IGNORECASE)
# A period belongs to its own clause: not across "; ", a closing bracket or a new clause.
_CLAUSE_BREAK_EN = re.compile(r";|\s(?:but|while|whereas|and|which|who)\s", re.IGNORECASE)
_CLAUSE_BEFORE = re.compile(
    r"[;)]|\s(?:but|while|whereas|and|pero|mientras|aunque)\s|,\s+y\s", re.IGNORECASE
)

# (pattern, replacement: a template, None to keep the matched text, or a function of the match;
# words in lower case the pattern cannot match without: a window holding none of them skips it)
Template = str | Callable[[re.Match[str]], str] | None
Period = tuple[re.Pattern[str], Template, tuple[str, ...]]


def _periods(*rules: tuple[str, Template, tuple[str, ...]]) -> tuple[Period, ...]:
    return tuple((re.compile(rx, re.IGNORECASE), template, needs) for rx, template, needs in rules)


_PERIODS_EN = _periods(
    (rf"\b(?:both\s+)?in\s+the\s+({_YEAR})\s+and\s+(?:the\s+)?({_YEAR})\s+(fiscal|financial)"
     r"\s+years\b", r"\3 years \1 and \2", _FISCAL),
    (rf"\bthe\s+({_YEAR})\s+(fiscal|financial)\s+year\b", r"\2 year \1", _FISCAL),
    (rf"\b(?:fiscal|financial)\s+years?\s+{_YEAR}(?:\s*(?:and|-|–|to)\s*{_YEAR})?\b", None,
     _FISCAL),
    (rf"\bin\s+a\s+single\s+{_UNITS}\b", None, ("single",)),
    (rf"\b(?:every|each|per|a)\s+({_UNITS})\b(?!\s+(?:ago|after|before|earlier|later))",
     r"per \1", _UNIT_NAMES),
    (r"\b(daily|nightly|weekly|monthly|yearly|annually|hourly)\b", None,
     ("daily", "nightly", "weekly", "monthly", "yearly", "annually", "hourly")),
    (rf"\b(?:so\s+far\s+)?this\s+{_UNITS}\b|\bso\s+far\s+this\s+year\b", None, ("this",)),
    (rf"\b(?:last|next|past)\s+{_UNITS}\b", None, ("last", "next", "past")),
    (r"\b(?:in|over|during)\s+the\s+(?:past|last|previous|next|first|coming)\s+"
     rf"(?:\d+\s+|two\s+|three\s+|few\s+|several\s+|six\s+|12\s+)?{_UNITS}s?\b", None,
     ("past", "last", "previous", "next", "first", "coming")),
    (rf"\b(?:in|during|since|through|throughout|by)\s+(?:early\s+|late\s+|mid-?)?"
     rf"(?:{MONTHS_EN})(?:\s+{_YEAR})?\b", None, tuple(MONTHS_EN.lower().split("|"))),
    (rf"\b(?:in|since|by|during|between)\s+{_YEAR}(?:\s+and\s+{_YEAR})?\b", None, ("19", "20")),
)  # fmt: skip


def _rate(match: re.Match[str]) -> str:
    """ "al día", "cada semana", "diarios", "mensualmente" -> "por día", "por semana"..."""
    word = fold_case(match.group(1))
    unit = _ES_UNITS.get(word) or next(u for w, u in _ES_RATE_WORDS.items() if word.startswith(w))
    return f"por {unit}"


def _past(match: re.Match[str]) -> str:
    """ "del año pasado" -> "el año pasado", "de la semana pasada" -> "la semana pasada"."""
    text = " ".join(match.group().split())
    return re.sub(r"^(?:de\s+la|del)\b", lambda m: "la" if "la" in m.group() else "el", text)


_LAST_ES = r"(?:últim[oa]s?|ultim[oa]s?|pasad[oa]s|primer[oa]?s?|próxim[oa]s?|proxim[oa]s?)"
_SPAN_ES = r"(?:días|semanas|meses|años|horas|trimestres|semestres|año|mes|trimestre|semestre)"
_PERIODS_ES = _periods(
    (rf"\b(?:en\s+)?(?:(?:el|los)\s+)?años?\s+fiscal(?:es)?\s+(?:de\s+)?{_YEAR}"
     rf"(?:\s*(?:y|-|–|al?)\s*{_YEAR})?\b", None, ("fiscal",)),
    (rf"\ben\s+lo\s+que\s+va\s+(?:del|de\s+est[ea]|de)\s+(?:año|mes|semana|{_YEAR})\b", None,
     ("lo que va",)),
    (r"\ben\s+un\s+s[oó]lo\s+(?:día|mes|año|fin\s+de\s+semana)\b", None, ("solo", "sólo")),
    (r"\b(?:al|por|cada|a\s+la)\s+(d[ií]a|semana|mes|año)\b"
     r"(?!\s+(?:siguiente|anterior|de\s+hoy|de\s+la\s+fecha))", _rate,
     ("día", "dia", "semana", "mes", "año")),
    (r"\b(diari[oa]s?|diariamente|semanal(?:es|mente)?|mensual(?:es|mente)?|anual(?:es|mente)?)"
     r"\b", _rate, ("diari", "semanal", "mensual", "anual")),
    (r"\b(?:en\s+)?(?:este|esta)\s+(?:año|semana|mes|trimestre|semestre)\b", None,
     ("este", "esta")),
    (r"\b(?:del?|el|la|de\s+la)\s+(?:año|mes|trimestre|semestre|semana)\s+pasad[oa]\b", _past,
     ("pasad",)),
    (rf"\ben\s+(?:los|las|el|la)\s+{_LAST_ES}\s+(?:(?:\d+|dos|tres|cuatro|cinco|seis|diez"
     rf"|doce|veinticuatro)\s+)?{_SPAN_ES}\b", None,
     ("últim", "ultim", "pasad", "primer", "próxim", "proxim")),
    (rf"\bentre\s+(?:{MONTHS_ES})\s+y\s+(?:{MONTHS_ES})(?:\s+de(?:l)?\s+{_YEAR})?\b", None,
     ("entre",)),
    (rf"\b(?:en|durante|desde|hasta|(?<!\d\s)de)\s+(?:(?:principios|finales|mediados)\s+de\s+)?"
     rf"(?:{MONTHS_ES})(?:\s+(?:de|del)\s+{_YEAR})?\b", None, tuple(MONTHS_ES.split("|"))),
    (rf"\b(?:en|desde|durante|hasta|entre|del)\s+(?:el\s+)?{_YEAR}(?:\s+y\s+(?:el\s+)?{_YEAR})?\b",
     None, ("19", "20")),
)  # fmt: skip


def find_period(
    sentence: str, mention: NumberMention, window: tuple[int, int], lang: str = "en"
) -> str | None:
    """The time span of the figure: the nearest period phrase after it, else the nearest before."""
    after: tuple[int, str] | None = None
    before: tuple[int, str, int] | None = None
    folded = fold_case(sentence[window[0] : window[1]])
    for pattern, template, needs in _PERIODS_ES if lang[:2] == "es" else _PERIODS_EN:
        if not _holds_any(folded, needs):
            continue
        for match in pattern.finditer(sentence, window[0], window[1]):
            if callable(template):
                text = template(match)
            else:
                text = match.expand(template) if template else match.group()
            text = re.sub(r"\s+alone$", "", " ".join(text.split()))
            if match.start() >= mention.end and (after is None or match.start() < after[0]):
                after = (match.start(), text)
            elif match.end() <= mention.start and (before is None or match.start() > before[0]):
                before = (match.start(), text, match.end())
    spanish = lang[:2] == "es"
    if after and (_CLAUSE_BREAK if spanish else _CLAUSE_BREAK_EN).search(
        sentence, mention.end, after[0]
    ):
        after = None  # "60 por ciento y acaba de medir la inflación de abril": not its period
    if before and _CLAUSE_BEFORE.search(sentence, before[2], mention.start):
        before = None  # "$186.3 billion (in 2014), and now $90 billion": 2014 is not its period
    chosen = after or before
    return chosen[1] if chosen else None


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    for word in words:  # noqa: SIM110 (a loop: faster than any() over a generator, per mention)
        if word in text:
            return True
    return False


def is_period_word(word: str) -> bool:
    """ "diarios", "mensuales", "noviembre": words that say when, not what is counted."""
    lower = fold_case(word)
    return lower.startswith(tuple(_ES_RATE_WORDS)) or lower in _PERIOD_WORDS


_PERIOD_WORDS = frozenset([*MONTHS_ES.split("|"), *MONTHS_EN.lower().split("|")])
