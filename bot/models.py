"""Core value types shared by the use cases and the adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from summarizers.types import KeyFigure, TextSummary

__all__ = ["Article", "KeyFigure", "Summary", "TextSummary"]


@dataclass(frozen=True, slots=True)
class Article:
    """An article's clean text and metadata, from a web page or pasted text."""

    text: str  # body text, paragraphs separated by blank lines
    title: str | None = None
    url: str | None = None  # where it was fetched from (after redirects)
    canonical_url: str | None = None
    byline: str | None = None
    published: datetime | None = None
    lang: str = "en"
    source: str | None = None  # outlet name or host, e.g. "BBC News" / "bbc.co.uk"


@dataclass(frozen=True, slots=True)
class Summary:
    """What the bot answers for one article: its picked sentences and key figures."""

    article: Article
    sentences: tuple[str, ...]
    figures: tuple[KeyFigure, ...]
    method: str
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
