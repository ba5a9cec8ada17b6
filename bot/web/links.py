"""How much of each extracted line is link text on the page: lists of other stories are links.

trafilatura returns plain text, so a line is matched back to the page's ``<a>`` texts: the
share of the line's words that lie in link texts found inside it (links are looked up by
their first word, so a page of many links costs no more than its words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from lxml.html import HtmlElement

_MIN_LINK_WORDS = 2  # one-word links ("Home", "here") say nothing about a line
_MAX_LINKS = 2000  # a page of thousands of links is a portal, not an article: look no further
# Longer lines are paragraphs: their links never make them a link line or a list item, so
# they are not measured (this bounds the work on link-heavy pages).
MAX_MEASURED_WORDS = 50


def comparable(text: str) -> str:
    """Case-folded words only, single-spaced: how lines and link texts are compared."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


class LinkTexts:
    """The page's link texts of at least two words, indexed by their first word."""

    def __init__(self, tree: HtmlElement) -> None:
        self._by_first_word: dict[str, set[tuple[str, ...]]] = {}
        count = 0
        for anchor in tree.iter("a"):
            words = tuple(comparable(anchor.text_content()).split())
            if len(words) >= _MIN_LINK_WORDS:
                self._by_first_word.setdefault(words[0], set()).add(words)
                count += 1
            if count >= _MAX_LINKS:
                break

    def share(self, line: str) -> float:
        """The share of the line's words inside link texts it contains (0.0 to 1.0)."""
        words = comparable(line).split()
        if not words or len(words) > MAX_MEASURED_WORDS:
            return 0.0
        covered = [False] * len(words)
        for start, word in enumerate(words):
            for link in self._by_first_word.get(word, ()):
                end = start + len(link)
                if tuple(words[start:end]) == link:
                    covered[start:end] = [True] * len(link)
        return sum(covered) / len(words)


def link_shares(lines: Sequence[str], links: LinkTexts) -> list[float]:
    """For each line, the share of its words inside link texts (0.0 to 1.0); 0.0 for lines
    longer than ``MAX_MEASURED_WORDS``."""
    return [links.share(line) for line in lines]
