"""The "summarize this" use case: one async entry point for a URL, a web page or pasted text."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from functools import partial

from bot.config import Settings
from bot.errors import ExtractionError, InputError
from bot.models import Article, Summary
from bot.web.extract import article_from_text, extract_article
from bot.web.fetch import Fetcher
from summarizers.pipeline import summarize_text
from summarizers.ranking.methods import METHODS

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
MIN_ARTICLE_WORDS = 25
MAX_SENTENCES = 10


def looks_like_url(source: str) -> bool:
    """True when ``source`` is a single link (any scheme), not prose."""
    stripped = source.strip()
    return (
        bool(stripped)
        and not any(c.isspace() for c in stripped)
        and bool(_SCHEME.match(stripped.strip("<>")))
    )


class Summarizer:
    """Summarizes links, HTML and pasted text; CPU work runs in a worker thread."""

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        self.settings = settings
        self._owns_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher(settings)

    async def aclose(self) -> None:
        if self._owns_fetcher:
            await self.fetcher.aclose()

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def summarize(
        self, source: str, *, sentences: int | None = None, method: str | None = None
    ) -> Summary:
        """Summarize a link (fetched safely) or pasted article text."""
        if not source or not source.strip():
            raise InputError("Give me an article link or paste the article's text.")
        if looks_like_url(source):
            return await self.summarize_url(
                source.strip().strip("<>"), sentences=sentences, method=method
            )
        return await self.summarize_text(source, sentences=sentences, method=method)

    async def fetch_article(self, url: str, *, declared_language: str | None = None) -> Article:
        """Fetch a page safely and extract its article (plain-text pages are cleaned as text).

        ``declared_language`` is a hint from elsewhere (a feed's language), weighed with the
        page's own tags and its text.
        """
        result = await self.fetcher.fetch(url)
        if result.content_type == "text/plain":
            if not result.text().strip():
                raise ExtractionError("That page has no article text I can summarize.")
            article = await asyncio.to_thread(
                partial(article_from_text, declared_language=declared_language), result.text()
            )
            return replace(article, url=result.url, canonical_url=result.url)
        return await asyncio.to_thread(
            partial(extract_article, declared_language=declared_language), result.body, result.url
        )

    async def summarize_url(
        self, url: str, *, sentences: int | None = None, method: str | None = None
    ) -> Summary:
        article = await self.fetch_article(url)
        return await self.summarize_article(article, sentences=sentences, method=method)

    async def summarize_html(
        self,
        html: str | bytes,
        url: str | None = None,
        *,
        sentences: int | None = None,
        method: str | None = None,
    ) -> Summary:
        article = await asyncio.to_thread(extract_article, html, url)
        return await self.summarize_article(article, sentences=sentences, method=method)

    async def summarize_text(
        self, text: str, *, sentences: int | None = None, method: str | None = None
    ) -> Summary:
        article = await asyncio.to_thread(article_from_text, text)
        return await self.summarize_article(article, sentences=sentences, method=method)

    async def summarize_article(
        self, article: Article, *, sentences: int | None = None, method: str | None = None
    ) -> Summary:
        count, method_name = self._options(sentences, method)
        return await asyncio.to_thread(summarize_article, article, count, method_name)

    def _options(self, sentences: int | None, method: str | None) -> tuple[int, str]:
        count = self.settings.sentences if sentences is None else sentences
        if not 1 <= count <= MAX_SENTENCES:
            raise InputError(f"Ask for between 1 and {MAX_SENTENCES} sentences.")
        name = (method or self.settings.method).lower()
        if name not in METHODS:
            raise InputError(f"Unknown method {name!r}; choose one of: {', '.join(METHODS)}.")
        return count, name


def summarize_article(article: Article, count: int, method: str) -> Summary:
    """Synchronous core of every summarize path (also used directly by batch mode)."""
    if len(article.text.split()) < MIN_ARTICLE_WORDS:
        raise ExtractionError(
            "That is too short to summarize; paste the whole article or send its link."
        )
    result = summarize_text(
        article.text, title=article.title, count=count, method=method, lang=article.lang
    )
    return Summary(
        article=article,
        sentences=result.sentences,
        figures=result.figures,
        method=result.method,
        timings_ms=result.timings_ms,
    )
