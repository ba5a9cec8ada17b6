"""HTML page or pasted text -> Article: trafilatura extraction plus the shared cleaning rules.

``extract_article`` is plain synchronous CPU work; the async core runs it in a thread.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document

from bot.errors import ExtractionError, InputError
from bot.models import Article
from bot.web.htmlparse import parse_html
from bot.web.language import DEFAULT_LANGUAGE, detect_language
from bot.web.links import LinkTexts, link_shares
from bot.web.urls import link_target
from bot.web.walls import find_wall
from summarizers.cleaning import (
    clean_paragraphs,
    clean_pasted_text,
    find_byline,
    looks_like_headline,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "article_from_text",
    "declared_languages",
    "detect_language",
    "extract_article",
]

log = logging.getLogger(__name__)

NO_ARTICLE_TEXT = "That page has no article text I can summarize."
NO_PASTED_TEXT = "There is no article text in what you pasted."

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_TITLE_ZONE = 3  # the headline repeats within the first lines of the text, if at all
_TITLE_OVERLAP = 0.5
_MIN_ARTICLE_WORDS = 10  # a lone "Home" link or cookie button is not an article
_TITLE_SUFFIX = re.compile(r"^(?P<headline>.+?)\s+[|\-–—:·]+\s+(?P<site>[^|\-–—:·]+)$")


def extract_article(
    html: str | bytes,
    url: str | None = None,
    *,
    declared_language: str | None = None,
    status: int = 200,
) -> Article:
    """The article in an HTML page: clean body text in paragraphs, title, byline, date, language.

    ``declared_language`` is a tag from outside the page (a feed's language), trusted less than
    the page's own tags; the text overrules both when it is clearly in another language.
    A paywall stub, consent wall, bot challenge or link index comes back with ``wall`` set
    (bot.web.walls) and only its visible text. Raises ExtractionError when the page holds no body
    text (empty, broken or not an article). ``status`` is the HTTP status the page came with.
    """
    tree = parse_html(html)
    if tree is None:
        raise ExtractionError(NO_ARTICLE_TEXT)
    document = _run_trafilatura(tree, url)
    if document is None or not document.text:
        return _wall_article(tree, url, status)

    canonical_url = _canonical_url(tree, document.url, url)
    source = _source_name(document.sitename) or _host(canonical_url)
    title = _without_site_name(_clean_field(document.title), source)
    lines = document.text.split("\n")
    without_headline = _without_headline(lines, title)
    body = clean_paragraphs(without_headline, link_shares(without_headline, LinkTexts(tree)))
    text = "\n\n".join(body)
    wall = find_wall(tree, document.text, status)  # before cleaning: prompts are furniture
    if wall is None and len(text.split()) < _MIN_ARTICLE_WORDS:
        raise ExtractionError(NO_ARTICLE_TEXT)

    return Article(
        text=text,
        title=title,
        url=url,
        canonical_url=canonical_url,
        byline=_byline(document.author) or find_byline(lines),
        published=_parse_date(document.date),
        lang=detect_language(text, declared=[*declared_languages(tree), declared_language]),
        source=source,
        wall=wall.kind if wall else None,
    )


def _wall_article(tree: HtmlElement, url: str | None, status: int) -> Article:
    """A page without body text is either a wall (said so, with nothing to show) or no article."""
    wall = find_wall(tree, "", status)
    if wall is None:
        raise ExtractionError(NO_ARTICLE_TEXT)
    title = _clean_field(tree.findtext(".//title"))
    return Article(text="", title=title, url=url, canonical_url=url, wall=wall.kind)


def article_from_text(raw: str, *, declared_language: str | None = None) -> Article:
    """An Article from text a user pasted: headline as title, byline found, furniture dropped.

    The language comes from the text (and ``declared_language``, e.g. a feed's, when the text
    is too short to tell). Raises InputError when nothing is left after cleaning.
    """
    clean = clean_pasted_text(raw)
    if not clean.text:
        raise InputError(NO_PASTED_TEXT)
    return Article(
        text=clean.text,
        title=clean.title,
        byline=clean.byline,
        lang=detect_language(
            f"{clean.title}\n\n{clean.text}" if clean.title else clean.text,
            declared=[declared_language],
        ),
    )


def _run_trafilatura(tree: HtmlElement, url: str | None) -> Document | None:
    date_params = {
        "original_date": True,
        # The extensive search falls back to dateparser: 3x slower on the snippet pages (2 s on
        # a first Spanish page) for no gain (right dates on 59 labelled pages: 50 without, 49 with).
        "extensive_search": False,
        "max_date": date.today().isoformat(),
        "outputformat": _DATE_FORMAT,  # keeps the time of day when the page gives one
    }
    try:
        document = trafilatura.bare_extraction(
            tree,  # bare_extraction copies a tree it is given, so ours stays intact
            url=url,
            with_metadata=True,
            include_comments=False,
            # Data tables give figures without a sentence to quote; on the benchmark pages they
            # changed F1 by under 0.001, and layout tables come back through the fallback.
            include_tables=False,
            include_images=False,
            date_extraction_params=date_params,
        )
    except Exception:  # a crash inside the extractor means "no article", not a bot failure
        log.warning("trafilatura failed on %s", url, exc_info=True)
        return None
    return document if isinstance(document, Document) else None


def _comparable(line: str) -> str:
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def _without_headline(lines: list[str], title: str | None) -> list[str]:
    """Lines without the headline that trafilatura keeps as the first line of the body."""
    if not title:
        return lines
    for index, line in enumerate(lines[:_TITLE_ZONE]):
        if _repeats_title(line, title):
            return lines[:index] + lines[index + 1 :]
    return lines


def _repeats_title(line: str, title: str) -> bool:
    """The same headline, or a headline-shaped line made mostly of the title's words.

    The page's ``<h1>`` and its og:title often differ ("Julian Assange: Sweden drops rape
    investigation" / "Sweden drops Assange rape investigation").
    """
    seen, wanted = _comparable(line), _comparable(title)
    if not seen:
        return False
    if seen == wanted or (len(seen) > 10 and wanted.startswith(f"{seen} ")):
        return True
    title_words, line_words = set(wanted.split()), set(seen.split())
    shared = len(title_words & line_words)
    needed = _TITLE_OVERLAP * max(len(title_words), len(line_words))
    return looks_like_headline(line) and shared >= needed


def _clean_field(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None


def _source_name(sitename: str | None) -> str | None:
    """The outlet's name; some pages give their address instead ("https://www.kitv.com")."""
    sitename = _clean_field(sitename)
    if sitename and ("://" in sitename or sitename.startswith("www.")):
        return _host(sitename if "://" in sitename else f"https://{sitename}")
    return sitename


def _without_site_name(title: str | None, source: str | None) -> str | None:
    """The title without a trailing outlet name ("Record of the Week | Tone Deaf")."""
    if not title or not source:
        return title
    match = _TITLE_SUFFIX.match(title)
    if match and _comparable(match["site"]) == _comparable(source):
        return match["headline"]
    return title


def _byline(author: str | None) -> str | None:
    author = _clean_field(author)
    return author.replace("; ", ", ") if author else None


def _parse_date(value: str | None) -> datetime | None:
    """A timezone-aware datetime; dates and times without a zone are taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _canonical_url(tree: HtmlElement, document_url: str | None, fetched: str | None) -> str | None:
    """``<link rel=canonical>``, og:url or trafilatura's pick, absolute; else the fetch URL.

    trafilatura alone drops a relative canonical link unless og: tags give it a base.
    """
    declared = [
        *tree.xpath(
            '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
        ),
        *tree.xpath('//meta[@property="og:url"]/@content'),
        document_url,
    ]
    for candidate in declared:
        absolute = _absolute_http_url(str(candidate or ""), fetched)
        if absolute is not None:
            return absolute
    return fetched


def _absolute_http_url(link: str, base: str | None) -> str | None:
    link = link.strip()
    if not link:
        return None
    # A canonical link Python and browsers read differently (backslash, userinfo, controls,
    # spaces) would make a spoofed label: refused, so the fetched URL is used instead.
    return link_target(urljoin(base or "", link))


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def declared_languages(tree: HtmlElement) -> list[str | None]:
    """Language tags a page declares (html lang, og:locale, ...), most trusted first."""
    declared: list[str | None] = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
    ]
    for xpath in (
        '//meta[@property="og:locale"]/@content',
        '//meta[translate(@http-equiv, "CONTENT-LANGUAGE", "content-language")'
        '="content-language"]/@content',
        '//meta[@name="language" or @name="dc.language" or @name="DC.language"]/@content',
    ):
        declared.extend(str(value) for value in tree.xpath(xpath))
    return declared
