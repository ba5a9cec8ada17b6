"""How much of each extracted line is link text on the page: lists of other stories are links.

trafilatura returns plain text, so a line is matched back to the page's ``<a>`` texts: the
share of the line's characters that lie in link texts found inside it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from lxml.html import HtmlElement

_MIN_LINK_WORDS = 2  # one-word links ("Home", "here") say nothing about a line
_MAX_LINKS = 2000  # a page of thousands of links is a portal, not an article: look no further


def comparable(text: str) -> str:
    """Case-folded words only, single-spaced: how lines and link texts are compared."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def link_texts(tree: HtmlElement) -> list[str]:
    """The distinct texts of the page's links of at least two words, longest first."""
    texts: set[str] = set()
    for anchor in tree.iter("a"):
        text = comparable(anchor.text_content())
        if len(text.split()) >= _MIN_LINK_WORDS:
            texts.add(text)
        if len(texts) >= _MAX_LINKS:
            break
    return sorted(texts, key=len, reverse=True)


def link_shares(lines: Sequence[str], links: Sequence[str]) -> list[float]:
    """For each line, the share of its characters inside link texts (0.0 to 1.0)."""
    shares = []
    for line in lines:
        text = comparable(line)
        if not text:
            shares.append(0.0)
            continue
        covered = 0
        for link in links:
            if len(link) <= len(text) and link in text:
                covered += len(link) * text.count(link)
                text = text.replace(link, " ")
        shares.append(min(1.0, covered / max(1, len(comparable(line)))))
    return shares
