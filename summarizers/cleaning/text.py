"""Cleaning whole texts: paragraphs without furniture, pasted text split into title and body."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizers.cleaning.appended import RepeatedText, article_end, is_link_line
from summarizers.cleaning.credits import (
    is_bracketed_credit,
    is_credit_line,
    without_credits,
)
from summarizers.cleaning.furniture import (
    ends_like_sentence,
    is_dateline,
    is_furniture_line,
    is_short_label,
    looks_like_headline,
    parse_byline,
)
from summarizers.cleaning.patterns import (
    BULLET,
    CAPTION,
    COMMENT_FORM,
    COMMENT_HEADING,
    HEADER_ZONE,
    TAIL_HEADING,
)


@dataclass(frozen=True, slots=True)
class CleanText:
    """Pasted text after cleaning: its headline, its byline and the body paragraphs."""

    title: str | None
    byline: str | None
    text: str  # paragraphs separated by blank lines


def _ends_article(lines: Sequence[str], index: int) -> bool:
    """Whether the line at ``index`` starts the comment section or closing link lists."""
    line = lines[index]
    if COMMENT_FORM.match(line):
        return True
    # "Leave a comment" links also sit under some headlines, so a heading only ends the
    # article in its second half.
    in_second_half = index >= len(lines) / 2
    return in_second_half and bool(COMMENT_HEADING.match(line) or TAIL_HEADING.match(line))


_SECTION_LABEL_WORDS = 2  # "Nacionales", "World news" above the headline
_LABEL_ZONE = 3
# Before the first paragraph of body text, short unpunctuated lines are labels, kickers and
# teaser titles ("La interna oficial", "Sin anestesia"): sub-headings only come after it.
_PRE_BODY_LABEL_WORDS = 4
_BODY_MIN_WORDS = 12
# A lead-in to a list the page did not give ("Seguir leyendo:", "More on this:") at the end.
_DANGLING_LEAD_IN_WORDS = 6
_CAPTION_MAX_WORDS = 35


def _is_caption_of(line: str, next_line: str) -> bool:
    """Photo alt text or a caption: a line followed by a caption label or a bracketed credit."""
    if CAPTION.match(next_line) and not ends_like_sentence(line):
        return True
    # the cheap test first: most next lines open no bracket (then no word count is needed)
    return (
        is_bracketed_credit(next_line)
        and len(line.split()) <= _CAPTION_MAX_WORDS
        and not is_credit_line(line)
    )


def _is_label(line: str, index: int, first_sentence: int, first_body: int) -> bool:
    """A short line above the text: a section label or, before the first body paragraph, a
    kicker or teaser title (for a line that does not end like a sentence)."""
    word_count = len(line.split())
    return (index < min(_LABEL_ZONE, first_sentence) and word_count <= _SECTION_LABEL_WORDS) or (
        index < first_body and word_count <= _PRE_BODY_LABEL_WORDS
    )


def clean_paragraphs(
    paragraphs: Iterable[str], link_shares: Sequence[float] | None = None
) -> list[str]:
    """Paragraphs without captions, bylines, datelines, share/comment/newsletter furniture,
    and without what the page appends after the article.

    ``link_shares`` (one per paragraph, from the HTML) says how much of each is link text.
    Shared by pasted text and text extracted from HTML, so every rule must hold for real pages.
    """
    lines = [" ".join(paragraph.split()) for paragraph in paragraphs]
    if link_shares is None:
        return _clean_lines([line for line in lines if line])
    pairs = [(line, share) for line, share in zip(lines, link_shares, strict=True) if line]
    return _clean_lines([line for line, _ in pairs], [share for _, share in pairs])


def _clean_lines(lines: list[str], link_shares: Sequence[float] | None = None) -> list[str]:
    """``clean_paragraphs`` for lines already stripped, with single spaces, none empty."""
    kept: list[str] = []
    after_byline = False
    # Section labels stand above the first sentence; a text of labels alone keeps them.
    first_sentence = next(
        (index for index, line in enumerate(lines) if ends_like_sentence(line)), 0
    )
    first_body = next(
        (
            index
            for index, line in enumerate(lines[:HEADER_ZONE])
            if ends_like_sentence(line)
            and len(line.split()) >= _BODY_MIN_WORDS
            and not is_furniture_line(line)  # a caption: "... (Foto: Agency)."
        ),
        0,
    )
    label_end = max(min(_LABEL_ZONE, first_sentence), first_body)  # no labels after this
    in_link_list = False  # after a related-stories heading, its bulleted items
    seen = RepeatedText()
    end = article_end(lines, link_shares)
    for index, raw_line in enumerate(lines[:end]):
        if _ends_article(lines, index):
            break
        # Desk lines ("BBC News, Washington") follow the byline; only the header zone has them.
        is_desk_line = after_byline and index < HEADER_ZONE and is_short_label(raw_line)
        after_byline = parse_byline(raw_line) is not None or (
            after_byline and is_dateline(raw_line)
        )
        if link_shares is not None and is_link_line(raw_line, link_shares[index]):
            continue
        # Furniture is judged before and after the credits go: "... Click here to subscribe."
        line = without_credits(raw_line)
        if in_link_list and BULLET.match(line):
            continue
        in_link_list = False
        is_label = (
            index < label_end
            and not ends_like_sentence(line)
            and _is_label(line, index, first_sentence, first_body)
        )
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            is_desk_line
            or is_label
            or _is_caption_of(line, next_line)
            or is_furniture_line(raw_line)
            or (line != raw_line and is_furniture_line(line))
            or seen.repeats(line)  # a pull quote saying again what the text says
        ):
            in_link_list = TAIL_HEADING.match(line) is not None
            continue
        kept.append(line)
    while kept and kept[-1].endswith(":") and len(kept[-1].split()) <= _DANGLING_LEAD_IN_WORDS:
        kept.pop()  # a lead-in to a list the page did not give ("Seguir leyendo:")
    # One short line without a sentence's end after the last sentence closes nothing: a label,
    # a site or desk name. (Several such lines are a list or a fact box, and stay.)
    if (
        len(kept) > 1
        and len(kept[-1].split()) <= _DANGLING_LEAD_IN_WORDS
        and not ends_like_sentence(kept[-1])
        and ends_like_sentence(kept[-2])
    ):
        kept.pop()
    return kept


def find_byline(paragraphs: Sequence[str]) -> str | None:
    """The names from the first byline line near the top of the text, if there is one."""
    for paragraph in paragraphs[:HEADER_ZONE]:
        names = parse_byline(" ".join(paragraph.split()))
        if names is not None:
            return names
    return None


def split_paragraphs(raw: str) -> list[str]:
    """Paragraphs of pasted text: one per line, except that hard-wrapped lines are rejoined.

    A line continues the previous one when that one has no closing punctuation and this one
    starts in lower case (a wrapped sentence); a line starting in upper case after an
    unpunctuated one is a caption, a byline or a heading, so it stays apart.
    """
    paragraphs: list[str] = []
    continues = False
    for raw_line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw_line.split())
        if not line:
            continues = False
            continue
        if continues and line[0].islower() and not ends_like_sentence(paragraphs[-1]):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        continues = True
    return paragraphs


def clean_pasted_text(raw: str) -> CleanText:
    """Title, byline and clean body of text a user pasted from a web page."""
    paragraphs = split_paragraphs(raw)
    byline = find_byline(paragraphs)
    title: str | None = None
    if len(paragraphs) > 1 and looks_like_headline(paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    body = _clean_lines(paragraphs)  # split_paragraphs already normalized the spaces
    return CleanText(title=title, byline=byline, text="\n\n".join(body))
