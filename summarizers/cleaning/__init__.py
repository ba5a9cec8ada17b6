"""Cleaning page text: furniture lines dropped, pasted text split into title, byline and body.

Offers ``clean_paragraphs`` (extracted or pasted paragraphs without captions, credits, bylines,
datelines, ads and share/comment/newsletter prompts, and without text appended after the
article), ``clean_pasted_text`` and the line tests the extractor shares (``parse_byline``,
``looks_like_headline``, ``find_byline``) and ``is_ad_or_credit`` for single sentences.
"""

from summarizers.cleaning.ads import has_lookalike_letters, is_offer
from summarizers.cleaning.credits import is_captioned_credit, is_credit_line
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
    "has_lookalike_letters",
    "is_ad_or_credit",
    "is_captioned_credit",
    "is_credit_line",
    "is_furniture_line",
    "is_offer",
    "looks_like_headline",
    "parse_byline",
    "split_paragraphs",
]


def is_ad_or_credit(sentence: str) -> bool:
    """A sentence that is an ad, an offer or a credit wherever it stands (for sentence-level
    checks downstream: a paragraph can hide one among real sentences)."""
    return (
        has_lookalike_letters(sentence)
        or is_offer(sentence)
        or is_captioned_credit(sentence)
        or is_credit_line(sentence)
    )
