"""Compiled regular expressions of the number parser, built once per language from its lexicon."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from summarizers.number_words import CURRENCY_PREFIXES, MEASURE_UNITS, NumberLexicon, lexicon

_I = re.IGNORECASE
_UNICODE_FRACTIONS = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅛": 0.125}
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
    r"[1-9]/(?:[2-58]|10)(?![/\d])",  # 3/4; not 24/7, 9/11 or a date
    rf"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[{_FRACTION_CHARS}]?",
    r"(?<![\d.,])[.,]\d+",  # .5 and ,08
    rf"[{_FRACTION_CHARS}]",
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
class ProtectedPattern:
    """Numbers of one kind that are not amounts (dates, phones...), with hints to find them fast."""

    kind: str
    pattern: re.Pattern[str]
    at_digits: bool  # every match starts with the first digit of a run of digits
    gate: re.Pattern[str] | None  # a quick regex that finds something wherever ``pattern`` does


def _protect(
    kind: str, regex: str, flags: int = 0, *, at_digits: bool = False, gate: str | None = None
) -> ProtectedPattern:
    compiled_gate = re.compile(gate) if gate else None
    return ProtectedPattern(kind, re.compile(regex, flags), at_digits, compiled_gate)


def _protected(months: str, month_flags: int) -> tuple[ProtectedPattern, ...]:
    time_zone = r"(?:GMT|BST|UTC|[ECMP][SD]?T)\b"
    # Months are case-sensitive in English only: there, a month needs one of these.
    month = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec" if not month_flags else None
    return (
        _protect("skip", r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+", gate=r"@|www\.|://"),
        _protect("phone", r"(?<![\w+])\+\d{1,3}(?:[\s./-]?\(?\d{1,4}\)?){2,5}(?!\w)", gate=r"\+"),
        _protect("phone", r"(?<!\w)\(\d{2,4}\)\s?\d{3,4}[\s.-]\d{3,4}(?!\w)", gate=r"\("),
        _protect(
            "phone", r"(?<![\w.,-])(?:1[-.\s])?\d{3}[-.]\d{3}[-.]\d{4}(?![\w-])", at_digits=True
        ),
        _protect("phone", r"(?<![\w.,-])\d{3}-\d{4}(?![\w-])", at_digits=True, gate="-"),
        _protect(
            "date",
            rf"\b{months}\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?",
            month_flags,
            gate=month,
        ),
        _protect(
            "date",
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?{months}\b\.?"
            rf"(?:,?\s+(?:de(?:l)?\s+)?\d{{4}}\b)?",
            month_flags,
            at_digits=True,
            gate=month,
        ),
        _protect(
            "date", rf"\b{months}\b\.?,?\s+(?:de(?:l)?\s+)?\d{{4}}\b", month_flags, gate=month
        ),
        _protect(
            "date",
            # named back-references, not numbered ones: these are also joined in one regex
            r"(?<![\d.,])\d{1,4}(?P<sep>[/.-])\d{1,2}(?P=sep)\d{2,4}(?![\d.,]\d)",
            at_digits=True,
        ),
        _protect(
            "time",
            rf"\b\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\s*(?:[ap]\.?\s?m\b\.?|{time_zone}"
            r"|h\b|hrs?\b|horas\b)",
            _I,
            at_digits=True,
        ),
        _protect(
            "time", r"(?<![\d.,:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])", at_digits=True, gate=":"
        ),
        _protect("time", r"\b\d{1,2}\s*(?:[ap]\.m\.|[ap]m\b|o['’]clock\b)", _I, at_digits=True),
        _protect(
            "year",
            r"\b(?:1[5-9]|20)\d\d(?:[-–/]\d\d|\s*[-–]\s*(?:1[5-9]|20)\d\d)\b|\b(?:1[5-9]|20)\d0s\b",
            at_digits=True,
        ),
        _protect(
            "furniture",
            r"(?<![\d,.])\d{1,3}\s+(?:of|de|/)\s+\d{1,3}(?=\s*(?:$|[^\w\s%]))",
            _I,
            at_digits=True,
        ),
        _protect(
            "furniture",
            r"\b(?:Share|Shares|Comments?|Replies|Likes|Views|Page|Image|Photo|Slide"
            r"|Video|Comentarios|Compartir)\s*:?\s*\(?\d+\b\)?",
            gate="Share|Comment|Replies|Likes|Views|Page|Image|Photo|Slide|Video|Coment|Compartir",
        ),
        _protect(
            "furniture",
            r"(?<![\d,.])\b\d+\s+(?:(?:hours?|hrs?|mins?|minutes?|days?)\s+ago|comments?|replies|shares"
            r"|likes|views|min(?:ute)?s?"
            r"\s+read|photos|images|comentarios)\b",
            _I,
            at_digits=True,
        ),
        _protect(
            "score",
            r"\b\d{1,2}-\d{1,2}(?=\s+(?:win|victory|defeat|draw|loss|lead|home|away)\b)"
            r"|\b(?P<twin>\d)-(?P=twin)\b",
            at_digits=True,
            gate="-",
        ),
        _protect("code", r"\b(?:9/11|24/7)\b", at_digits=True, gate="/"),
        _protect(
            "code",
            r"\b[A-Za-z]+-?\d+[A-Za-z\d]*\b|\b\d+[A-Za-z]+\d*[A-Za-z\d]*\b",
            gate=r"\d(?:(?<=[A-Za-z]\d)|(?<=[A-Za-z]-\d)|(?=[A-Za-z]))",  # a digit by a letter
        ),
    )


def _any_of(rules: Iterable[ProtectedPattern]) -> re.Pattern[str]:
    """One regex that matches wherever one of ``rules`` does (each keeps its own flags)."""
    return re.compile(
        "|".join(
            f"(?{'i' if rule.pattern.flags & _I else ''}:{rule.pattern.pattern})" for rule in rules
        )
    )


@dataclass(frozen=True, slots=True)
class NumberPatterns:
    """Every regex the scanner needs for one language."""

    lex: NumberLexicon
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
    protected: tuple[ProtectedPattern, ...]  # in order of precedence: dates, times, phones...
    any_at_digits: re.Pattern[str]  # every ``protected`` pattern that starts at digits, in one


@lru_cache(maxsize=8)
def patterns(lang: str) -> NumberPatterns:
    """Compiled patterns for ``lang`` (cached: building them takes a few milliseconds)."""
    code = lang.lower()[:2] if lang.lower()[:2] in _DIGITS else "en"
    lex = lexicon(code)
    spelled = _alternation([*lex.cardinals, *lex.hundred, *lex.scales, *lex.dozen, *lex.half])
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
    protected = _protected(lex.months, 0 if code == "en" else _I)
    return NumberPatterns(
        lex=lex,
        core=re.compile(core, _I),
        starts=re.compile(starts),  # case-sensitive, run on fold_case(text): faster
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
        measure=re.compile(rf"\s?-?\s?({_trie(set(MEASURE_UNITS))})(?![^\W\d_])", _I),
        ordinal_suffix=re.compile(rf"{lex.digit_ordinal_suffix}\b"),
        protected=protected,
        any_at_digits=_any_of(rule for rule in protected if rule.at_digits),
    )
