"""The number scanner: reads digits, spelled numbers, scales, currency, % and units."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from summarizers.number_patterns import UNICODE_FRACTIONS, NumberPatterns, patterns
from summarizers.number_words import CURRENCY_PREFIXES, MEASURE_UNITS, NumberLexicon, fold_case


@dataclass(slots=True)
class Span:
    start: int
    end: int
    value: float
    kind: str = "count"
    unit: str | None = None
    scale: float = 1.0  # the multiplier written after the digits: 1e6 for "1.5 million"
    plain: bool = False  # bare digits without separators, scale or unit: a year candidate


_GROUPED = {",": re.compile(r"\d{1,3}(?:,\d{3})+"), ".": re.compile(r"\d{1,3}(?:\.\d{3})+")}
_ABBREVIATED = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mil": 1e6, "b": 1e9, "bn": 1e9}
_SPACES_AND_FRACTIONS = re.compile(r"[\s\u00a0\u202f½⅓⅔¼¾⅕⅛]")
_MINUS_WORD = re.compile(r"\b(?:minus|negative)\s+\Z", re.IGNORECASE)
_PLURAL_NEXT = re.compile(r"\s+(?:[A-Za-z]+s\b|people|children|of\b|personas|de\b)")
_ABBREVIATED |= {"t": 1e12, "tn": 1e12, "trn": 1e12}


def _digits_value(digits: str, lang: str) -> float:
    fraction = UNICODE_FRACTIONS.get(digits[-1], 0.0)
    digits = _SPACES_AND_FRACTIONS.sub("", digits)
    if not digits:
        return fraction
    spanish = lang.lower().startswith("es")
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


def _spelled_spans(text: str, start: int, end: int, p: NumberPatterns) -> list[Span]:
    """Values of a run of number words, split where the words cannot form one number."""
    lex, spans = p.lex, []
    groups: list[list[float]] = []  # [value, scale] of completed thousand/million groups
    current, last, last_scale, span_start, span_end = 0.0, "", 0.0, start, start
    for token in p.word_token.finditer(text, start, end):
        token_start, token_end, word = token.start(), token.end(), fold_case(token.group())
        if word in lex.joiners or word in lex.articles:
            continue
        kind, value = _word_class(word, lex)
        if last and not _may_follow(last, kind, last_scale, value):
            spans.append(Span(span_start, span_end, sum(g[0] for g in groups) + current))
            groups, current, last, last_scale, span_start = [], 0.0, "", 0.0, token_start
        if kind == "scale":
            merged = current
            while groups and groups[-1][1] < value:
                merged += groups.pop()[0]
            groups.append([(merged or 1.0) * value, value])
            current, last_scale = 0.0, value
        elif kind == "hundred":
            current = (current or 1.0) * value
        elif kind == "half" and current == 0 and groups:
            groups[-1][0] += 0.5 * groups[-1][1]
        else:
            current += value
        last, span_end = kind, token_end
    if last:
        spans.append(Span(span_start, span_end, sum(g[0] for g in groups) + current))
    return spans


def _word_class(word: str, lex: NumberLexicon) -> tuple[str, float]:
    if word in lex.scales:
        return "scale", lex.scales[word]
    if word in lex.hundred:
        return "hundred", 100.0
    if word in lex.dozen:
        return "hundred", 12.0  # multiplies like "hundred": "three dozen" is 36
    if word in lex.half:
        return "half", 0.5
    value = lex.cardinals[word]
    if value < 10:
        return "unit", value
    if value < 20 or value % 10:
        return "teen", value  # below 100 and complete: "sixteen", "veintidós"
    return ("tens" if value < 100 else "hunds"), value


def _may_follow(previous: str, kind: str, previous_scale: float, value: float) -> bool:
    if kind == "half":
        return previous != "half"
    if kind == "scale":
        return previous_scale == 0.0 or value > previous_scale or previous != "scale"
    if kind == "hundred":
        return previous in ("unit", "teen", "tens", "half")
    if kind == "unit":
        return previous in ("tens", "hundred", "hunds", "scale")
    return previous in ("hundred", "hunds", "scale")  # "teen", "tens", Spanish hundreds


def _read_number(text: str, match: re.Match[str], p: NumberPatterns, lang: str) -> list[Span]:
    if match.group("words"):
        return _spelled_spans(text, match.start(), match.end(), p)
    surface = match.group()
    if match.group("vague"):
        value = next(
            v for rx, v in p.lex.vague if _matches_at(rx, text, match.start(), match.end())
        )
        return [Span(match.start(), match.end(), value)]
    if match.group("fraction"):
        numerator, denominator = re.split(r"[\s-]+", fold_case(surface))
        top = p.lex.cardinals.get(numerator, 1.0)
        return [Span(match.start(), match.end(), top / p.lex.denominators[denominator])]
    if match.group("ordinal"):
        words = re.split(r"[\s-]+", fold_case(surface))
        value = sum(p.lex.ordinals.get(w, p.lex.cardinals.get(w, 0.0)) for w in words)
        return [Span(match.start(), match.end(), value, kind="ordinal")]
    plain = surface.isdigit()
    if "/" in surface:
        numerator, denominator = surface.split("/")
        return [Span(match.start(), match.end(), int(numerator) / int(denominator))]
    return [Span(match.start(), match.end(), _digits_value(surface, lang), plain=plain)]


def _matches_at(pattern: str, text: str, start: int, end: int) -> bool:
    """Whether ``pattern`` (which may look ahead past ``end``) matches ``text[start:end]``."""
    match = re.compile(pattern, re.IGNORECASE).match(text, start)  # re caches the compiled form
    return match is not None and match.end() == end


def _add_context(text: str, span: Span, p: NumberPatterns, is_digits: bool) -> None:
    """Widen ``span`` over a scale, currency, percent sign, unit or ordinal suffix around it."""
    end = span.end
    if is_digits and (m := p.abbreviated_scale.match(text, end)) and _is_scale(text, span, m):
        span.scale = _ABBREVIATED[(m.group(1) or m.group(2)).lower()]
        end = m.end()
    elif m := p.scale_words.match(text, end):
        for word in fold_case(m.group(1)).split():
            if word != "de":
                span.scale *= _word_class(word, p.lex)[1]
        end = m.end()
    if span.scale > 1 and (m := p.and_a_half.match(text, end)):
        span.value += 0.5
        end = m.end()
    span.value *= span.scale
    if m := p.currency_before.search(text, max(0, span.start - 8), span.start):
        currency = CURRENCY_PREFIXES[fold_case(m.group(1))]
        span.kind, span.unit, span.start = "money", currency, m.start()
    if m := p.percent.match(text, end):
        span.kind, span.unit, end = "percent", "%", m.end()
    elif (m := p.currency_after.match(text, end)) and span.kind != "money":
        word = fold_case(m.group(1) or m.group(2) or "")
        if word in ("pounds", "libras") and span.scale == 1:
            span.kind, span.unit = "measure", "lb"
        else:
            symbols = {"pounds": "GBP", "libras": "GBP"} | CURRENCY_PREFIXES
            span.kind, span.unit = "money", symbols.get(word) or p.lex.currency_words[word]
        end = m.end()
    elif span.kind != "money" and (m := p.measure.match(text, end)):
        unit = " ".join(fold_case(m.group(1)).split())
        span.kind, span.unit, end = "measure", MEASURE_UNITS[unit], m.end()
    elif is_digits and span.scale == 1 and (m := p.ordinal_suffix.match(text, end)):
        span.kind, end = "ordinal", m.end()
    if is_digits and _is_minus_sign(text, span.start - 1):
        span.start, span.value = span.start - 1, -span.value
    elif m := _MINUS_WORD.search(text, max(0, span.start - 10), span.start):
        span.start, span.value = m.start(), -span.value
    span.plain = span.plain and span.kind == "count" and span.scale == 1 and end == span.end
    span.end = end


def _is_scale(text: str, span: Span, abbreviation: re.Match[str]) -> bool:
    """ "£10m" and "10m people" are millions; "1.8m tall" and "the 100m sprint" are metres."""
    if abbreviation.group(2) not in ("m", "M"):
        return True
    money = bool(re.search(r"[$£€¥]\s?\Z", text[max(0, span.start - 3) : span.start]))
    return money or bool(_PLURAL_NEXT.match(text, abbreviation.end()))


def _is_minus_sign(text: str, index: int) -> bool:
    """A "-" before digits is a sign at the start or after a space or bracket, not in "10-20"."""
    return index >= 0 and text[index] in "-−" and (index == 0 or text[index - 1] in " (=\t\n")


def find_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can only match at one of ``starts`` (in
    order): trying a long pattern at a few places beats trying it at every position."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            end = match.end()
            yield match


def scan(text: str, lang: str) -> list[Span]:
    """Every quantity-like number in ``text``, before years, names and ranges are told apart."""
    p = patterns(lang)
    spans: list[Span] = []
    folded = fold_case(text)  # as long as ``text``: the positions hold in both
    starts = (start.start() for start in p.starts.finditer(folded))
    for match in find_at(p.core, text, starts):
        if spans and match.start() < spans[-1].end:
            continue  # a scale or unit word already read with the number before it
        for span in _read_number(text, match, p, lang):
            _add_context(text, span, p, bool(match.group("digits")))
            if not spans or spans[-1].end <= span.start:
                spans.append(span)
    return spans
