"""Invisible format characters (Unicode category Cf) taken out before numbers are read.

A zero-width space inside "190\u200b,000", a soft hyphen in "mi\u00adgrants" or direction marks
around "\u200e2,500\u200f" split what a reader sees as one number or word. They are removed before
reading, and the offsets of what is read are mapped back to the text as written, so that a
figure's surface and sentence stay the article's own.
"""

from __future__ import annotations

import re

# Every Cf code point of Unicode 15 (tests check it against the running Python's unicodedata);
# written out because building it from unicodedata would scan all 1.1 million code points.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
FORMAT_CHARACTERS = _FORMAT


class Visible:
    """``text`` without its format characters, with a map back to the offsets of ``text``."""

    __slots__ = ("_positions", "original", "text")

    def __init__(self, text: str) -> None:
        self.original = text
        if text.isascii() or not _FORMAT.search(text):
            self.text, self._positions = text, None
            return
        kept = [index for index, char in enumerate(text) if not _FORMAT.fullmatch(char)]
        self.text = "".join(text[index] for index in kept)
        self._positions: list[int] | None = kept

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the original of ``self.text[start:end]`` (a non-empty span)."""
        if self._positions is None:
            return start, end
        return self._positions[start], self._positions[end - 1] + 1

    def original_of(self, start: int, end: int) -> str:
        """The original text of ``self.text[start:end]``, format characters inside included."""
        first, last = self.span(start, end)
        return self.original[first:last]


def strip_format_characters(text: str) -> str:
    """``text`` without Unicode format characters (Cf): zero-width spaces, direction marks..."""
    return text if text.isascii() else _FORMAT.sub("", text)
