"""Cleaning page text: furniture lines dropped, pasted text split into title, byline and body.

Offers ``clean_paragraphs`` (extracted or pasted paragraphs without captions, credits, bylines,
datelines, ads and share/comment/newsletter prompts, and without text appended after the
article), ``clean_pasted_text`` and the line tests the extractor shares (``parse_byline``,
``looks_like_headline``, ``find_byline``).
"""

from summarizers.cleaning.furniture import (
    ends_like_sentence,
    is_furniture_line,
    looks_like_headline,
    parse_byline,
)
from summarizers.cleaning.text import (
    CleanText,
    clean_paragraphs,
    clean_pasted_text,
    find_byline,
    split_paragraphs,
)

__all__ = [
    "CleanText",
    "clean_paragraphs",
    "clean_pasted_text",
    "ends_like_sentence",
    "find_byline",
    "is_furniture_line",
    "looks_like_headline",
    "parse_byline",
    "split_paragraphs",
]
