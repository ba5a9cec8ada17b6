"""Credits, bylines and captions inside the text: lines to drop and prefixes to strip.

A caption or credit line says who made a picture or the story ("(AP Photo/Evan Vucci)",
"– Jane Doe, Editor", "(via Example)"); a prefix before a paragraph's first sentence names the
writer, the wire or the place ("By Jane Doe: ", "X via Y — ", "SIOUX FALLS, S.D. – "), which
would otherwise open a summary sentence or split off as a sentence of its own.
"""

from __future__ import annotations

import re

from summarizers.cleaning.patterns import contains_any
from summarizers.figures.reading.words import fold_case

# "By Jane Doe:" / "By JANE DOE |" before the first sentence of a paragraph.
_BYLINE_PREFIX = re.compile(
    r"^(?i:by|por)\s+(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*\s*[:|—–]\s+(?=\S)"
)
# A credit before the text: "SITE via AGENCY — ", "NAME/AGENCY — " (a wire credit, not a place).
_CREDIT_PREFIX = re.compile(
    r"^(?:[A-Z][\w'’.&-]*\s+){0,3}[A-Z][\w'’.&-]*\s+via\s+(?:[A-Z][\w'’.&-]*\s*){1,4}"
    r"\s*[—–-]\s+(?=\S)"
)
# A line that ends in a photo credit is a caption: "... (AP Photo/Evan Vucci)", "(Foto: EFE)".
_CAPTION_CREDIT = re.compile(
    r"[(\[](?:\w+\s+)?(?:photo|foto|fotografía|image|imagen|credit|crédito|courtesy|cortesía)"
    r"s?\b[^()\[\]]{0,80}[)\]]\s*\.?$"
    r"|\b(?:photo|foto|fotografía|image|imagen)s?\s*(?:by|de|por|:|/)\s*[^.!?]{2,60}$"
    r"|\((?:file|file photo|archive|archivo|foto de archivo)\)\s*\.?$"
    # "..., photos © Name, 2018"; a credit glued to the caption: "... in New York.Agency Name"
    r"|\b(?:photos?|images?|fotos?|fotografías?)\s*©"
    r"|[a-z]{2}[.!?](?-i:[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})$",
    re.IGNORECASE,
)
_CAPTION_MAX_WORDS = 60
# Words one of the first four _CAPTION_CREDIT alternatives needs (as fold_case sees them); the
# fifth needs the line to end in a lower-case ASCII letter. A line with neither cannot match, so
# the regex, which tries every position of the line, is skipped there with the same answer.
_CAPTION_CUES = (
    *("photo", "foto", "image", "credit", "crédito", "courtesy", "cortesía", "file", "archiv"),
    "©",
)
_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


# A dateline before the text whose region ends in an abbreviation ("SIOUX FALLS, S.D. – "):
# the sentence splitter would cut it off as a sentence of its own. Other datelines stay.
_DATELINE_PREFIX = re.compile(
    r"^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’.-]*(?:\s+[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’.-]*){0,3}"
    r",\s*(?:[A-Z][\w]*\s+)?[A-Z][\w]*\.(?:[A-Z]\w*\.)*\s*(?:\([^()]{1,40}\))?\s*[—–-]+\s+"
    r"(?=[\"“‘A-Z])"
)
# The same in title case, only with its dash ("Dekalb, Ill. — "): without one, "Smith, Jr." could
# open an honest sentence.
_TITLE_DATELINE_PREFIX = re.compile(
    r"^[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){0,3},\s*[A-Z][a-z]{0,4}\.(?:\s?[A-Z][a-z]{0,3}\.)*"
    r"\s*[—–]\s+(?=[\"“‘A-Z])"
)
# A place in capitals and its region alone on a line: "SIOUX FALLS, S.D.".
_DATELINE_ONLY = re.compile(
    r"^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’.-]*(?:\s+[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’.-]*){0,3}"
    r",\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?$"
)
# A credit alone in brackets: "(FILE)", "(NM)", "(via Example Blog)", "(Photo: Reuters)".
_BRACKETED_CREDIT = re.compile(r"^\((?:via\s[^()]{1,60}|[A-Z][\w .&/-]{0,30})\)\.?$")
# Where the facts came from, in brackets under the story: "(Con información de EFE y AFP)".
# Not a picture's credit, so the line above it is no caption.
_SOURCES_NOTE = re.compile(
    r"^\((?:(?i:with (?:additional )?(?:reporting|information|files|input) (?:from|by)|reporting by"
    r"|con (?:informaci[oó]n|datos|reportes?) de|informaci[oó]n de|fuente:|source:)"
    r"[^()]{1,80})\)\.?$"
)
# Initials alone on a line: the writer's or the desk's sign-off ("DS", "J.M.", "AFP/NM").
_INITIALS = re.compile(
    r"^(?=\W*[A-ZÁÉÍÓÚÑ]\W*[A-ZÁÉÍÓÚÑ])[A-ZÁÉÍÓÚÑ]{1,4}\.?(?:[./ ][A-ZÁÉÍÓÚÑ]{1,4}\.?){0,2}$"
)
# A signature under a quote or post: "– Jane Doe, Editor", "— Name (@handle) May 5, 2022".
_SIGNATURE = re.compile(
    r"^[—–]\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*(?:,[^.!?]{0,60}|\(@\w+\).{0,30})$"
)
_TRAILING_CREDIT = re.compile(
    r"(?<=[.!?”\"])\s+(?:(?-i:\((?!FILE\))[A-Z]{1,5}\))|(?:click (?:through|here|below)"
    r"|read (?:more|the full (?:story|article))|lee (?:más|también)|haz clic)\b[^.!?]{0,80}"
    r"[.!?]?)\s*$",
    re.IGNORECASE,
)
_TRAILING_CUES = (
    *("click through", "click here", "click below", "read more", "read the full"),
    *("lee más", "lee también", "haz clic"),
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+")
# "Jane Doe (jane@example.com) is the editor of ...": the writer's note under the story.
_BIO = re.compile(r"\b(?:is|es) (?:a|an|the|el|la|un|una)\b", re.IGNORECASE)
_CREDIT_MAX_WORDS = 14


def is_credit_line(line: str) -> bool:
    """A line that only credits: a bracketed credit, a signature, a writer's contact or note."""
    words = len(line.split())
    if words <= _CREDIT_MAX_WORDS and (
        _BRACKETED_CREDIT.match(line)
        or (line[:1] == "(" and _SOURCES_NOTE.match(line))
        or _SIGNATURE.match(line)
        or _DATELINE_ONLY.match(line)
        or (len(line) <= 12 and _INITIALS.match(line))
    ):
        return True
    return is_author_note(line) or (
        words <= _CREDIT_MAX_WORDS
        and "@" in line
        and _EMAIL.search(line) is not None
        and not line.rstrip().endswith((".", "!", "?"))
    )


def is_bracketed_credit(line: str) -> bool:
    """A credit alone in brackets ("(FILE)", "(via Example)"): under a picture, a caption."""
    return (
        line[:1] == "("  # what _BRACKETED_CREDIT starts with; most lines do not
        and len(line.split()) <= _CREDIT_MAX_WORDS
        and _BRACKETED_CREDIT.match(line) is not None
        and _SOURCES_NOTE.match(line) is None  # "(With reporting from X)" credits no picture
    )


def is_author_note(line: str) -> bool:
    """The writer's note: an e-mail address and "is the/a ..." in a short paragraph."""
    return (
        "@" in line  # what _EMAIL needs: most lines have none, and its search is slow
        and len(line.split()) <= 60
        and _EMAIL.search(line) is not None
        and bool(_BIO.search(line))
    )


def is_captioned_credit(line: str) -> bool:
    """A photo caption that ends in its credit."""
    return captioned_credit_in(line, fold_case(line), len(line.split()))


def captioned_credit_in(line: str, folded: str, word_count: int) -> bool:
    """``is_captioned_credit`` for a caller that has ``fold_case(line)`` and its word count."""
    return (
        word_count <= _CAPTION_MAX_WORDS
        and _may_end_in_credit(line, folded)
        and _CAPTION_CREDIT.search(line) is not None
    )


def _may_end_in_credit(line: str, folded: str) -> bool:
    # "$" also matches before a final line break
    last = line[-2:-1] if line.endswith("\n") else line[-1:]
    return last in _ASCII_LOWER or contains_any(folded, _CAPTION_CUES)


def without_credits(line: str) -> str:
    """The paragraph without a leading byline ("By Jane Doe: "), credit ("X via Y — ") or
    dateline ("SIOUX FALLS, S.D. — "), and without a closing initials credit or link prompt
    ("... fixtures. (NM)", "... prejudice. Click through for the whole thing.")."""
    stripped = _BYLINE_PREFIX.sub("", line, count=1)
    stripped = _CREDIT_PREFIX.sub("", stripped, count=1)
    stripped = _DATELINE_PREFIX.sub("", stripped, count=1)
    # a title-case dateline needs its dash near the start; most lines have none there
    if stripped.find("—", 0, 60) >= 0 or stripped.find("–", 0, 60) >= 0:
        stripped = _TITLE_DATELINE_PREFIX.sub("", stripped, count=1)
    # _TRAILING_CREDIT tries every position of the line: only where what it needs is there
    if stripped.rstrip().endswith(")") or contains_any(fold_case(stripped), _TRAILING_CUES):
        stripped = _TRAILING_CREDIT.sub("", stripped, count=1)
    return stripped if stripped[:1].isupper() else line
