"""How an article writes its numbers: its decimal mark, and whose pesos and "$" it means.

Each language has its own convention (English 1,000.5, Spanish 1.000,5), but a US Spanish-language
outlet writes "$150,000" and "3.2 por ciento", and a Mexican one means pesos by "$". A number
like "1,500" cannot tell by itself, so the whole article is read first. Evidence for a convention
is a number only it writes ("3.2", "1,234,567" / "5,3", "12.345,6") or a group of three zeros
("150,000" / "150.000": nobody writes three zero decimals in prose). When all the evidence points
to the other convention, it is used for the ambiguous numbers too; with no evidence, or evidence
both ways (a typo, a quoted figure), the language decides. Pesos are Mexico's unless the article
names one other peso country most ("Buenos Aires", "Indec": Argentina's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

_WORD_BEFORE = re.compile(r"([^\W\d_][\w.]*)\s*\Z")
_SENTENCE_START = re.compile(r"(?:\A|[.!?:;\n]\s*)\Z")  # "Subió 3.2": a capital, not a name
_NUMBER = re.compile(r"\d+(?:[.,]\d+)+")  # digits with separators; classified one by one
_AMBIGUOUS = re.compile(r"\d{1,3}[.,]\d{3}")  # "1,000", "1.500": read by the style
# Numbers that only one convention writes. A decimal of one or two digits ("3.2", "5,3")
# counts unless it reads as a time ("a las 7.30", "7.30 h") or a version ("iOS 16.2").
_POINT_DECIMAL = re.compile(r"\d{1,3}(?:,\d{3}){2,}|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3},000")
_COMMA_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}\.000")
_SHORT_DECIMAL = re.compile(r"\d{1,3}([.,])\d{1,2}")
_TIME_AFTER = re.compile(r"\s*(?:h\b|hrs?\b|horas\b|hs\b|[ap]\.?\s?m\b)", re.IGNORECASE)
_TIME_BEFORE = re.compile(r"\b(?:las|la|at)\s+\Z", re.IGNORECASE)
_MONEY_MARKS = re.compile(r"(?<![^\W\d_])\$(?=\s?\d)|\bpesos?\b", re.IGNORECASE)
_PESOS = re.compile(r"\bpesos?\b|\bMXN\b|\bMX\$", re.IGNORECASE)
_PESO_COUNTRIES = {
    code: re.compile(rf"\b(?:{cues})\b", re.IGNORECASE)
    for code, cues in {
        "MXN": r"méxico|mexican[oa]s?|cdmx|banxico|inegi",
        "ARS": r"argentin[oa]s?|argentina|buenos\s+aires|indec|bcra",
        "CLP": r"chile|chilen[oa]s?|santiago\s+de\s+chile",
        "COP": r"colombia|colombian[oa]s?|bogotá",
        "UYU": r"uruguay|uruguay[oa]s?|montevideo",
        "DOP": r"república\s+dominicana|dominican[oa]s?|santo\s+domingo",
        "CUP": r"cuba|cuban[oa]s?|la\s+habana",
        "PHP": r"filipinas|filipin[oa]s?|manila",
    }.items()
}
_DOLLARS = re.compile(r"\bd[oó]lar(?:es)?\b|\bUSD\b|\bUS\$|\bdollars?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """How to read ambiguous numbers: "1,000" is 1000 with decimal mark ".", 1 with ","."""

    decimal_mark: str = "."
    dollar: str = "USD"  # the currency of a bare "$" with no currency word near it
    peso: str = "MXN"  # the currency of "pesos": Mexico's unless the article is elsewhere


_POINT_STYLE, _COMMA_STYLE = NumberStyle("."), NumberStyle(",")


def language_style(lang: str) -> NumberStyle:
    """The language's own convention: Spanish writes 1.000,5, English 1,000.5."""
    return _COMMA_STYLE if lang[:2].lower() == "es" else _POINT_STYLE


def document_style(texts: Iterable[str], lang: str) -> NumberStyle:
    """The convention ``texts`` (one article) follow, from its unambiguous numbers."""
    text = "\n".join(texts)
    numbers = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if start and text[start - 1] in ".,":
            continue  # the tail of "1.2.3" or ".5"
        if not _SHORT_DECIMAL.fullmatch(match.group()) or _is_decimal(text, start, end):
            numbers.append(match.group())
    # The money marks numbers_style looks for in written amounts: "$5.000", "87 mil pesos".
    numbers += [mark.group() for mark in _MONEY_MARKS.finditer(text)]
    return numbers_style(numbers, lang, lambda: text)


def numbers_style(numbers: Iterable[str], lang: str, text: Callable[[], str]) -> NumberStyle:
    """The convention of an article from its numbers as written ("3.2", "$150,000", "5,3 %":
    quantities, not times or names); ``text`` gives the whole article, asked for only when a
    Spanish article has a bare "$" to tell pesos from dollars by."""
    default = language_style(lang)
    point = comma = ambiguous = bare_dollar = pesos = False
    hints = set()  # the separators of ambiguous numbers: "13,762 internos" is hardly 13.762
    for written in numbers:
        bare_dollar = bare_dollar or written.startswith("$")
        pesos = pesos or "peso" in written.lower()
        for number in _NUMBER.findall(written):
            if _AMBIGUOUS.fullmatch(number):
                ambiguous = True
                point = point or number.endswith(",000")  # nobody writes three zero decimals
                comma = comma or number.endswith(".000")
                if number[0] != "0":
                    hints.add(number[-4])
            elif _POINT_DECIMAL.fullmatch(number):
                point = True
            elif _COMMA_DECIMAL.fullmatch(number):
                comma = True
            elif short := _SHORT_DECIMAL.fullmatch(number):
                point, comma = point or short.group(1) == ".", comma or short.group(1) == ","
    mark = default.decimal_mark
    if ambiguous and point != comma:
        mark = "." if point else ","
    elif ambiguous and not (point or comma) and len(hints) == 1:
        # News writes counts and amounts, seldom three decimals: with no other evidence, an
        # article's "13,762" and "1,200" group thousands with their separator.
        mark = "." if hints == {","} else ","
    dollar, peso = default.dollar, default.peso
    if (bare_dollar or pesos) and lang[:2].lower() == "es":
        whole = text()
        peso = _country_peso(whole)
        if bare_dollar and _PESOS.search(whole) and not _DOLLARS.search(whole):
            dollar = peso
    return NumberStyle(decimal_mark=mark, dollar=dollar, peso=peso)


def _is_decimal(text: str, start: int, end: int) -> bool:
    """ "3.2 por ciento" is a decimal; "a las 7.30", "7.30 h" and "Windows 3.1" are not."""
    if _TIME_AFTER.match(text, end) or _TIME_BEFORE.search(text, max(0, start - 8), start):
        return False
    word = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if not word or not word.group(1)[:1].isupper() or word.group(1).isupper():
        return True
    return bool(_SENTENCE_START.search(text, max(0, word.start() - 4), word.start()))


@lru_cache(maxsize=8)  # asked for every bare "$" of a sentence: once per sentence, not per "$"
def pesos_or_dollars(text: str) -> str | None:
    """The currency a Spanish sentence names, when it names only one: "peso", "USD" or None."""
    pesos, dollars = bool(_PESOS.search(text)), bool(_DOLLARS.search(text))
    if pesos != dollars:
        return "peso" if pesos else "USD"
    return None


def _country_peso(text: str) -> str:
    """Whose pesos an article means: the one peso country it names most ("Buenos Aires",
    "Indec" -> ARS), Mexico's when it names none or ties."""
    counts = {code: len(cues.findall(text)) for code, cues in _PESO_COUNTRIES.items()}
    best = max(counts.values())
    leaders = [code for code, count in counts.items() if count == best]
    return leaders[0] if best and len(leaders) == 1 else "MXN"
