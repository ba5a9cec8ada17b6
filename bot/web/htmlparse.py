"""HTML bytes or text -> an lxml tree: the page's declared charset, XML-safe characters.

Split from bot.web.extract so that module stays about extraction.
"""

from __future__ import annotations

import codecs
import logging
import re

import trafilatura
from lxml.html import HtmlElement

log = logging.getLogger(__name__)

_SNIFF_BYTES = 4096
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w:.-]+)""",
    re.IGNORECASE,
)
# HTML's encoding rules read these labels as windows-1252 (WHATWG Encoding, "latin1" et al.).
_WINDOWS_1252_ALIASES = frozenset({"latin_1", "iso8859_1", "ascii"})

# Characters (and references to them) that XML forbids: trafilatura's lxml step discards the
# whole document over a single one, so a good article would read as "no article text".
_NOT_XML_CHARACTER = re.compile(r"[\ufffe\uffff\ud800-\udfff]")
_NUMERIC_REFERENCE = re.compile(r"&#(x[0-9a-f]{1,8}|[0-9]{1,10});", re.IGNORECASE)


def _xml_safe(document: str) -> str:
    def replace(reference: re.Match[str]) -> str:
        digits = reference[1]
        value = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
        return "\ufffd" if 0xD800 <= value <= 0xDFFF or value in (0xFFFE, 0xFFFF) else reference[0]

    return _NUMERIC_REFERENCE.sub(replace, _NOT_XML_CHARACTER.sub("\ufffd", document))


def parse_html(html: str | bytes) -> HtmlElement | None:
    document = _decode(html) if isinstance(html, bytes) else html
    if isinstance(document, str):
        document = _xml_safe(document)
    try:
        return trafilatura.load_html(document)
    except Exception:  # lxml and trafilatura raise many types on hostile input
        log.warning("could not parse HTML", exc_info=True)
        return None


def _decode(data: bytes) -> str | bytes:
    """UTF-8 (with or without BOM) or the charset the page declares; else bytes for guessing.

    trafilatura's own decoder ignores ``<meta charset>`` and guesses, which misreads short
    windows-1252 pages; undeclared non-UTF-8 bytes still go to its guesser.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = _DECLARED_CHARSET.search(data[:_SNIFF_BYTES])
    if match is None:
        return data
    label = (match[1] or match[2]).decode("ascii", errors="ignore")
    try:
        codec = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return data
    if codec in _WINDOWS_1252_ALIASES:
        codec = "cp1252"
    return data.decode(codec, errors="replace")
