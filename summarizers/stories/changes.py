"""What changed in a story since a channel saw it: key figures whose value moved.

A figure changed when a later report gives the same counted noun and the same period (the
``figure_merge.period_key``: "deaths, in March" = "muertes en marzo") with a value more than
``SAME_VALUE_TOLERANCE`` away from what the channel was shown. Figures without a counted noun
or without a period never count as changed: "400 migrants" and "520 migrants" may count two
different boats, and saying "was 400" would be a claim the reports do not make.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from summarizers.stories.figure_merge import period_key, same_value
from summarizers.types import KeyFigure

__all__ = ["ChangedFigure", "changed_figures"]


@dataclass(frozen=True, slots=True)
class ChangedFigure:
    """A key figure the story now gives, and the value the channel was shown before."""

    figure: KeyFigure  # the later value
    lang: str  # the later report's language (how its digits are written)
    source: str  # the outlet that reported the later value
    was: KeyFigure  # what the channel saw
    was_lang: str

    @property
    def direction(self) -> Literal["up", "down"]:
        return "up" if self.figure.value > self.was.value else "down"


def changed_figures(
    earlier: Sequence[tuple[KeyFigure, str]],
    later: Sequence[tuple[KeyFigure, str, str]],
) -> tuple[ChangedFigure, ...]:
    """``later`` figures (figure, lang, outlet; most trusted report first) that changed.

    For each counted noun and period the first later figure is what the story says now; it is a
    change when it differs from the first earlier figure of that noun and period.
    """
    shown: dict[tuple[str, str, str], tuple[KeyFigure, str]] = {}
    for figure, lang in earlier:
        key = period_key(figure, lang)
        if key is not None:
            shown.setdefault(key, (figure, lang))
    decided: set[tuple[str, str, str]] = set()
    changes: list[ChangedFigure] = []
    for figure, lang, source in later:
        key = period_key(figure, lang)
        if key is None or key in decided or key not in shown:
            continue
        decided.add(key)
        was, was_lang = shown[key]
        if not same_value(figure.value, was.value):
            changes.append(ChangedFigure(figure, lang, source, was, was_lang))
    return tuple(changes)
