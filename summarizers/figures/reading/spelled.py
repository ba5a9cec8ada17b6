"""Values of spelled numbers: "two million", "trescientos cuarenta y siete", fractions, ordinals."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizers.figures.reading.patterns import NumberPatterns
from summarizers.figures.reading.words import NumberLexicon, fold_case

_ZEROS = frozenset({"cero", "zero", "nought", "naught", "oh"})
_NEXT_WORD = re.compile(r"[\s-]+([^\W\d_]+)")
_AT_END = re.compile(r"\bat\s+\Z", re.IGNORECASE)  # "at one point three officers..."


@dataclass(slots=True)
class Span:
    start: int
    end: int
    value: float
    kind: str = "count"
    unit: str | None = None
    scale: float = 1.0  # the multiplier written after the digits: 1e6 for "1.5 million"
    plain: bool = False  # bare digits without separators, scale or unit: a year candidate
    spelled_scale: float = 0.0  # the last scale word of a spelled number: 1e6 for "dos millones"


def spelled_spans(text: str, start: int, end: int, p: NumberPatterns) -> list[Span]:
    """Values of a run of number words, split where the words cannot form one number."""
    lex, spans = p.lex, []
    groups: list[list[float]] = []  # [value, scale] of completed thousand/million groups
    current, last, last_scale, span_start, span_end = 0.0, "", 0.0, start, start
    joined = False  # a joiner ("and", "y") since the last number word
    for token in p.word_token.finditer(text, start, end):
        token_start, token_end, word = token.start(), token.end(), fold_case(token.group())
        if word in lex.joiners or word in lex.articles:
            joined = joined or word in lex.joiners
            continue
        kind, value = word_class(word, lex)
        if last and not _may_follow(last, kind, last_scale, value):
            spans.append(_spelled(span_start, span_end, groups, current, last_scale))
            groups, current, last, last_scale, span_start = [], 0.0, "", 0.0, token_start
        if kind == "half" and last == "unit" and current == 1 and not joined:
            current = 0.0  # "one half", "un medio": a half, not one and a half
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
        last, span_end, joined = kind, token_end, False
    if last:
        spans.append(_spelled(span_start, span_end, groups, current, last_scale))
    return spans


def _spelled(start: int, end: int, groups: list[list[float]], current: float, scale: float) -> Span:
    value = sum(group[0] for group in groups) + current
    return Span(start, end, value, spelled_scale=scale if current == 0 else 0.0)


def word_class(word: str, lex: NumberLexicon) -> tuple[str, float]:
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


def fraction_value(numerator: float, denominator: str, lex: NumberLexicon) -> tuple[float, str]:
    """ "two fifths" -> 0.4; "dos millonésimas" -> 2e-6; but an ordinal written after a number
    in the singular is one ordinal: "dos millonésimo" is the 2,000,000th, "two hundredth" 200th.
    """
    word = fold_case(denominator)
    value = lex.denominators[word]
    singular = not word.endswith("s")
    if singular and numerator > 1 and word in lex.ordinals:
        low = numerator % value  # "quinientos trece millones doce milésimo": 513,012,000th
        return numerator - low + low * value, "ordinal"
    return numerator / value, "count"


def extend_spelled(text: str, span: Span, p: NumberPatterns) -> None:
    """Widen a spelled number over a fraction or decimals written after it: "twenty fifths",
    "dos millonésimo tercero", "dos coma cinco", "seis millones con dos tercios"."""
    following = _NEXT_WORD.match(text, span.end)
    if following is None or fold_case(following.group(1)) not in p.after_spelled:
        return  # most spelled numbers: nothing to add, found with one look at the next word
    if m := p.denominator_after.match(text, span.end):
        span.value, span.kind = fraction_value(span.value, m.group("denominator"), p.lex)
        if span.kind == "ordinal" and m.group("rest"):
            span.value += sum(p.lex.ordinals[fold_case(w)] for w in m.group("rest").split())
        span.end = m.end()
    elif m := p.decimal_point.match(text, span.end):
        if not _AT_END.search(text, 0, span.start) and (decimals := _decimals(text, m.end(), p)):
            span.value += float(f"0.{decimals[0]}")
            span.end = decimals[1]
    elif m := p.joined_part.match(text, span.end):
        if fraction := p.fraction.match(text, m.end()):
            top = p.lex.cardinals.get(fold_case(fraction.group("numerator")), 1.0)
            value, kind = fraction_value(top, fraction.group("denominator"), p.lex)
            if kind == "count":
                span.value += value * (span.spelled_scale or 1.0)  # "3 million and a quarter"
                span.end = fraction.end()
        elif fold_case(m.group().strip()) == "con" and span.value >= 10:
            _add_after_con(text, span, m.end(), p)


def _add_after_con(text: str, span: Span, start: int, p: NumberPatterns) -> None:
    """Spoken Spanish: "once con uno y medio" is 12.5, "doscientos con setenta y uno" 200.71."""
    words = p.core.match(text, start)
    if words is None or not words.group("words"):
        return
    parts = spelled_spans(text, words.start(), words.end(), p)
    if len(parts) == 1 and parts[0].value % 1:
        span.value += parts[0].value
        span.end = parts[0].end
    elif decimals := _decimals(text, start, p):
        span.value += float(f"0.{decimals[0]}")
        span.end = decimals[1]


def _decimals(text: str, start: int, p: NumberPatterns) -> tuple[str, int] | None:
    """The digits of spelled decimals ("cinco" -> "5", "nought four" -> "04", "cero tres")."""
    words = p.core.match(text, start)
    if words is None or not words.group("words"):
        return None
    lex, zeros, rest_start = p.lex, 0, words.end()
    tokens = []
    for token in p.word_token.finditer(text, words.start(), words.end()):
        word = fold_case(token.group())
        if word in lex.joiners or word in lex.articles:
            continue
        if word in _ZEROS and not tokens:
            zeros += 1
            continue
        if not tokens:
            rest_start = token.start()
        tokens.append(word)
    if not tokens:  # "point nought": the zeros were the number
        return "0" * zeros, words.end()
    if len(tokens) > 1 and all(lex.cardinals.get(t, 10) < 10 for t in tokens):
        digits = "".join(str(int(lex.cardinals[t])) for t in tokens)  # "five five": 55
    else:
        parts = spelled_spans(text, rest_start, words.end(), p)
        if len(parts) != 1:
            return None
        digits = str(int(parts[0].value))
    return "0" * zeros + digits, words.end()
