"""Numbers that are not amounts: the patterns of dates, times, phone numbers, codes, furniture."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_I = re.IGNORECASE
# "la década de los noventa", "los años 90": decades, with or without digits
DECADE = re.compile(
    r"\b(?:(?<=años\s)|(?<=década\sde\slos\s)|(?<=década\sdel\s))(?:(?:19|20)?[1-9]0"
    r"|veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa)\b",
    _I,
)


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


def protected_patterns(months: str, month_flags: int) -> tuple[ProtectedPattern, ...]:
    time_zone = r"(?:GMT|BST|UTC|[ECMP][SD]?T)\b"
    # Months are case-sensitive in English only: there, a month needs one of these.
    month = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec" if not month_flags else None
    return (
        _protect(
            "skip",
            r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:com|org|net|gob|gov)\b\S*",
            gate=r"@|www\.|://|\.com|\.org|\.net|\.gob|\.gov",
        ),
        _protect("phone", r"(?<![\w+])\+\d{1,3}(?:[\s./-]?\(?\d{1,4}\)?){2,5}(?!\w)", gate=r"\+"),
        _protect("phone", r"(?<!\w)\(\d{2,4}\)\s?\d{3,4}[\s.-]\d{3,4}(?!\w)", gate=r"\("),
        _protect(
            "phone", r"(?<![\w.,-])(?:1[-.\s])?\d{3}[-.]\d{3}[-.]\d{4}(?![\w-])", at_digits=True
        ),
        _protect("phone", r"(?<![\w.,-])\d{3}-\d{4}(?![\w-])", at_digits=True, gate="-"),
        _protect(  # "55 1234 5678", "800 123 4567": spaced groups end in four digits
            "phone",
            r"(?<![\w.,+-])(?:\d{2}\s\d{4}|\d{3}\s\d{3,4})\s\d{4}(?![\w-]|[.,]\d)",
            at_digits=True,
        ),
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
            r"\b(?:1[5-9]|20)\d\d(?:[-–/]\d\d|\s*[-–]\s*(?:1[5-9]|20)\d\d)\b|\b(?:1[5-9]|20)\d0s\b"
            r"|(?<![\d.,])['’]?[1-9]0s\b",  # decades and ages: "the 80s", "in their 80s"
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
        _protect(  # "45-17", "14-7 at halftime": a range runs low to high, a score need not
            "score-descending",
            r"(?<![\d.,/-])\d{1,3}-\d{1,3}(?![\d/%-]|[.,]\d|\s*(?:per|percent|por|%))",
            at_digits=True,
            gate="-",
        ),
        _protect("year", DECADE.pattern, _I, gate=r"años|década"),
        _protect("code", r"\b(?:9/11|24/7)\b", at_digits=True, gate="/"),
        # "a 16 x 37 canvas", "4x100m": sizes and relays, not amounts
        _protect(
            "dimension",
            r"\d+(?:[.,]\d+)?\s?[x×]\s?\d+(?:[.,]\d+)?",
            at_digits=True,
            gate=r"\d\s?[x×]\s?\d",
        ),
        _protect(
            "code",
            r"\b[A-Za-z]+-?\d+[A-Za-z\d]*\b|\b\d+[A-Za-z]+\d*[A-Za-z\d]*\b",
            gate=r"\d(?:(?<=[A-Za-z]\d)|(?<=[A-Za-z]-\d)|(?=[A-Za-z]))",  # a digit by a letter
        ),
    )


def any_of(rules: Iterable[ProtectedPattern]) -> re.Pattern[str]:
    """One regex that matches wherever one of ``rules`` does (each keeps its own flags)."""
    return re.compile(
        "|".join(
            f"(?{'i' if rule.pattern.flags & _I else ''}:{rule.pattern.pattern})" for rule in rules
        )
    )
