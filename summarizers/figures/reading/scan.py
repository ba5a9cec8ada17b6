"""The number scanner: reads digits, spelled numbers, scales, currency, % and units."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from summarizers.figures.reading.patterns import (
    GLUED_DIGITS,
    GLUED_GATE,
    UNICODE_FRACTIONS,
    NumberPatterns,
    patterns,
)
from summarizers.figures.reading.spelled import (
    Span,
    extend_spelled,
    fraction_value,
    spelled_spans,
    word_class,
)
from summarizers.figures.reading.style import NumberStyle, language_style, pesos_or_dollars
from summarizers.figures.reading.words import CURRENCY_PREFIXES, MEASURE_UNITS, fold_case, set_of

_GROUPED = {",": re.compile(r"\d{1,3}(?:,\d{3})+"), ".": re.compile(r"\d{1,3}(?:\.\d{3})+")}
_ABBREVIATED = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mil": 1e6, "b": 1e9, "bn": 1e9}
_SPACES_AND_FRACTIONS = re.compile(rf"[\s\u00a0\u202f{''.join(UNICODE_FRACTIONS)}]")
_MINUS_WORD = re.compile(r"\b(?:minus|negative)\s+\Z", re.IGNORECASE)
_PLURAL_NEXT = re.compile(r"\s+(?:[A-Za-z]+s\b|people|children|of\b|personas|de\b)")
_ABBREVIATED |= {"t": 1e12, "tn": 1e12, "trn": 1e12}
_BITS = re.compile(r"[KMGTP]b")  # a capital prefix and a small b: bits, as networks count
_NATIONALITY = re.compile(
    r"\s+((?:estadounidenses|americanos|norteamericanos|canadienses|australianos|mexicanos"
    r"|argentinos|chilenos|colombianos|uruguayos|dominicanos|cubanos|filipinos))\b",
    re.IGNORECASE,
)
_NATIONAL_CURRENCIES = {
    ("USD", "canad"): "CAD", ("USD", "austr"): "AUD", ("MXN", "argen"): "ARS",
    ("MXN", "chile"): "CLP", ("MXN", "colom"): "COP", ("MXN", "urugu"): "UYU",
    ("MXN", "domin"): "DOP", ("MXN", "cuban"): "CUP", ("MXN", "filip"): "PHP",
}  # fmt: skip
_CENTS = re.compile(
    r"\s+(?:con|y|and)\s+(\d{1,2})(?:\s+(?:centavos|c[ée]ntimos|cents)\b|(?=\s*(?:[.;)]|,\s|$)))",
    re.IGNORECASE,
)


_NOUN_AFTER = re.compile(r"\s+([a-z][\w-]*)")
# Words that may follow a fraction ("a third of", "a fifth more"), where an ordinal would not.
_AFTER_FRACTION = set_of(
    "of more less fewer higher lower larger smaller bigger and or to in on at by from over since"
    " last this that the a an than compared between during for with year years"
)


def _digits_value(digits: str, decimal_mark: str) -> float:
    fraction = UNICODE_FRACTIONS.get(digits[-1], 0.0)
    digits = _SPACES_AND_FRACTIONS.sub("", digits)
    if not digits:
        return fraction
    spanish = decimal_mark == ","
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif "," in digits:
        grouped = _GROUPED[","].fullmatch(digits) and (not spanish or digits.count(",") > 1)
        decimal = "" if grouped else ","
    elif "." in digits:
        grouped = _GROUPED["."].fullmatch(digits) and (spanish or digits.count(".") > 1)
        decimal = "" if grouped and not digits.startswith("0") else "."
    else:
        decimal = ""
    grouping = {",": ".", ".": ",", "": ",."}[decimal]
    for separator in grouping:
        digits = digits.replace(separator, "")
    return float(digits.replace(",", ".")) + fraction


def _read_number(text: str, match: re.Match[str], p: NumberPatterns) -> list[Span]:
    if match.group("words"):
        return spelled_spans(text, match.start(), match.end(), p)
    surface = match.group()
    if match.group("vague"):
        value = next(
            v for rx, v in p.lex.vague if _matches_at(rx, text, match.start(), match.end())
        )
        return [Span(match.start(), match.end(), value)]
    if match.group("fraction"):
        numerator, denominator = re.split(r"[\s-]+", fold_case(surface))
        value, kind = fraction_value(p.lex.cardinals.get(numerator, 1.0), denominator, p.lex)
        if numerator in p.lex.articles and denominator in p.lex.ordinals:
            noun = _NOUN_AFTER.match(text, match.end())
            by = text[max(0, match.start() - 3) : match.start()].lower() == "by "
            if noun and noun.group(1).lower() not in _AFTER_FRACTION and not by:
                kind = "ordinal"  # "a fifth soldier was wounded"; "a fifth of", "by a third."
        return [Span(match.start(), match.end(), value, kind=kind)]
    if match.group("ordinal"):
        words = re.split(r"[\s-]+", fold_case(surface))
        value = sum(p.lex.ordinals.get(w, p.lex.cardinals.get(w, 0.0)) for w in words)
        return [Span(match.start(), match.end(), value, kind="ordinal")]
    plain = surface.isdigit()
    if "/" in surface:
        *whole, numerator, denominator = re.split(r"[\s/]+", surface)  # "3/4", "10 1/2"
        value = int(numerator) / int(denominator) + sum(int(w) for w in whole)
        return [Span(match.start(), match.end(), value)]
    return [Span(match.start(), match.end(), _digits_value(surface, p.decimal_mark), plain=plain)]


def _matches_at(pattern: str, text: str, start: int, end: int) -> bool:
    """Whether ``pattern`` (which may look ahead past ``end``) matches ``text[start:end]``."""
    match = re.compile(pattern, re.IGNORECASE).match(text, start)  # re caches the compiled form
    return match is not None and match.end() == end


def _add_context(
    text: str, span: Span, p: NumberPatterns, is_digits: bool, style: NumberStyle
) -> None:
    """Widen ``span`` over a scale, currency, percent sign, unit or ordinal suffix around it."""
    end = span.end
    if is_digits and (m := p.abbreviated_scale.match(text, end)) and _is_scale(text, span, m):
        span.scale = _ABBREVIATED[m.group(m.lastindex or 1).lower()]
        end = m.end()
    elif m := p.scale_words.match(text, end):
        for word in fold_case(m.group(1)).split():
            if word != "de":
                span.scale *= word_class(word, p.lex)[1]
        end = m.end()
    if span.scale > 1 and (m := p.and_a_half.match(text, end)):
        span.value += 0.5
        end = m.end()
    span.value *= span.scale
    bare_dollar = False
    if m := p.currency_before.search(text, max(0, span.start - 8), span.start):
        symbol = fold_case(m.group(1))
        currency, bare_dollar = CURRENCY_PREFIXES[symbol], symbol == "$"
        if bare_dollar and p.lex.decimal_separator == ",":  # Spanish: pesos or dollars
            named = pesos_or_dollars(text)
            currency = style.peso if named == "peso" else named or style.dollar
        span.kind, span.unit, span.start = "money", currency, m.start()
    if m := p.percent.match(text, end):
        span.kind, span.unit, end = "percent", "%", m.end()
    elif (m := p.currency_after.match(text, end)) and (
        span.kind != "money" or (bare_dollar and m.group(1))  # "$5.000 millones de pesos"
    ):
        word = fold_case(m.group(1) or m.group(2) or "")
        if word in ("pounds", "libras") and span.scale == 1:
            span.kind, span.unit = "measure", "lb"
        else:
            symbols = {"pounds": "GBP", "libras": "GBP"} | CURRENCY_PREFIXES
            span.kind, span.unit = "money", symbols.get(word) or p.lex.currency_words[word]
            if span.unit == "MXN" and word.startswith("peso"):
                span.unit = style.peso  # pesos of the article's country
        end = m.end()
        if nationality := _NATIONALITY.match(text, end):  # "pesos argentinos", "dólares
            money = fold_case(nationality.group(1))  # estadounidenses": whose currency
            span.unit = _NATIONAL_CURRENCIES.get((span.unit, money[:5]), span.unit)
            end = nationality.end()
        if span.scale == 1 and (cents := _CENTS.match(text, end)):
            span.value += int(cents.group(1)) / 100  # "15 dólares con 50", "3 euros y 99 céntimos"
            end = cents.end()
    elif span.kind != "money" and (m := p.measure.match(text, end)):
        unit = " ".join(fold_case(m.group(1)).split())
        span.kind, span.unit, end = "measure", MEASURE_UNITS[unit], m.end()
        if _BITS.fullmatch(m.group(1)):  # "1.14Tb" is terabits; "1.14TB" terabytes
            span.unit = f"{m.group(1)[0]}bit"
    elif is_digits and span.scale == 1 and (m := p.ordinal_suffix.match(text, end)):
        span.kind, end = "ordinal", m.end()
    if is_digits and _is_minus_sign(text, span.start - 1):
        span.start, span.value = span.start - 1, -span.value
    elif m := _MINUS_WORD.search(text, max(0, span.start - 10), span.start):
        span.start, span.value = m.start(), -span.value
    span.plain = span.plain and span.kind == "count" and span.scale == 1 and end == span.end
    span.end = end


def _is_scale(text: str, span: Span, abbreviation: re.Match[str]) -> bool:
    """ "£10m" and "10m people" are millions; "1.8m tall" and "the 100m sprint" are metres;
    in Spanish "US$5 mm" is five million dollars, "7,62 mm" a calibre."""
    short = abbreviation.group(abbreviation.lastindex or 1)
    if short not in ("m", "M", "mm"):
        return True
    money = bool(re.search(r"[$£€¥]\s?\Z", text[max(0, span.start - 3) : span.start]))
    return money or (short != "mm" and bool(_PLURAL_NEXT.match(text, abbreviation.end())))


def _is_minus_sign(text: str, index: int) -> bool:
    """A "-" before digits is a sign at the start or after a space or bracket, not in "10-20"."""
    return index >= 0 and text[index] in "-−" and (index == 0 or text[index - 1] in " (=\t\n")


def _divide(text: str, span: Span, start: int, p: NumberPatterns) -> None:
    """ "uno sobre tres", "1 sobre 3": a fraction (not a year: "5 sobre 2023" stays apart)."""
    match = p.core.match(text, start)
    if match is None or not (match.group("words") or match.group("digits")):
        return
    (denominator, *_) = _read_number(text, match, p)
    if denominator.value and (not match.group("digits") or len(match.group()) <= 3):
        span.value /= denominator.value
        span.end, span.plain = denominator.end, False


def find_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can only match at one of ``starts`` (in
    order): trying a long pattern at a few places beats trying it at every position."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            end = match.end()
            yield match


def scan(text: str, lang: str, style: NumberStyle | None = None) -> list[Span]:
    """Every quantity-like number in ``text``, before years, names and ranges are told apart."""
    style = style or language_style(lang)
    p = patterns(lang, style.decimal_mark)
    spans: list[Span] = []
    folded = fold_case(text)  # as long as ``text``: the positions hold in both
    starts = (start.start() for start in p.starts.finditer(folded))
    matches: Iterable[re.Match[str]] = find_at(p.core, text, starts)
    if GLUED_GATE.search(folded):  # "Q179 millones", "Rs25 lakh": rare, read apart
        glued = (p.glued.match(text, digit.start()) for digit in GLUED_DIGITS.finditer(folded))
        matches = sorted([*matches, *filter(None, glued)], key=lambda match: match.start())
    for match in matches:
        if spans and match.start() < spans[-1].end:
            continue  # a scale or unit word already read with the number before it
        for span in _read_number(text, match, p):
            if match.group("words") or match.group("fraction"):
                extend_spelled(text, span, p)
            if p.over and span.kind == "count" and (over := p.over.match(text, span.end)):
                _divide(text, span, over.end(), p)
            _add_context(text, span, p, bool(match.group("digits")), style)
            if not spans or spans[-1].end <= span.start:
                spans.append(span)
    return spans
