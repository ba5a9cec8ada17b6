"""Compiled regular expressions of the number parser, built once per language from its lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summarizers.figures.reading.protected import ProtectedPattern, any_of, protected_patterns
from summarizers.figures.reading.words import (
    CURRENCY_PREFIXES,
    MEASURE_UNITS,
    NumberLexicon,
    lexicon,
)

_I = re.IGNORECASE
_UNICODE_FRACTIONS = {
    "½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅖": 2 / 5, "⅗": 3 / 5,
    "⅘": 4 / 5, "⅙": 1 / 6, "⅚": 5 / 6, "⅐": 1 / 7, "⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8, "⅞": 7 / 8,
    "⅑": 1 / 9, "⅒": 1 / 10,
}  # fmt: skip
UNICODE_FRACTIONS = _UNICODE_FRACTIONS
_FRACTION_CHARS = "".join(_UNICODE_FRACTIONS)

# Digit groupings, most specific first (a regex alternation takes the first that matches).
_DIGITS = {
    "en": (
        r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)",  # 1,234,567.89
        r"[1-9]\d{0,2}(?:\.\d{3})+,\d+",  # 1.111,11 (continental, quoted in English text)
        r"\d{1,3}(?:\.\d{3}){2,}(?![\d.]\d)",  # 1.234.567
        r"\d+,\d{1,2}(?![\d,])",  # 1,5 read as a decimal comma
    ),
    "es": (
        r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?(?![\d.]\d)",  # 1.234.567,89 and 1.000
        r"\d{1,3}(?:,\d{3})+\.\d+",  # 1,111.11 (anglo grouping, quoted in Spanish text)
        r"\d{1,3}(?:,\d{3}){2,}(?![\d,]\d)",  # 1,234,567
        r"\d+,\d+",  # 1,5 and 1,000 are decimals in Spanish
    ),
}
_DIGITS_COMMON = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])(?:[.,]\d+)?",  # 1 234 567 (SI grouping)
    r"\d{1,3}\s[1-9]/(?:[2-58]|10|16)(?![/\d])",  # 10 1/2
    r"[1-9]/(?:[2-58]|10)(?![/\d])",  # 3/4; not 24/7, 9/11 or a date
    rf"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[{_FRACTION_CHARS}]?",  # "7E7" is a code (protected)
    r"(?<![\d.,])[.,]\d+",  # .5 and ,08
    rf"[{_FRACTION_CHARS}]",
)
# Attached "m", "b", "mil" only ("10m"), a spaced "10 m" is ten metres.
_ABBREVIATIONS = {
    "en": r"(?:\s?(k|K|bn|Bn|mn|tn|trn)|(m|M|MM|b|B|T|mil))(?![^\W_])",
    "es": r"(?:\s?(k|K|MM)|\s?(mm)|(M))(?![^\W_])",  # "7,62 mm" is a calibre, "US$5 mm" money
}
# Where digits glued to a currency letter start, in folded text ("q179", "rs25"); looked for
# only where the quick GLUED_GATE finds a letter before a digit (rare), to keep ``starts`` fast.
GLUED_DIGITS = re.compile(r"(?<=\bq)\d|(?<=\b[rb]s)\d")
GLUED_GATE = re.compile(r"[qs]\d")
_TENS_EN = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"


def _alternation(words: object) -> str:
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _trie(words: set[str]) -> str:
    """A regex matching any of ``words``, as a trie: "t(?:en|wo)" is tried letter by letter,
    far faster than a flat alternation of a hundred words at every position of a text."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        alternatives = [_escape(char) + branch(node[char]) for char in sorted(node) if char]
        if not alternatives:
            return ""
        if "" in node:  # a word may end here: "ten(?:s|th)?"
            return f"(?:{'|'.join(alternatives)})?"
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    return branch(tree)


def _escape(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)  # as in _alternation: "sq km", "sq  km"


def _first_words(lex: NumberLexicon) -> set[str]:
    """The words a spelled number, ordinal or vague phrase can start with (not "a" or "an")."""
    words = {*lex.cardinals, *lex.hundred, *lex.scales, *lex.dozen, *lex.half}
    words |= {*lex.ordinals, *(numerator for numerator in lex.numerators if numerator in words)}
    for pattern, _ in lex.vague:  # "tens\s+of\s+thousands", "(?:dozens|scores)(?=\s+of\b)"
        head = re.match(
            r"(?:\(\?:([^\W\d_|]+(?:\|[^\W\d_]+)*)\)|([^\W\d_]+))(?=\\s|\(\?=)", pattern
        )
        if head is None:
            raise ValueError(f"a vague number must start with its words: {pattern!r}")
        words.update((head.group(1) or head.group(2)).split("|"))
    return {word.split()[0].lower() for word in words}


@dataclass(frozen=True, slots=True)
class NumberPatterns:
    """Every regex the scanner needs for one language."""

    lex: NumberLexicon
    decimal_mark: str  # "." or ",": how "1,000" and "1.000" are read
    core: re.Pattern[str]  # a number: vague phrase, spelled ordinal, digits or spelled cardinal
    starts: re.Pattern[str]  # in fold_case(text): every position where ``core`` may match
    word_token: re.Pattern[str]
    abbreviated_scale: re.Pattern[str]  # 1.5bn, 10k, 2mil, £10m
    scale_words: re.Pattern[str]  # 2 million, 3 mil millones
    and_a_half: re.Pattern[str]
    percent: re.Pattern[str]
    currency_after: re.Pattern[str]
    currency_before: re.Pattern[str]
    measure: re.Pattern[str]
    ordinal_suffix: re.Pattern[str]
    fraction: re.Pattern[str]  # "two thirds", "un centésimo": group "numerator", "denominator"
    denominator_after: re.Pattern[str]  # " fifths", " millonésimo tercero" after a number
    decimal_point: re.Pattern[str]  # " point ", " coma " between spelled numbers
    joined_part: re.Pattern[str]  # " and ", " y ", " con " before a fraction or decimals
    over: re.Pattern[str] | None  # " sobre " in "uno sobre tres"
    after_spelled: frozenset[str]  # the words that may follow a spelled number and extend it
    protected: tuple[ProtectedPattern, ...]  # in order of precedence: dates, times, phones...
    glued: re.Pattern[str]  # ``core`` for digits glued to a currency letter: "Q179", "Rs25"
    any_at_digits: re.Pattern[str]  # every ``protected`` pattern that starts at digits, in one


@lru_cache(maxsize=16)
def patterns(lang: str, decimal_mark: str | None = None) -> NumberPatterns:
    """Compiled patterns for ``lang`` (cached: building them takes a few milliseconds), reading
    digits with ``decimal_mark`` ("." or ","; by default the language's own)."""
    code = lang.lower()[:2] if lang.lower()[:2] in _DIGITS else "en"
    lex = lexicon(code)
    decimal_mark = decimal_mark or lex.decimal_separator
    spelled = _alternation([*lex.cardinals, *lex.hundred, *lex.scales, *lex.dozen, *lex.half])
    joiners = _alternation([*lex.joiners, *lex.articles]) if lex.joiners else "and"
    scale_like = _alternation([*lex.hundred, *lex.scales, *lex.dozen, *lex.half])
    article = (
        rf"(?:(?:{_alternation(lex.articles)})\s+(?=(?:{scale_like})\b))?" if lex.articles else ""
    )
    separator = rf"(?:\s+|\s*-\s*)(?:(?:{joiners})(?:\s+|-)){{0,2}}"  # "five-and-a-half"
    word_number = rf"{article}\b(?:{spelled})\b(?:{separator}\b(?:{spelled})\b)*"
    ordinals = _trie(set(lex.ordinals))
    numerators = _alternation(lex.numerators)
    denominators = _trie(set(lex.denominators))
    if code == "en":
        spelled_ordinal = rf"\b(?:(?:{_TENS_EN})[\s-]+)?(?:{ordinals})\b"
    else:
        spelled_ordinal = rf"\b(?:(?:{ordinals})\s+){{0,3}}(?:{ordinals})\b"
    vague = "|".join(rf"\b{pattern}" for pattern, _ in lex.vague)
    digits = "|".join([*_DIGITS["es" if decimal_mark == "," else "en"], *_DIGITS_COMMON])
    core = (  # the leading look-behind skips the inside of words quickly
        rf"(?<![^\W\d_])(?:(?P<vague>{vague})|(?P<ordinal>{spelled_ordinal})"
        rf"|(?P<fraction>\b(?:{numerators})[\s-]+(?:{denominators})\b)"
        rf"|(?P<digits>(?<![\w.,/])(?:{digits})(?![\d]))"
        rf"|(?<!\bpor\s)(?P<words>{word_number}))"
    )
    # Where a number can start, for the scanner to try ``core`` there only: the start of a word
    # that begins a spelled number (not inside a word: core's look-behind), or of digits.
    first_words = _first_words(lex)
    articles = {*lex.articles, *lex.numerators} - first_words  # "a million", "a third"
    article_start = (
        rf"|{_trie(articles)}(?=[\s-]+(?:{scale_like}|{denominators}))" if articles else ""
    )
    starts = (
        rf"(?<![^\W\d_])(?:{_trie(first_words)}(?![^\W\d_]){article_start}"
        rf"|(?<![\w.,/])(?:[.,]?\d|[{_FRACTION_CHARS}]))"
    )
    all_scales = _alternation([*lex.scales, *lex.hundred, *lex.dozen])
    money_words = _alternation([*lex.currency_words, "pounds", "libras"])
    prefixes = _alternation(CURRENCY_PREFIXES)
    protected = protected_patterns(lex.months, 0 if code == "en" else _I)
    return NumberPatterns(
        lex=lex,
        decimal_mark=decimal_mark,
        core=re.compile(core, _I),
        starts=re.compile(starts),  # case-sensitive, run on fold_case(text): faster
        word_token=re.compile(r"[^\W\d_]+|\d[\d.,]*", re.UNICODE),
        abbreviated_scale=re.compile(_ABBREVIATIONS[code]),
        scale_words=re.compile(
            rf"\s*-?\s*((?:{all_scales})(?:\s+(?:de\s+)?(?:{all_scales}))*)\b", _I
        ),
        and_a_half=re.compile(r"(?:\s+|-)(?:and[\s-]+a[\s-]+half|y\s+medio)\b", _I),
        percent=re.compile(lex.percent, _I),
        currency_after=re.compile(
            rf"\s?(?:de\s+)?(?:US\s+)?({money_words})\b(?!\s*(?:zone|area)\b)"
            r"|\s?([€$£¥])(?!\s?\d)",
            _I,
        ),
        currency_before=re.compile(rf"(?<![^\W\d_])({prefixes})\s?\Z", _I),
        measure=re.compile(rf"\s?-?\s?({_trie(set(MEASURE_UNITS))})(?![^\W\d_])", _I),
        ordinal_suffix=re.compile(rf"{lex.digit_ordinal_suffix}\b"),
        fraction=re.compile(
            rf"(?P<numerator>{numerators})[\s-]+(?P<denominator>{denominators})\b", _I
        ),
        denominator_after=re.compile(
            rf"[\s-]+(?P<denominator>{denominators})\b(?P<rest>(?:\s+(?:{ordinals})\b)*)", _I
        ),
        decimal_point=re.compile(r"\s+(?:point|coma)\s+(?=\w)", _I),
        joined_part=re.compile(rf"\s+(?:{'con|y' if code == 'es' else 'and'})\s+(?=\w)", _I),
        over=re.compile(r"\s+sobre\s+(?=\w)", _I) if code == "es" else None,
        after_spelled=frozenset([*lex.denominators, "point", "coma", "and", "y", "con"]),
        protected=protected,
        glued=re.compile(
            rf"(?P<vague>(?!))?(?P<ordinal>(?!))?(?P<fraction>(?!))?(?P<words>(?!))?"
            rf"(?P<digits>(?:{digits})(?![\d]))"
        ),
        any_at_digits=any_of(rule for rule in protected if rule.at_digits),
    )
