"""Where the article ends: text a page appends after it (other stories, link lists, repeats).

Signals hold across sites: a run of link lines at the end (lists of other stories), the
article's own paragraphs coming round again (the page repeats the story, or a feed of
stories follows it), and a second headline with its own byline or dateline (another article).
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizers.cleaning.furniture import ends_like_sentence, is_dateline, parse_byline

LINK_LINE_SHARE = 0.8  # a line this much link text is a link to another page
# ... and in a closing list, a headline link with its standfirst, unpunctuated
TAIL_LINK_SHARE = 0.25
_MIN_TAIL_LINKS = 2  # one link line after the text can be a source; two make a list
_REPEAT_MIN_WORDS = 8  # shorter lines ("Photo: Reuters.") repeat on honest pages
_REPEAT_RUN = 3  # repeated long sentences in a row
_HEADLINE_MAX_WORDS = 25


def is_link_line(line: str, link_share: float) -> bool:
    """A headline-like line made of link text: a pointer to another story."""
    return (
        link_share >= LINK_LINE_SHARE
        and not ends_like_sentence(line)
        and len(line.split()) <= _HEADLINE_MAX_WORDS
    )


def article_end(lines: Sequence[str], link_shares: Sequence[float] | None = None) -> int:
    """The number of leading ``lines`` that belong to the article (the rest is appended)."""
    end = min(_first_repeat(lines), _second_article(lines))
    if link_shares is not None:
        end = _before_link_tail(lines[:end], link_shares[:end])
    return end


def _first_repeat(lines: Sequence[str]) -> int:
    """The start of the first run of long sentences that all came before (the story again, or
    a feed of stories that holds it), backed up over the headline-like lines before it.

    One repeated line is not enough: embedded posts, recipes and product lists repeat lines.
    """
    seen: set[str] = set()
    run = 0
    for index, line in enumerate(lines):
        repeats = line in seen and _is_long_sentence(line)
        run = run + 1 if repeats else 0
        if run == _REPEAT_RUN:
            return _back_over_headings(lines, index - _REPEAT_RUN + 1)
        seen.add(line)
    return len(lines)


def _is_long_sentence(line: str) -> bool:
    return len(line.split()) >= _REPEAT_MIN_WORDS and ends_like_sentence(line)


def _second_article(lines: Sequence[str]) -> int:
    """A headline followed by a byline or dateline in the text's second half starts another
    article; in the first half it is this article's own header."""
    for index in range(len(lines) // 2 + 1, len(lines) - 2):
        line = lines[index]
        if ends_like_sentence(line) or len(line.split()) > _HEADLINE_MAX_WORDS:
            continue
        following = lines[index + 1 : index + 3]
        if any(parse_byline(other) is not None or is_dateline(other) for other in following):
            return index
    return len(lines)


def _before_link_tail(lines: Sequence[str], link_shares: Sequence[float]) -> int:
    """Cut a closing run of link lines (and short headings among them) at its start."""
    end = len(lines)
    start = end
    links = 0
    for index in range(end - 1, -1, -1):
        line, share = lines[index], link_shares[index]
        words = len(line.split())
        if words <= 2 * _HEADLINE_MAX_WORDS and (
            share >= LINK_LINE_SHARE
            or (share >= TAIL_LINK_SHARE and not ends_like_sentence(line) and not _is_post(line))
        ):
            links += 1
        elif not (len(line.split()) <= 6 and not ends_like_sentence(line)):
            break
        start = index
    return start if links >= _MIN_TAIL_LINKS else end


def _is_post(line: str) -> bool:
    """An embedded social post or its signature ("— Name (@handle) May 5, 2022"): its links
    are the post's own, and it belongs to the article."""
    return "(@" in line or "pic.twitter.com/" in line or "https://t.co/" in line


def _back_over_headings(lines: Sequence[str], index: int) -> int:
    while index > 0 and not ends_like_sentence(lines[index - 1]):
        index -= 1
    return index
