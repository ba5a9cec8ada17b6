"""How a text writes its numbers: which mark is the decimal one, and what a bare "$" stands for.

Each language has its own convention (English 1,000.5, Spanish 1.000,5), but a US Spanish-language
outlet writes "$150,000" and "3.2 por ciento", and a Mexican one means pesos by "$". A number
like "1,000" cannot tell by itself, so the whole article is read first: when its unambiguous
numbers ("3.2", "1,234,567", "12.345,6", "5,3") all follow the other convention, that one is used
for the ambiguous ones too; with no evidence, or evidence both ways, the language decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD_BEFORE = re.compile(r"([^\W\d_][\w.]*)\s*\Z")
# Numbers that only one convention can write. A decimal of one or two digits ("3.2", "5,3")
# counts unless it reads as a time ("a las 7.30", "7.30 h") or a version ("iOS 16.2").
_POINT_DECIMAL = re.compile(
    r"\d,\d{3},\d{3}(?![\d,])|\d,\d{3}\.\d|(?<![\d.,])(?P<decimal>\d{1,3}\.\d{1,2})(?![\d.]|,\d)"
)
_COMMA_DECIMAL = re.compile(
    r"\d\.\d{3}\.\d{3}(?![\d.])|\d\.\d{3},\d|(?<![\d.,])(?P<decimal>\d{1,3},\d{1,2})(?![\d,]|\.\d)"
)
_TIME_AFTER = re.compile(r"\s*(?:h\b|hrs?\b|horas\b|hs\b|[ap]\.?\s?m\b)", re.IGNORECASE)
_TIME_BEFORE = re.compile(r"\b(?:las|la|at)\s+\Z", re.IGNORECASE)
_PESOS = re.compile(r"\bpesos?\b|\bMXN\b|\bMX\$", re.IGNORECASE)
_DOLLARS = re.compile(r"\bd[oó]lar(?:es)?\b|\bUSD\b|\bUS\$|\bdollars?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """How to read ambiguous numbers: "1,000" is 1000 with decimal mark ".", 1 with ","."""

    decimal_mark: str = "."
    dollar: str = "USD"  # the currency of a bare "$" with no currency word near it


def language_style(lang: str) -> NumberStyle:
    """The language's own convention: Spanish writes 1.000,5, English 1,000.5."""
    return NumberStyle(decimal_mark="," if lang.lower().startswith("es") else ".")


def document_style(texts: Iterable[str], lang: str) -> NumberStyle:
    """The convention ``texts`` (one article) follow, from its unambiguous numbers."""
    text = "\n".join(texts)
    default = language_style(lang)
    if not any(char.isdigit() for char in text):
        return default
    point = _evidence(_POINT_DECIMAL, text)
    comma = _evidence(_COMMA_DECIMAL, text)
    mark = default.decimal_mark
    if point and not comma:
        mark = "."
    elif comma and not point:
        mark = ","
    dollar = default.dollar
    if lang.lower().startswith("es") and "$" in text:
        pesos, dollars = bool(_PESOS.search(text)), bool(_DOLLARS.search(text))
        if pesos and not dollars:
            dollar = "MXN"
    return NumberStyle(decimal_mark=mark, dollar=dollar)


def _evidence(pattern: re.Pattern[str], text: str) -> bool:
    for match in pattern.finditer(text):
        if match.group("decimal") is None:
            return True  # a grouping only one convention writes: "1,234,567", "1.234,5"
        start, end = match.span("decimal")
        if _TIME_AFTER.match(text, end) or _TIME_BEFORE.search(text, 0, start):
            continue
        word = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if word and word.group(1)[:1].isupper() and not word.group(1).isupper():
            continue  # "Windows 3.1", "Artículo 5.2": a name
        return True
    return False


def pesos_or_dollars(text: str) -> str | None:
    """The currency a Spanish sentence names, when it names only one: "MXN", "USD" or None."""
    pesos, dollars = bool(_PESOS.search(text)), bool(_DOLLARS.search(text))
    if pesos != dollars:
        return "MXN" if pesos else "USD"
    return None
