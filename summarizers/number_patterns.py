"""Compiled regular expressions of the number parser, built once per language from its lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from summarizers.number_words import CURRENCY_PREFIXES, MEASURE_UNITS, NumberLexicon, lexicon

_I = re.IGNORECASE
_UNICODE_FRACTIONS = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅛": 0.125}
UNICODE_FRACTIONS = _UNICODE_FRACTIONS

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
    r"[1-9]/(?:[2-58]|10)(?![/\d])",  # 3/4; not 24/7, 9/11 or a date
    r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[½⅓⅔¼¾⅕⅛]?",
    r"(?<![\d.,])[.,]\d+",  # .5 and ,08
    r"[½⅓⅔¼¾⅕⅛]",
)
# Attached "m", "b", "mil" only ("10m"), a spaced "10 m" is ten metres.
_ABBREVIATIONS = {
    "en": r"(?:\s?(k|K|bn|Bn|mn|tn|trn)|(m|M|MM|b|B|T|mil))(?![^\W_])",
    "es": r"(?:\s?(k|K|mm|MM)|(M))(?![^\W_])",
}
_TENS_EN = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"


def _alternation(words: object) -> str:
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True, slots=True)
class NumberPatterns:
    """Every regex the scanner needs for one language."""

    lex: NumberLexicon
    core: re.Pattern[str]  # a number: vague phrase, spelled ordinal, digits or spelled cardinal
    word_token: re.Pattern[str]
    abbreviated_scale: re.Pattern[str]  # 1.5bn, 10k, 2mil, £10m
    scale_words: re.Pattern[str]  # 2 million, 3 mil millones
    and_a_half: re.Pattern[str]
    percent: re.Pattern[str]
    currency_after: re.Pattern[str]
    currency_before: re.Pattern[str]
    measure: re.Pattern[str]
    ordinal_suffix: re.Pattern[str]
    protected: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern): dates, times, phones...


@lru_cache(maxsize=8)
def patterns(lang: str) -> NumberPatterns:
    """Compiled patterns for ``lang`` (cached: building them takes a few milliseconds)."""
    code = lang.lower()[:2] if lang.lower()[:2] in _DIGITS else "en"
    lex = lexicon(code)
    spelled = _alternation(
        [*lex.cardinals, *lex.hundred, *lex.scales, *lex.dozen, *lex.half, "cientos"]
    )
    joiners = _alternation([*lex.joiners, *lex.articles]) if lex.joiners else "and"
    scale_like = _alternation([*lex.hundred, *lex.scales, *lex.dozen, *lex.half])
    article = (
        rf"(?:(?:{_alternation(lex.articles)})\s+(?=(?:{scale_like})\b))?" if lex.articles else ""
    )
    separator = rf"(?:\s+|\s*-\s*)(?:(?:{joiners})\s+){{0,2}}"
    word_number = rf"{article}\b(?:{spelled})\b(?:{separator}\b(?:{spelled})\b)*"
    ordinals = _alternation(lex.ordinals)
    numerators = _alternation(lex.numerators)
    denominators = _alternation(lex.denominators)
    if code == "en":
        spelled_ordinal = rf"\b(?:(?:{_TENS_EN})[\s-]+)?(?:{ordinals})\b"
    else:
        spelled_ordinal = rf"\b(?:(?:{ordinals})\s+){{0,3}}(?:{ordinals})\b"
    vague = "|".join(rf"\b{pattern}" for pattern, _ in lex.vague)
    digits = "|".join([*_DIGITS[code], *_DIGITS_COMMON])
    core = (  # the leading look-behind skips the inside of words quickly
        rf"(?<![^\W\d_])(?:(?P<vague>{vague})|(?P<ordinal>{spelled_ordinal})"
        rf"|(?P<fraction>\b(?:{numerators})[\s-]+(?:{denominators})\b)"
        rf"|(?P<digits>(?<![\w.,/])(?:{digits})(?![\d]))"
        rf"|(?<!\bpor\s)(?P<words>{word_number}))"
    )
    all_scales = _alternation([*lex.scales, *lex.hundred, *lex.dozen])
    money_words = _alternation([*lex.currency_words, "pounds", "libras"])
    prefixes = _alternation(CURRENCY_PREFIXES)
    time_zone = r"(?:GMT|BST|UTC|[ECMP][SD]?T)\b"
    months = lex.months
    month_flags = 0 if code == "en" else _I
    protected: list[tuple[str, str, int]] = [
        ("skip", r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+", 0),
        ("phone", r"(?<![\w+])\+\d{1,3}(?:[\s./-]?\(?\d{1,4}\)?){2,5}(?!\w)", 0),
        ("phone", r"(?<!\w)\(\d{2,4}\)\s?\d{3,4}[\s.-]\d{3,4}(?!\w)", 0),
        ("phone", r"(?<![\w.,-])(?:1[-.\s])?\d{3}[-.]\d{3}[-.]\d{4}(?![\w-])", 0),
        ("phone", r"(?<![\w.,-])\d{3}-\d{4}(?![\w-])", 0),
        ("date", rf"\b{months}\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?", month_flags),
        (
            "date",
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?{months}\b\.?"
            rf"(?:,?\s+(?:de(?:l)?\s+)?\d{{4}}\b)?",
            month_flags,
        ),
        ("date", rf"\b{months}\b\.?,?\s+(?:de(?:l)?\s+)?\d{{4}}\b", month_flags),
        ("date", r"(?<![\d.,])\d{1,4}([/.-])\d{1,2}\1\d{2,4}(?![\d.,]\d)", 0),
        (
            "time",
            rf"\b\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\s*(?:[ap]\.?\s?m\b\.?|{time_zone}"
            r"|h\b|hrs?\b|horas\b)",
            _I,
        ),
        ("time", r"(?<![\d.,:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])", 0),
        ("time", r"\b\d{1,2}\s*(?:[ap]\.m\.|[ap]m\b|o['’]clock\b)", _I),
        (
            "year",
            r"\b(?:1[5-9]|20)\d\d(?:[-–/]\d\d|\s*[-–]\s*(?:1[5-9]|20)\d\d)\b|\b(?:1[5-9]|20)\d0s\b",
            0,
        ),
        ("furniture", r"(?<![\d,.])\d{1,3}\s+(?:of|de|/)\s+\d{1,3}(?=\s*(?:$|[^\w\s%]))", _I),
        (
            "furniture",
            r"\b(?:Share|Shares|Comments?|Replies|Likes|Views|Page|Image|Photo|Slide"
            r"|Video|Comentarios|Compartir)\s*:?\s*\(?\d+\b\)?",
            0,
        ),
        (
            "furniture",
            r"(?<![\d,.])\b\d+\s+(?:(?:hours?|hrs?|mins?|minutes?|days?)\s+ago|comments?|replies|shares"
            r"|likes|views|min(?:ute)?s?"
            r"\s+read|photos|images|comentarios)\b",
            _I,
        ),
        (
            "score",
            r"\b\d{1,2}-\d{1,2}(?=\s+(?:win|victory|defeat|draw|loss|lead|home|away)\b)"
            r"|\b(\d)-\1\b",
            0,
        ),
        ("code", r"\b(?:9/11|24/7)\b", 0),
        ("code", r"\b[A-Za-z]+-?\d+[A-Za-z\d]*\b|\b\d+[A-Za-z]+\d*[A-Za-z\d]*\b", 0),
    ]
    return NumberPatterns(
        lex=lex,
        core=re.compile(core, _I),
        word_token=re.compile(r"[^\W\d_]+|\d[\d.,]*", re.UNICODE),
        abbreviated_scale=re.compile(_ABBREVIATIONS[code]),
        scale_words=re.compile(
            rf"\s*-?\s*((?:{all_scales})(?:\s+(?:de\s+)?(?:{all_scales}))*)\b", _I
        ),
        and_a_half=re.compile(r"\s+(?:and\s+a\s+half|y\s+medio)\b", _I),
        percent=re.compile(lex.percent, _I),
        currency_after=re.compile(
            rf"\s?(?:de\s+)?(?:US\s+)?({money_words})\b(?!\s*(?:zone|area)\b)"
            r"|\s?([€$£¥])(?!\s?\d)",
            _I,
        ),
        currency_before=re.compile(rf"(?<![^\W\d_])({prefixes})\s?\Z", _I),
        measure=re.compile(rf"\s?-?\s?({_alternation(MEASURE_UNITS)})(?![^\W\d_])", _I),
        ordinal_suffix=re.compile(rf"{lex.digit_ordinal_suffix}\b"),
        protected=tuple((kind, re.compile(rx, flags)) for kind, rx, flags in protected),
    )
