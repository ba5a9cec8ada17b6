"""The article de-duplication policy every store backend follows: when two articles are one.

A backend only looks up and writes; what counts as "the same article" and what a repeat may
change is decided here, once, so that a second backend cannot drift from the first:

- names: an article's URL, canonical URL and extra keys (other links, feed GUIDs made with
  ``records.feed_item_key``) in ``bot.web.urls.canonical_url`` form, canonical URL first;
- match: an incoming article is the stored one with the same canonical URL, else the same
  text (``bot.web.urls.content_hash``), else any other shared name;
- merge: a known article keeps its text and only gains a missing title, byline, source or
  published date; a new topic score replaces the old one;
- names already leading to one article keep leading there (the first mapping wins).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import IntEnum

from bot.models import Article
from bot.store.records import StoredArticle
from bot.web.urls import canonical_url, content_hash


class MatchedBy(IntEnum):
    """How an incoming article matched a stored one, strongest first."""

    CANONICAL_URL = 0
    TEXT = 1
    OTHER_NAME = 2


@dataclass(frozen=True, slots=True)
class ArticleIdentity:
    """Everything that names an article, in the forms the store compares."""

    url: str  # as fetched (after redirects)
    canonical_url: str  # as the page declared it (else url)
    canonical_key: str  # canonical_url in bot.web.urls.canonical_url form
    content_hash: str
    names: tuple[str, ...]  # canonical_key first, then the url's and the keys', each once


def article_identity(article: Article, keys: Iterable[str] = ()) -> ArticleIdentity:
    """The names of ``article`` (plus ``keys``); ValueError when it has no URL or no text."""
    url = article.url or article.canonical_url
    canonical = article.canonical_url or article.url
    if not url or not canonical:
        raise ValueError("An article needs a URL to be stored.")
    if not article.text.strip():
        raise ValueError("An article needs text to be stored.")
    names = tuple(dict.fromkeys(canonical_url(name) for name in (canonical, url, *keys) if name))
    return ArticleIdentity(url, canonical, names[0], content_hash(article.text), names)


def pick_match(found: Mapping[MatchedBy, int]) -> int | None:
    """The stored article's id an incoming one is, given the ids found by each kind of match."""
    for kind in MatchedBy:
        if kind in found:
            return found[kind]
    return None


def merge_known(
    known: StoredArticle, incoming: Article, *, topic_score: float | None = None
) -> StoredArticle:
    """``known`` as it should be after ``incoming`` turned out to be the same article."""
    return replace(
        known,
        title=known.title if known.title is not None else incoming.title,
        byline=known.byline if known.byline is not None else incoming.byline,
        source=known.source if known.source is not None else incoming.source,
        published=known.published if known.published is not None else incoming.published,
        topic_score=topic_score if topic_score is not None else known.topic_score,
    )
