"""Rules that strip page furniture (captions, bylines, share and comment blocks) from text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarizers.figures.words import fold_case

__all__ = ["CleanText", "clean_paragraphs", "clean_pasted_text", "find_byline", "split_paragraphs"]


@dataclass(frozen=True, slots=True)
class CleanText:
    """Pasted text after cleaning: its headline, its byline and the body paragraphs."""

    title: str | None
    byline: str | None
    text: str  # paragraphs separated by blank lines


_HEADLINE_MAX_WORDS = 25
_HEADLINE_MAX_CHARS = 200
_FURNITURE_MAX_WORDS = 12  # share bars, dates and headings are short; body sentences rarely are
_HEADER_ZONE = 12  # bylines and datelines sit within the first paragraphs

_CLOSERS = "\"'”’»)]*"
_SENTENCE_END = ".!?…:;"


def _rule(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# "Image caption, ...", "Image source, Getty Images", "Media caption,", "(Credit: Grist)"
_CAPTION = _rule(
    r"^\(?(?:image|photo|picture|video|media|graphic)\s+(?:caption|source|credit|copyright)s?",
    r"^\(?(?:photo|photograph|picture|image|illustration|pictured|credit)s?\s*:",
)
# A short line naming the photo agency: "Getty Images", "AFP via Getty Images", "EPA-EFE"
_PHOTO_CREDIT = _rule(
    r"^(?:©\s*)?(?:getty(?: images)?|reuters|afp|epa(?:-efe)?|ap(?: photo)?|pa(?: media| wire)?"
    r"|shutterstock|alamy|bloomberg|anadolu|efe)(?:\s*(?:/|via|-|,)\s*[\w .&-]+)?$"
)
_BYLINE = _rule(r"^(?:by|written by|words by)\s*:?\s+(?P<names>\S.*)$")
_COMMENT_FORM = _rule(
    r"^(?:your email address will not be published|required fields are marked"
    r"|you must be (?:logged|signed) in to post a comment|comments are closed|cancel reply"
    r"|post comment$)"
)
_COMMENT_HEADING = _rule(
    r"^(?:leave a (?:reply|comment)|post a comment|add a comment|comments?|view comments"
    r"|show comments|join the (?:conversation|discussion)|\d+\s+(?:comments?|responses?|replies"
    r"|thoughts on\b.*))(?:\s+cancel reply)?\W*$"
)
# Headings of the link lists that close an article page: everything after them is links.
_TAIL_HEADING = _rule(
    r"^(?:related topics|more on this story|related (?:stories|articles|content|coverage|posts)"
    r"|top stories|most read|most popular|popular on\b.*|you may also like|recommended"
    r"(?: for you)?|more (?:stories|news) from\b.*|read next|tags|topics"
    r"|contenido relacionado|notas relacionadas|temas(?: relacionados)?|más sobre\b.*)\W*$"
)
# Furniture of any length up to _NOTICE_MAX_WORDS. The rules anchored at the start of the line
# are matched there only: searching them through every position of long lines was the main cost.
_NOTICE_AT_START = _rule(
    # links to other stories: "Read more: ...", "Lea también: ..."
    r"^(?:read more|read also|also read|related|see also|read next|more|watch|listen"
    r"|filed under|lea (?:también|más)|lee (?:también|más)|lea|lee|l[ea] puede interesar"
    r"|te puede interesar|ver (?:también|más)|mira)\s*[:|]",
    r"^also on \S+\.\w+",
    # newsletter, paywall, app and social prompts
    r"^(?:sign up|subscribe)\b",
    r"^(?:get|register|join|enter your email|don't miss|never miss)\b.*"
    r"\b(?:newsletters?|inbox|e-?mails?|updates|alerts|briefing|digest)\b",
    r"^to (?:view|read|continue reading|access) (?:the |this )?(?:full )?(?:story|article)\b",
    r"^(?:like this (?:story|article)\?|if you (?:enjoyed|liked|value) this (?:story|article))",
    r"^follow\b.*\bon (?:facebook|twitter|instagram|x|linkedin|tiktok|youtube)\b",
    r"^follow\b.*\bcoverage\b",
    r"^(?:thanks|thank you) for signing up|^keep an eye on your inbox"
    r"|^there was an error processing your",
    # credits and contacts: "Reporting by ...", "Write to X at x@y.com"
    r"^(?:additional )?reporting by\b",
    r"^(?:write to|email|e-mail|contact|reach)\b.*\b[\w.+-]+@[\w-]+\.[\w.]+",
    r"^source\s*:",
    r"^(?:copyright\b|©|\(c\)\s*\d{4})",  # copyright
)
_NOTICE_ANYWHERE = _rule(
    r"\b(?:subscribe (?:now|today)|please subscribe|already (?:a subscriber|subscribed)"
    r"|click(?:ing)? here|download (?:our\b.*\bapps?|the\b.*\bapps? for (?:ios|android)))\b",
    r"\bcontributed (?:to this report|reporting)\b",  # "Keith Bradsher contributed reporting."
    r";\s*editing by\b",
    r"\ball rights reserved\b|for your personal, non-commercial",
)
# Words the _NOTICE_ANYWHERE rules need, in lower case: most lines have none, so most skip it.
_NOTICE_WORDS = ("subscri", "click", "download", "contributed", "editing", "all rights", "for your")
_NOTICE_MAX_WORDS = 40
_STANDALONE = _rule(
    r"^(?:advertisement|story continues below(?: advertisement)?|continue reading"
    r"(?: the main story)?|skip to (?:main )?content|loading\W*|this article is more than .+ old"
    r"|privacy policy|terms of (?:use|service)|order reprints|print article)$",
    r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$",  # a bare address: "BVINEWS.COM"
)
_NEWSLETTER_LABEL = _rule(r"\bnewsletters?\b")
# Captions, stand-alone lines and comment forms in one regex: one test per line, not three.
_ALWAYS_FURNITURE = _rule(*(rule.pattern for rule in (_CAPTION, _STANDALONE, _COMMENT_FORM)))
_SHARE_START = _rule(r"^(?:share|click to share|follow us)\b")
_SHARE_WORDS = _wordset(
    "share shares sharing this article story page post on via tweet email e-mail mail print "
    "copy link save pin facebook twitter x linkedin whatsapp reddit pinterest messenger telegram "
    "flipboard bluesky threads click to opens in new window the it or with friends"
)
_DATELINE_START = _rule(
    r"^(?:published|updated|posted|last (?:updated|modified)|first published|modified"
    r"|release date|date\s*:|reading time|tempo de leitura|tiempo de lectura)"
)
_DATE_WORDS = _wordset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday mon tue tues wed thu thur thurs fri sat sun am pm gmt utc bst est edt cst cdt "
    "pst pdt et pt ct cet cest at on ago hour hours hr hrs minute minutes min mins second seconds "
    "day days week weeks read st nd rd th t z"
)
_WORD = re.compile(r"[^\W\d_]+|\d+")
_BULLET = re.compile(r"^[-•*–]\s+")


def _word_count(line: str) -> int:
    return len(line.split())


def ends_like_sentence(line: str) -> bool:
    """Whether ``line`` ends with sentence punctuation (closing quotes and brackets ignored)."""
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_short_label(line: str) -> bool:
    return _word_count(line) <= _FURNITURE_MAX_WORDS and not ends_like_sentence(line)


def looks_like_headline(line: str) -> bool:
    """Short, and not closed by a full stop: how headlines (and not body sentences) look."""
    stripped = line.strip()
    return (
        bool(stripped)
        and _word_count(stripped) <= _HEADLINE_MAX_WORDS
        and len(stripped) <= _HEADLINE_MAX_CHARS
        and not stripped.rstrip(_CLOSERS).endswith((".", ",", ";", ":"))
        and not _is_furniture(stripped)
    )


def parse_byline(line: str) -> str | None:
    """The names in a byline line ("By Matt Murphy" -> "Matt Murphy"), else None."""
    match = _BYLINE.match(line.strip())
    if match is None:
        return None
    names = match["names"].strip()
    words = names.split()
    if not words or len(words) > 10 or ends_like_sentence(names) or not names[0].isupper():
        return None
    return names


def _is_share_bar(line: str) -> bool:
    if _SHARE_START.match(line):
        return True
    words = re.findall(r"[\w-]+", line.lower())
    return bool(words) and all(word in _SHARE_WORDS for word in words)


def _is_dateline(line: str) -> bool:
    return _is_short_label(line) and _is_date_label(line)


def _is_date_label(line: str) -> bool:
    if _DATELINE_START.match(line):
        return True
    tokens = _WORD.findall(line.lower())
    has_number = any(token.isdigit() for token in tokens)
    return has_number and all(token.isdigit() or token in _DATE_WORDS for token in tokens)


def _is_furniture(line: str) -> bool:
    """Lines that are never article text, wherever they stand."""
    line = _BULLET.sub("", line)
    if _ALWAYS_FURNITURE.match(line) or parse_byline(line) is not None:
        return True
    word_count = _word_count(line)  # counted once: body lines reach every rule below
    if word_count > _NOTICE_MAX_WORDS:
        return False
    is_short_label = word_count <= _FURNITURE_MAX_WORDS and not ends_like_sentence(line)
    if is_short_label and (
        _is_date_label(line)
        or _PHOTO_CREDIT.match(line)
        or _COMMENT_HEADING.match(line)
        or _TAIL_HEADING.match(line)
        or _NEWSLETTER_LABEL.search(line)
        or _is_share_bar(line)
    ):
        return True
    return bool(_NOTICE_AT_START.match(line) or _has_notice_anywhere(line))


def _has_notice_anywhere(line: str) -> bool:
    folded = fold_case(line)
    for word in _NOTICE_WORDS:
        if word in folded:
            return _NOTICE_ANYWHERE.search(line) is not None
    return False


def _ends_article(lines: Sequence[str], index: int) -> bool:
    """Whether the line at ``index`` starts the comment section or closing link lists."""
    line = lines[index]
    if _COMMENT_FORM.match(line):
        return True
    # "Leave a comment" links also sit under some headlines, so a heading only ends the
    # article in its second half.
    in_second_half = index >= len(lines) / 2
    return in_second_half and bool(_COMMENT_HEADING.match(line) or _TAIL_HEADING.match(line))


def clean_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """Paragraphs without captions, bylines, datelines, share/comment/newsletter furniture.

    Shared by pasted text and text extracted from HTML, so every rule must hold for real pages.
    """
    lines = [" ".join(paragraph.split()) for paragraph in paragraphs]
    return _clean_lines([line for line in lines if line])


def _clean_lines(lines: list[str]) -> list[str]:
    """``clean_paragraphs`` for lines already stripped, with single spaces, none empty."""
    kept: list[str] = []
    after_byline = False
    for index, line in enumerate(lines):
        if _ends_article(lines, index):
            break
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        is_alt_text = bool(_CAPTION.match(next_line)) and not ends_like_sentence(line)
        # Desk lines ("BBC News, Washington") follow the byline; only the header zone has them.
        is_desk_line = after_byline and index < _HEADER_ZONE and _is_short_label(line)
        after_byline = parse_byline(line) is not None or (after_byline and _is_dateline(line))
        if is_alt_text or is_desk_line or _is_furniture(line):
            continue
        kept.append(line)
    return kept


def find_byline(paragraphs: Sequence[str]) -> str | None:
    """The names from the first byline line near the top of the text, if there is one."""
    for paragraph in paragraphs[:_HEADER_ZONE]:
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
