"""Where the article ends: text a page appends after it (other stories, link lists, repeats).

Signals hold across sites: a run of link lines at the end (lists of other stories), the
article's own paragraphs coming round again (the page repeats the story, or a feed of
stories follows it), and a second headline with its own byline or dateline (another article).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from summarizers.cleaning.credits import is_author_note
from summarizers.cleaning.furniture import ends_like_sentence, is_dateline, parse_byline

LINK_LINE_SHARE = 0.8  # a line this much link text is a link to another page
# ... and in a closing list, a headline link with its standfirst, unpunctuated
TAIL_LINK_SHARE = 0.25
_MIN_TAIL_LINKS = 2  # one link line after the text can be a source; two make a list
_TAIL_OTHERS = 1
_REPEAT_MIN_WORDS = 8  # shorter lines ("Photo: Reuters.") repeat on honest pages
_REPEAT_RUN = 3  # repeated long sentences in a row
_HEADLINE_MAX_WORDS = 25
_PULL_QUOTE_SHARE = 0.8
_QUOTE_MARKS = "\"'“‘«”"
_TEASER_ENDINGS = ("[…]", "[...]", "(…)", "(...)")
_TEASER_MORE = ("... more", "… more", "...more", "…more", "(more…)", "read more")
_TEASER_MIN_WORDS = 5
_TOKEN = re.compile(r"\w+")
_YEAR_OR_TIME = re.compile(r"\b(?:1[89]|20)\d\d\b|\d:\d\d")
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_FEED_MIN_HEADLINES = 2  # one headline link among paragraphs can be the article's own aside
_FEED_MIN_LEDE_WORDS = 8
_FEED_NEW_WORDS = 0.9  # of the lede's words, this share never came before: another story
_FEED_LEDE_MIN_WORDS = 12
# Words seen above the first headline link before a lede can be called new: under a lead
# paragraph or two, an article's own next paragraph brings mostly new words too.
_FEED_MIN_WORDS_ABOVE = 60


def is_link_line(line: str, link_share: float) -> bool:
    """A headline-like line made of link text: a pointer to another story."""
    return (
        link_share >= LINK_LINE_SHARE
        and not ends_like_sentence(line)
        and len(line.split()) <= _HEADLINE_MAX_WORDS
    )


def article_end(lines: Sequence[str], link_shares: Sequence[float] | None = None) -> int:
    """The number of leading ``lines`` that belong to the article (the rest is appended)."""
    end = min(_first_repeat(lines), _second_article(lines), _author_note(lines))
    shares = link_shares if link_shares is not None else [0.0] * len(lines)
    if link_shares is not None:
        end = min(end, _story_feed(lines[:end], shares[:end]))
    return _before_link_tail(lines[:end], shares[:end])


def _author_note(lines: Sequence[str]) -> int:
    """The writer's note (e-mail address, "is the editor of ...") in the second half closes
    the article: what follows is more about the writer or the site."""
    for index in range(len(lines) // 2, len(lines)):
        if is_author_note(lines[index]):
            return index
    return len(lines)


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


def _story_feed(lines: Sequence[str], link_shares: Sequence[float]) -> int:
    """Other stories run on below the article: headline links, each over a lede paragraph
    (not a link), the first lede sharing almost none of its words with the article above.

    Asides inside an article also link a headline over the next paragraph, but that paragraph
    goes on with the article's own names and words.
    """
    headlines = [
        index
        for index in range(1, len(lines) - 1)
        if is_link_line(lines[index], link_shares[index])
        and len(lines[index].split()) >= 4
        and link_shares[index + 1] < 0.5
        and len(lines[index + 1].split()) >= _FEED_LEDE_MIN_WORDS
    ]
    if len(headlines) < _FEED_MIN_HEADLINES:
        return len(lines)
    first = headlines[0]
    lede = {word.lower() for word in _CONTENT_WORD.findall(lines[first + 1])}
    if len(lede) < _FEED_MIN_LEDE_WORDS:
        return len(lines)
    above = {word.lower() for line in lines[:first] for word in _CONTENT_WORD.findall(line)}
    if len(above) < _FEED_MIN_WORDS_ABOVE:
        return len(lines)
    return first if len(lede - above) >= _FEED_NEW_WORDS * len(lede) else len(lines)


def _second_article(lines: Sequence[str]) -> int:
    """A headline followed by a byline or dated line in the text's second half starts another
    article; in the first half it is this article's own header.

    The date must hold a year or a time of day ("Jueves 21 abril, 2022"): a sub-heading over a
    day of a timeline ("Viernes 6 de Mayo") stands in the article itself.
    """
    for index in range(max(1, len(lines) // 2), len(lines) - 2):
        line = lines[index]
        if ends_like_sentence(line) or len(line.split()) > _HEADLINE_MAX_WORDS:
            continue
        following = lines[index + 1 : index + 3]
        if any(parse_byline(other) is not None or _is_stamp(other) for other in following):
            return index
    return len(lines)


def _is_stamp(line: str) -> bool:
    return is_dateline(line) and _YEAR_OR_TIME.search(line) is not None


def _before_link_tail(lines: Sequence[str], link_shares: Sequence[float]) -> int:
    """Cut a closing run of links and teasers at its start.

    Short headings in the run count for neither side; one other line may sit among the teasers
    (a teaser that ends in full), as long as most of the run are links or teasers.
    """
    end = len(lines)
    start = end
    items = others = others_inside = 0
    for index in range(end - 1, -1, -1):
        line = lines[index]
        if _is_tail_item(line, link_shares[index]):
            items += 1
            start = index
            others_inside = others
        elif len(line.split()) > 6 or ends_like_sentence(line):
            others += 1
            if others > _TAIL_OTHERS or others > items:
                break
    return start if items >= _MIN_TAIL_LINKS and items >= 2 * others_inside else end


def _is_tail_item(line: str, share: float) -> bool:
    if _is_teaser(line):
        return True
    if len(line.split()) > 2 * _HEADLINE_MAX_WORDS:
        return False
    if share >= LINK_LINE_SHARE:
        return True
    return share >= TAIL_LINK_SHARE and not ends_like_sentence(line) and not _is_post(line)


class RepeatedText:
    """Remembers the text kept so far; tells when a quotation only says again what was said
    (a pull quote): most of its word triples came before."""

    def __init__(self) -> None:
        # A triple is kept as "w1 w2 w3" (words never hold a space): thousands of tuples
        # would each be tracked by the garbage collector, whose full passes they set off.
        self._triples: set[str] = set()
        # Lines not yet cut into triples: only a quotation needs them, and most lines are not
        # one, so they are cut when the next quotation comes (the same set, less work).
        self._pending: list[str] = []

    def repeats(self, line: str) -> bool:
        if line[:1] not in _QUOTE_MARKS:
            self._pending.append(line)
            return False
        words = _TOKEN.findall(line.casefold())
        if len(words) < _REPEAT_MIN_WORDS:
            self._pending.append(line)
            return False
        for earlier in self._pending:
            self._triples.update(_triples(_TOKEN.findall(earlier.casefold())))
        self._pending.clear()
        triples = set(_triples(words))
        repeated = len(triples & self._triples) >= _PULL_QUOTE_SHARE * len(triples)
        self._triples |= triples
        return repeated


def _triples(words: list[str]) -> Iterator[str]:
    return map(" ".join, zip(words, words[1:], words[2:], strict=False))


def _is_teaser(line: str) -> bool:
    """The opening of another story cut short: "... it would probably be […]", "... more"."""
    stripped = line.rstrip()
    return len(line.split()) >= _TEASER_MIN_WORDS and (
        stripped.endswith(_TEASER_ENDINGS) or stripped.lower().endswith(_TEASER_MORE)
    )


def _is_post(line: str) -> bool:
    """An embedded social post or its signature ("— Name (@handle) May 5, 2022"): its links
    are the post's own, and it belongs to the article."""
    return "(@" in line or "pic.twitter.com/" in line or "https://t.co/" in line


def _back_over_headings(lines: Sequence[str], index: int) -> int:
    while index > 0 and not ends_like_sentence(lines[index - 1]):
        index -= 1
    return index
