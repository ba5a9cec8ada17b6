"""Find the numbers in a text and read their values: digits, spelled numbers, money, %, units.

Hand-written rules rather than a library, on purpose: quantulum3 and Recognizers-Text are
English-first and take milliseconds per sentence, and text2num rewrites spelled numbers without
keeping their offsets or reading "1.5bn", "half a million" or "tens of thousands". We need exact
offsets into the sentence, years, dates, phone numbers and names ("Apollo 11") set apart, and
each language's separators (English 1,000 is Spanish 1.000).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from summarizers.figures.reading.invisible import strip_format_characters
from summarizers.figures.reading.patterns import patterns
from summarizers.figures.reading.protected import DECADE
from summarizers.figures.reading.scan import Span, find_at, scan
from summarizers.figures.reading.style import NumberStyle
from summarizers.figures.reading.words import MEASURE_UNITS, set_of

QUANTITY_KINDS = frozenset({"count", "percent", "money", "measure", "range"})


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number found in a text; ``surface`` is ``text[start:end]``."""

    value: float
    surface: str
    start: int
    end: int
    kind: str  # count|percent|money|measure|range|year|date|time|ordinal|phone|code|furniture
    unit: str | None = None  # "%", ISO currency code, or a short measure unit ("mi", "km")
    high: float | None = None  # the upper end of a range ("10-20" -> value 10, high 20)


_DIGIT_RUN = re.compile(r"\d+")
_FIRST_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_KNOWN_SUFFIXES = set_of(
    "k m mm mn bn b tn trn t mil st nd rd th s am pm h hr hrs x lbs km2 cl ro ra do da er era p"
    " to ta vo va mo ma no na usd eur gbp btc cad aud e m2 mi2 cm2 m3"
    " thousand million billion trillion millones millón mil"  # glued: "51million", "£10million"
) | {unit.lower() for unit in MEASURE_UNITS if " " not in unit}
_NOT_CODE_PREFIXES = set_of(
    "mid pre post late early non anti over under sub ex top up usd eur gbp cad aud us rs bs"
)
_NAME_HEADS = set_of(
    "apollo section route chapter article room flight gate level phase stage title part page"
    " volume vol episode season act proposition prop amendment highway interstate channel number"
    " no windows version model grade category class platform terminal building station unit"
    " figure table paragraph clause item step district ward precinct pier track line exit war"
    " boeing airbus falcon soyuz artemis voyager iphone galaxy pixel sección artículo capítulo"
    " ruta página número título comuna colonia distrito zona calle avenida avda carretera autopista"
    " decreto ley expediente vuelo línea puerta sala juzgado manzana edificio piso región inciso"
    " fracción apartado párrafo nº núm"
)
_NOT_NAME_WORDS = set_of(
    "the a an about around some nearly almost over under more less fewer up at in on by for with"
    " of to from between and or but only just roughly approximately exactly last this that these"
    " those another all since until after before during when while than estimated least most"
    " mr mrs ms dr unos unas más menos casi alrededor hasta entre de en el la los las"
)
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“]))([^\W\d_][\w.&]*)\s+\Z")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“]\s+)\Z")
_NEXT_IS_LOWER_WORD = re.compile(r"\s+[a-z]")
_INDEX_AFTER = re.compile(r"\s+(?:index|indices|índice)\b")
_YEAR_PREPOSITION = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|of|the|during|before|after|through|en|desde|del?"
    r"|hasta)\s+|\b(?:pre|post|mid|early|late)-)\Z",  # "the pre-1967 borders"
    re.IGNORECASE,
)
_QUALIFIER_BEFORE = re.compile(
    r"\b(?:about|around|some|nearly|almost|over|than|to|least|roughly|approximately|estimated"
    r"|unos|unas|de|casi)\s+\Z",
    re.IGNORECASE,
)
_PLURAL_AFTER = re.compile(
    r"\s+(?!(?:was|has|is|as|his|this|its|us|thus|plus|always|perhaps|less|across|unless|does)\b)"
    r"(?:[a-z]+s|people|children|men|women|police|staff|personnel)\b"
)
_VOTE_AFTER = re.compile(r"\s+(?:votes?|majority|vote\s+margin|votos?|votación)\b", re.I)
_RANGE_GAP = re.compile(r"-?\s*(?:-|–|—|to|a|al|hasta)\s*", re.IGNORECASE)  # "200- to 300-seat"
_PAIR_GAP = re.compile(r"\s*(?:and|y)\s*", re.IGNORECASE)
_BETWEEN_BEFORE = re.compile(r"\b(?:between|entre)\s+\Z", re.IGNORECASE)
# "rose by 17,000 to 4.483 million", "increased from £6 to £10", "pasó de 10 a 20": a change and
# a level (or an old and a new level), two figures rather than a range.
_CHANGE_BEFORE = re.compile(
    r"(?:\bby|\b(?:rose|risen|rising|fell|fallen|falling|increas\w*|decreas\w*|rais\w*|cut"
    r"|grew|grown|jump\w*|dropp\w*|climb\w*|soar\w*|slipp\w*|declin\w*|went|moved|changed"
    r"|doubled|halved)\b(?:\s+[^\W\d]+){0,3}\s+from|\b(?!rang|vari)[^\W\d_]{3,}ed\s+from|\b(?:pas|aument|sub|baj|creci|cay|elev|redu)"
    r"\w*(?:\s+[^\W\d]+){0,2}\s+de)\s+\Z",
    re.IGNORECASE,
)


def parse_number(phrase: str, lang: str = "en", style: NumberStyle | None = None) -> float | None:
    """The value of the number written in ``phrase`` ("two million" -> 2000000.0), else None."""
    phrase = strip_format_characters(phrase)
    spans = [span for span in scan(phrase, lang, style) if math.isfinite(span.value)]
    if not spans:
        return None
    return max(spans, key=lambda s: s.end - s.start).value


def find_numbers(
    text: str, lang: str = "en", style: NumberStyle | None = None
) -> list[NumberMention]:
    """All numbers in ``text`` in order, each with its kind, value and offsets.

    ``style`` says how to read "1,000" and a bare "$" (see number_style); by default, as the
    language writes them: English "1,000" is 1000 and "1.000" is 1.0, Spanish the other way.
    """
    claimed = _protected_spans(text, lang)
    taken = [(s.start, s.end) for s in claimed]
    for span in scan(text, lang, style):
        if not any(span.start < end and start < span.end for start, end in taken):
            if span.plain:
                span.kind = _plain_kind(text, span)
            claimed.append(span)
    # "1e400" or a 400-digit count overflows a float: no figure is better than infinity.
    claimed = [s for s in claimed if s.kind != "skip" and math.isfinite(s.value)]
    claimed.sort(key=lambda s: s.start)
    return [_mention(text, span, high) for span, high in _join_ranges(text, claimed)]


def _protected_spans(text: str, lang: str) -> list[Span]:
    """Dates, times, phone numbers, codes and page furniture: numbers that are not amounts."""
    spans: list[Span] = []
    digit_runs = [run.start() for run in _DIGIT_RUN.finditer(text)]
    if not digit_runs:  # every protected pattern holds a digit, but "la década de los noventa"
        if "década" in text or "años" in text:
            spans = [Span(m.start(), m.end(), 0.0, kind="year") for m in DECADE.finditer(text)]
        return spans
    p = patterns(lang)
    # Most numbers are plain amounts: the runs of digits where no pattern fits are dropped first.
    digit_runs = [start for start in digit_runs if p.any_at_digits.match(text, start)]
    for rule in p.protected:
        if rule.gate and not rule.gate.search(text):
            continue
        if rule.at_digits:
            matches = find_at(rule.pattern, text, digit_runs)
        else:
            matches = rule.pattern.finditer(text)
        for m in matches:
            if any(m.start() < s.end and s.start < m.end() for s in spans):
                continue
            numbers = _FIRST_NUMBER.findall(m.group())
            if rule.kind == "code" and not _is_code(m.group()):
                continue
            if rule.kind == "score-descending":
                low, high = (int(n) for n in m.group().split("-"))
                if low <= high:
                    continue  # "10-20 people": a range
            if rule.kind == "year" and not _close_years(m.group()):
                continue  # "1500-2000 people" is a range of counts, not of years
            if rule.kind == "date":
                numbers = [n for n in numbers if len(n) == 4] or numbers
            value = float(numbers[0]) if numbers else 0.0
            kind = "score" if rule.kind == "score-descending" else rule.kind
            if kind == "score" and _VOTE_AFTER.match(text, m.end()):
                kind = "count"  # "approved by a 53-40 vote": the votes for
            spans.append(Span(m.start(), m.end(), value, kind=kind))
    return spans


def _close_years(text: str) -> bool:
    """ "2022-2023" and "2022-23" are years; "1500-2000" is too far apart to be."""
    years = re.findall(r"\d+", text)
    return len(years) < 2 or len(years[-1]) != 4 or 0 < int(years[-1]) - int(years[0]) <= 10


def _is_code(token: str) -> bool:
    """G7, F-16, COVID-19, 5G, MH370 are names; 10km, 1990s, 21st, mid-2023 are not."""
    letters = re.findall(r"[A-Za-z]+", token)
    if not letters:
        return True  # "9/11", "24/7"
    if token.lower() in _KNOWN_SUFFIXES:
        return False  # "km2" in "190 km2"
    if re.fullmatch(r"Q\d[\d.,]*", token):
        return token[1:] in ("1", "2", "3", "4")  # "Q3" is a quarter; "Q179 millones" quetzales
    if token[0].isdigit():
        if re.fullmatch(r"\d+[A-Z]+\d+", token):
            return True  # "7E7", "4G5": capitals between digits name a model, not "1e6" or "km2"
        return letters[0].lower() not in _KNOWN_SUFFIXES
    return letters[0].lower() not in _NOT_CODE_PREFIXES


def _plain_kind(text: str, span: Span) -> str:
    """A bare integer is a year, a name ("Route 66") or a count, judged from its neighbours."""
    before = text[max(0, span.start - 40) : span.start]
    word = _WORD_BEFORE.search(before)
    if word:
        head = word.group(1).rstrip(".").lower()
        if head in _NAME_HEADS or text[span.start - 1] == "#":
            return "code"
        capitalized = word.group(1)[0].isupper() and head not in _NOT_NAME_WORDS
        at_start = _SENTENCE_START.search(before[: word.start()] or "")
        named = not _NEXT_IS_LOWER_WORD.match(text, span.end) or _INDEX_AFTER.match(text, span.end)
        if capitalized and not at_start and named:  # "Route 66", "the S&P 500 index"
            return "code"
    if 1500 <= span.value <= 2100 and span.end - span.start == 4:
        if _YEAR_PREPOSITION.search(before):
            return "year"
        if _QUALIFIER_BEFORE.search(before) or _PLURAL_AFTER.match(text, span.end):
            return "count"
        return "year"
    return "count"


def _join_ranges(text: str, spans: list[Span]) -> list[tuple[Span, float | None]]:
    """Pair "10-20", "10 to 20" and "between 10 and 20" into ranges; others pass through."""
    joined: list[tuple[Span, float | None]] = []
    index = 0
    while index < len(spans):
        low = spans[index]
        high = spans[index + 1] if index + 1 < len(spans) else None
        if high and low.kind in QUANTITY_KINDS and high.kind in QUANTITY_KINDS:
            gap = text[low.end : high.start]
            between = _BETWEEN_BEFORE.search(text, max(0, low.start - 12), low.start)
            same_unit = low.unit is None or low.unit == high.unit
            if (
                same_unit
                and (_RANGE_GAP.fullmatch(gap) or (between and _PAIR_GAP.fullmatch(gap)))
                and not _CHANGE_BEFORE.search(text, max(0, low.start - 60), low.start)
            ):
                value = low.value
                if low.scale == 1 and high.scale > 1 and value * high.scale <= high.value * 10:
                    value *= high.scale  # "between 2 and 3 million"
                unit = high.unit or low.unit
                merged = Span(low.start, high.end, value, kind="range", unit=unit)
                joined.append((merged, high.value))
                index += 2
                continue
        joined.append((low, None))
        index += 1
    return joined


def _mention(text: str, span: Span, high: float | None) -> NumberMention:
    surface = text[span.start : span.end]
    return NumberMention(span.value, surface, span.start, span.end, span.kind, span.unit, high)
