"""RSS and Atom feeds from fetched bytes to plain FeedItems, with feedparser doing the parsing."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import struct_time
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from lxml import etree

from bot.errors import NewsbriefError

__all__ = ["FeedError", "FeedItem", "ParsedFeed", "html_to_text", "parse_feed"]


class FeedError(NewsbriefError):
    """A feed's body held no usable items."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, reduced to what the digest needs."""

    guid: str  # the feed's id for the entry, else its link
    url: str  # absolute, resolved against the feed URL; "" when the entry has no link
    title: str  # plain text
    summary: str  # plain text, HTML stripped, paragraphs separated by blank lines
    content: str  # full body as the feed gave it (HTML or text), "" if none
    published: datetime | None  # aware, UTC
    source: str  # the feed's title, else its host
    feed_url: str
    lang: str | None  # the feed's declared language, lower-case ("en-gb"), if any
    tags: tuple[str, ...] = ()  # the entry's categories, as the feed names them


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed: its metadata, items, and whether the XML needed repairs."""

    url: str
    title: str
    link: str | None  # the site the feed belongs to
    lang: str | None
    version: str  # feedparser's name for the format: "rss20", "atom10", "rss10", ...
    items: tuple[FeedItem, ...]
    warning: str | None = None  # what was wrong with the XML when items were still recovered


def parse_feed(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    base_url: str | None = None,
) -> ParsedFeed:
    """Parse a fetched feed body; ``headers`` are the response's, so its charset is honoured.

    ``url`` names the feed (FeedItem.feed_url); relative links resolve against ``base_url``
    (where the body came from after redirects), which defaults to ``url``.
    Raises FeedError when nothing usable comes out: not a feed at all, or a broken one with no
    items. A feed that needed repairs but still gave items is returned with ``warning`` set.
    """
    base_url = base_url or url
    response_headers = {"content-location": base_url}
    content_type = _usable_content_type(_header(headers, "content-type"), body)
    if content_type:
        response_headers["content-type"] = content_type
    body = _SURROGATE_REFERENCE.sub(lambda m: _replacement(m.group()), body)
    # A stream, never bytes or str: feedparser opens a str as a URL and bytes as a file name.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, feedparser.NonXMLContentType):
        problem = None  # feeds served as text/html or without a type parse fine all the same
    if not parsed.entries and (problem is not None or not parsed.get("version")):
        if not parsed.get("version") and not parsed.feed.get("title"):
            raise FeedError(f"The address {url} did not return an RSS or Atom feed.")
        raise FeedError(f"The feed at {url} is broken and no items could be read from it.")

    feed = parsed.feed
    title = _plain_line(feed.get("title", "")) or (urlsplit(url).hostname or url)
    lang = (feed.get("language") or "").strip().lower() or None
    items = tuple(
        item
        for entry in parsed.entries
        if (item := _item(entry, url, base_url, source=title, lang=lang)) is not None
    )
    return ParsedFeed(
        url=url,
        title=title,
        link=feed.get("link") or None,
        lang=lang,
        version=parsed.get("version") or "",
        items=items,
        warning=_describe(problem) if problem is not None else None,
    )


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: block elements become paragraphs, spacing collapsed."""
    markup = _CONTROL_CHARACTERS.sub("", markup)  # lxml refuses them, and they are noise
    if "<" not in markup and "&" not in markup:
        return _collapse(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _collapse(re.sub(r"<[^>]*>", " ", markup))
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
        element.text = "\n\n" + (element.text or "")
    return _collapse(root.text_content())


_ESCAPED_HTML = re.compile(r"<(p|div|br|a\s+href|img|span|table)\b[^>]*>", re.IGNORECASE)
# C0 controls, DEL, surrogates and the two non-characters XML forbids: lxml refuses them all.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Numeric references to surrogates (&#55357;, &#xD83D;): MySQL-"utf8" sites write emoji so,
# and feedparser crashes encoding them (feedparser issue #599); U+FFFD shows they were there.
_SURROGATE_REFERENCE = re.compile(rb"&#(?:(?:5[5-7]\d{3})|(?:x0*[dD][89a-fA-F][0-9a-fA-F]{2}));")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "figure", "figcaption", "table", "tr", "td", "th", "section", "article",
    "header", "footer", "pre", "dl", "dt", "dd",
)  # fmt: skip


def _replacement(reference: bytes) -> bytes:
    """U+FFFD for a reference to a surrogate code point; any other reference unchanged."""
    digits = reference[2:-1]
    value = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF else reference


def _collapse(text: str) -> str:
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _plain_line(markup: str) -> str:
    return " ".join(html_to_text(markup).split())


def _item(
    entry: Any, feed_url: str, base_url: str, *, source: str, lang: str | None
) -> FeedItem | None:
    link = entry.get("link") or _permalink_guid(entry) or ""
    title = _plain_line(entry.get("title", ""))
    summary = html_to_text(entry.get("summary", ""))
    if _ESCAPED_HTML.search(summary):  # some feeds (reddit) escape their HTML twice
        summary = html_to_text(summary)
    if not link and not title and not summary:
        return None
    url = urljoin(base_url, link.strip()) if link else ""
    if not url.lower().startswith(("http://", "https://")):
        url = ""  # javascript:, mailto:, data: ... are nothing a digest should link to
    return FeedItem(
        guid=(entry.get("id") or "").strip() or url or title,
        url=url,
        title=title,
        summary=summary,
        content=_content(entry),
        published=_published(entry),
        source=source,
        feed_url=feed_url,
        lang=lang,
        tags=tuple(
            term for tag in entry.get("tags", []) if (term := (tag.get("term") or "").strip())
        ),
    )


def _permalink_guid(entry: Any) -> str | None:
    guid = entry.get("id") or ""
    return guid if guid.startswith(("http://", "https://")) else None


def _content(entry: Any) -> str:
    bodies = entry.get("content") or []
    html = [body for body in bodies if "html" in (body.get("type") or "")]
    chosen = (html or bodies or [None])[0]
    return (chosen.get("value") or "") if chosen is not None else ""


def _published(entry: Any) -> datetime | None:
    # dict.get, not entry.get: feedparser maps a missing "updated..." key to "published..."
    # with a DeprecationWarning.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed_time: struct_time | None = dict.get(entry, key)
        if parsed_time is not None:
            return datetime(*parsed_time[:6], tzinfo=UTC)
    for key in ("published", "updated"):
        raw = dict.get(entry, key)
        if raw and (when := _parse_localized_date(raw)) is not None:
            return when
    return None


# feedparser reads RFC 822 dates only with English names; Spanish and Portuguese feeds (UOL,
# some Mexican outlets) write "Seg, 24 Set 2018 19:42:40 -0300". Mapping the month to English
# and letting the stdlib parse the rest is smaller than a date library for this one case.
_MONTHS = {
    "ene": "Jan", "jan": "Jan", "feb": "Feb", "fev": "Feb", "mar": "Mar", "abr": "Apr",
    "apr": "Apr", "may": "May", "mai": "May", "jun": "Jun", "jul": "Jul", "ago": "Aug",
    "aug": "Aug", "sep": "Sep", "set": "Sep", "oct": "Oct", "out": "Oct", "nov": "Nov",
    "dic": "Dec", "dez": "Dec", "dec": "Dec",
}  # fmt: skip
_LOCALIZED_DATE = re.compile(
    r"^\s*(?:[^\d,]+,\s*)?(?P<day>\d{1,2})\s+(?P<month>[^\W\d]+)\.?\s+(?P<rest>\d{4}\s.*)$"
)


def _parse_localized_date(raw: str) -> datetime | None:
    found = _LOCALIZED_DATE.match(raw)
    if found is None:
        return None
    month_key = _strip_accents(found.group("month"))[:3].lower()
    month = _MONTHS.get(month_key)
    if month is None:
        return None
    try:
        when = parsedate_to_datetime(f"{found.group('day')} {month} {found.group('rest')}")
    except (TypeError, ValueError):
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _usable_content_type(content_type: str | None, body: bytes) -> str | None:
    """The Content-Type to give feedparser, minus the parts that would make it decode wrongly."""
    if not content_type:
        return None
    media_type, _, params = content_type.partition(";")
    media_type = media_type.strip().lower()
    charset_match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    charset = charset_match.group(1).lower() if charset_match else None
    if charset is None:
        # RFC 7303 dropped RFC 3023's us-ascii default for text/xml: the XML declaration rules,
        # as for application/xml. feedparser still follows RFC 3023.
        return (
            "application/xml"
            if media_type in ("text/xml", "text/xml-external-parsed-entity")
            else media_type
        )
    if charset.replace("-", "") != "utf8" and not body.isascii() and _is_utf8(body):
        # Non-ASCII text in a single-byte charset is almost never valid UTF-8, so a header that
        # says latin-1 over a UTF-8 body is a server default gone wrong (old Apache setups).
        return media_type
    return content_type


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _describe(problem: object) -> str:
    text = " ".join(str(problem).split())
    return f"{type(problem).__name__}: {text}" if text else type(problem).__name__
