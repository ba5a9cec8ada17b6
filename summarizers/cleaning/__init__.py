"""Cleaning page text: furniture lines dropped, pasted text split into title, byline and body.

Offers ``clean_paragraphs`` (extracted or pasted paragraphs without captions, credits, bylines,
datelines, ads and share/comment/newsletter prompts, and without text appended after the
article), ``clean_pasted_text`` and the line tests the extractor shares (``parse_byline``,
``looks_like_headline``, ``find_byline``) and ``is_ad_or_credit`` for single sentences.
"""

from summarizers.cleaning.ads import has_lookalike_letters, is_offer, offer_in
from summarizers.cleaning.credits import captioned_credit_in, is_captioned_credit, is_credit_line
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
from summarizers.figures.reading.words import fold_case

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
    folded, word_count = fold_case(sentence), len(sentence.split())  # once for both tests
    return (
        has_lookalike_letters(sentence)
        or offer_in(sentence, folded, word_count)
        or captioned_credit_in(sentence, folded, word_count)
        or is_credit_line(sentence)
    )
