"""Key figures' numbers written as the channel's language reads them: a Spanish "8.480" is
"8,480" in an English channel (where "8.480" reads as eight and a half), and "190,000" is
"190.000" in a Spanish one. The figure's value decides how its surface was written (Mexican
outlets write 190,000 as English does), so a number is only rewritten when one reading of its
digits gives that value; otherwise it is shown as the article wrote it. Babel (CLDR) writes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal

from bot.models import FigureConflict, KeyFigure, Story, Summary

__all__ = ["conflict_pairs", "local_figure", "local_surface", "story_figures", "summary_figures"]

# (group separator, decimal mark) of each channel language.
_MARKS = {"en": (",", "."), "es": (".", ",")}
_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+[.,]\d+")
_SCALES = (Decimal(1000), Decimal(10**6), Decimal(10**9), Decimal(10**12))
_TOLERANCE = Decimal("0.005")


def local_surface(surface: str, value: float, source_lang: str, language: str) -> str:
    """``surface`` with each separated number rewritten for ``language``, if its value agrees."""
    target = _MARKS.get(_code(language))
    tokens = _NUMBER.findall(surface)
    if target is None or not tokens:
        return surface
    source = _code(source_lang)
    orders = [source, *(code for code in _MARKS if code != source)]
    scaled = any(ch.isalpha() for ch in surface)  # "1,5 millones", "$2.3bn"
    for scales in ((Decimal(1),), _SCALES if scaled else ()):
        for code in orders:
            readings = [_read(token, _MARKS.get(code, _MARKS["en"])) for token in tokens]
            if all(r is not None for r in readings) and any(
                _agrees(r, value, scale) for r in readings if r is not None for scale in scales
            ):
                return _rewrite(surface, readings, code, target)
    return surface


def local_figure(figure: KeyFigure, source_lang: str, language: str) -> KeyFigure:
    """``figure`` with its surface written for ``language``."""
    surface = local_surface(figure.surface, figure.value, source_lang, language)
    return figure if surface == figure.surface else replace(figure, surface=surface)


def story_figures(story: Story, language: str) -> tuple[KeyFigure, ...]:
    """A story's figures for the channel; each figure's own article language says how it reads."""
    langs = _langs(story.figure_langs, len(story.figures), story.summary.article.lang)
    return tuple(
        local_figure(f, lang, language) for f, lang in zip(story.figures, langs, strict=True)
    )


def summary_figures(summary: Summary, language: str) -> tuple[KeyFigure, ...]:
    return tuple(local_figure(f, summary.article.lang, language) for f in summary.figures)


def conflict_pairs(conflict: FigureConflict, language: str) -> tuple[tuple[str, str], ...]:
    """A conflict's (surface, outlet) pairs, each surface written for ``language``."""
    if len(conflict.amounts) != len(conflict.values):
        return conflict.values
    langs = _langs(conflict.langs, len(conflict.values), "en")
    return tuple(
        (local_surface(surface, amount, lang, language), outlet)
        for (surface, outlet), amount, lang in zip(
            conflict.values, conflict.amounts, langs, strict=True
        )
    )


def _langs(langs: Sequence[str], count: int, default: str) -> Sequence[str]:
    return langs if len(langs) == count else [default] * count


def _code(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].casefold()


def _read(token: str, marks: tuple[str, str]) -> Decimal | None:
    """The token's number when written with ``marks`` (groups of exactly three), else None."""
    group, decimal = marks
    whole, _, fraction = token.partition(decimal)
    if group in fraction or decimal in fraction:
        return None
    parts = whole.split(group)
    if len(parts) > 1 and not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
        return None
    try:
        return Decimal("".join(parts) + (f".{fraction}" if fraction else ""))
    except InvalidOperation:
        return None


def _agrees(reading: Decimal, value: float, scale: Decimal) -> bool:
    expected = Decimal(str(value))
    return abs(reading * scale - expected) <= _TOLERANCE * max(abs(expected), Decimal(1))


def _rewrite(
    surface: str, readings: list[Decimal | None], code: str, target: tuple[str, str]
) -> str:
    numbers = iter(readings)
    marks = _MARKS.get(code, _MARKS["en"])
    locale = next(name for name, pair in _MARKS.items() if pair == target)

    def written(match: re.Match[str]) -> str:
        number = next(numbers)
        decimals = len(match[0].partition(marks[1])[2])
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(number, format=pattern, locale=locale) if number else match[0]

    return _NUMBER.sub(written, surface)
