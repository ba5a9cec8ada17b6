"""Tests of one line of page text: furniture, byline, dateline, headline-like."""

from __future__ import annotations

import re

from summarizers.cleaning.ads import has_lookalike_letters, offer_in
from summarizers.cleaning.credits import captioned_credit_in, is_credit_line
from summarizers.cleaning.patterns import (
    ALWAYS_FURNITURE,
    BULLET,
    BYLINE,
    CLOSERS,
    COMMENT_HEADING,
    DATE_WORDS,
    DATELINE_START,
    FULL_DATE,
    FURNITURE_MAX_WORDS,
    HEADLINE_MAX_CHARS,
    HEADLINE_MAX_WORDS,
    LABELLED_LINK_ITEM,
    LABELLED_LINK_ITEM_MAX_WORDS,
    NEWSLETTER_LABEL,
    NOTICE_ANYWHERE,
    NOTICE_AT_START,
    NOTICE_MAX_WORDS,
    NOTICE_WORDS,
    PHOTO_CREDIT,
    RIGHTS_CUES,
    RIGHTS_NOTICE,
    RIGHTS_NOTICE_MAX_WORDS,
    SENTENCE_END,
    SHARE_START,
    SHARE_WORDS,
    TAIL_HEADING,
    WORD,
    contains_any,
)
from summarizers.figures.reading.words import fold_case


def _word_count(line: str) -> int:
    return len(line.split())


def ends_like_sentence(line: str) -> bool:
    """Whether ``line`` ends with sentence punctuation (closing quotes and brackets ignored)."""
    last = line[-1:]
    if last and last in SENTENCE_END:  # most lines: no copies stripped off the line
        return True
    stripped = line.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def is_short_label(line: str) -> bool:
    return _word_count(line) <= FURNITURE_MAX_WORDS and not ends_like_sentence(line)


def looks_like_headline(line: str) -> bool:
    """Short, and not closed by a full stop: how headlines (and not body sentences) look."""
    stripped = line.strip()
    return (
        bool(stripped)
        and _word_count(stripped) <= HEADLINE_MAX_WORDS
        and len(stripped) <= HEADLINE_MAX_CHARS
        and not stripped.rstrip(CLOSERS).endswith((".", ",", ";", ":"))
        and not is_furniture_line(stripped)
    )


_BYLINE_INITIALS = frozenset("bBwWpPeE")  # what BYLINE's words open with: by, written, por ...


def parse_byline(line: str) -> str | None:
    """The names in a byline line ("By Matt Murphy" -> "Matt Murphy"), else None."""
    stripped = line.strip()
    # every line reaches this test twice: the regex only where its first letter can match
    if stripped[:1] not in _BYLINE_INITIALS:
        return None
    match = BYLINE.match(stripped)
    if match is None:
        return None
    names = match["names"].strip().rstrip(":|—–- ")  # "By Jane Doe:" before the text
    words = names.split()
    if not words or len(words) > 10 or ends_like_sentence(names) or not names[0].isupper():
        return None
    return names


_SHARE_TOKEN = re.compile(r"[\w-]+")


def _is_share_bar(line: str) -> bool:
    if SHARE_START.match(line):
        return True
    words = _SHARE_TOKEN.findall(line.lower())
    return bool(words) and all(word in SHARE_WORDS for word in words)


def is_dateline(line: str) -> bool:
    return is_short_label(line) and _is_date_label(line)


def _is_date_label(line: str) -> bool:
    if DATELINE_START.match(line):
        return True
    tokens = WORD.findall(line.lower())
    has_number = any(token.isdigit() for token in tokens)
    return has_number and all(token.isdigit() or token in DATE_WORDS for token in tokens)


def is_furniture_line(line: str) -> bool:
    """Lines that are never article text, wherever they stand."""
    if is_credit_line(line):
        return True
    if (
        line[:1] in "-•*–"  # what LABELLED_LINK_ITEM starts with; most lines do not
        and LABELLED_LINK_ITEM.match(line)
        and _word_count(line) <= LABELLED_LINK_ITEM_MAX_WORDS
    ):
        return True
    line = BULLET.sub("", line)
    if ALWAYS_FURNITURE.match(line) or parse_byline(line) is not None:
        return True
    word_count = _word_count(line)  # counted once: body lines reach every rule below
    folded = fold_case(line)  # the same: the word tests below look for cues in it
    if word_count > NOTICE_MAX_WORDS:  # a paragraph: only ads and rights notices run this long
        return (
            has_lookalike_letters(line)
            or offer_in(line, folded, word_count)
            or _is_rights_notice(line, folded, word_count)
        )
    is_short_label = word_count <= FURNITURE_MAX_WORDS and not ends_like_sentence(line)
    if is_short_label and (
        _is_date_label(line)
        or PHOTO_CREDIT.match(line)
        or COMMENT_HEADING.match(line)
        or TAIL_HEADING.match(line)
        or NEWSLETTER_LABEL.search(line)
        or _is_share_bar(line)
        or FULL_DATE.search(line)
    ):
        return True
    return bool(
        NOTICE_AT_START.match(folded)
        or _has_notice_anywhere(line, folded)
        or offer_in(line, folded, word_count)
        or captioned_credit_in(line, folded, word_count)
        or has_lookalike_letters(line)
    )


def _is_rights_notice(line: str, folded: str, word_count: int) -> bool:
    """A long licensing notice: "This copy is for your personal, non-commercial use only. ..."."""
    if word_count > RIGHTS_NOTICE_MAX_WORDS:
        return False
    # the regex only where its words appear (the same answer, faster)
    return contains_any(folded, RIGHTS_CUES) and bool(RIGHTS_NOTICE.search(line))


def _has_notice_anywhere(line: str, folded: str) -> bool:
    for word in NOTICE_WORDS:
        if word in folded:
            return NOTICE_ANYWHERE.search(line) is not None
    return False
