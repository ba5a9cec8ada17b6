"""The "summarize this" use case: one async entry point for a URL, a web page or pasted text."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from functools import partial

from bot.config import Settings
from bot.errors import ExtractionError, HTTPStatusError, InputError
from bot.models import Article, Summary
from bot.web.extract import article_from_text, extract_article
from bot.web.fetch import Fetcher
from bot.web.walls import WALL_STATUSES
from summarizers.pipeline import summarize_text
from summarizers.ranking.methods import DEFAULT_METHOD, METHODS, select_sentences
from summarizers.sentences import split_sentences

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
MIN_ARTICLE_WORDS = 25
MAX_SENTENCES = 10
MAX_LEAD_WORDS = 45  # a longer first sentence is no one-line "what this is": the title is


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
        try:
            result = await self.fetcher.fetch(url)
        except HTTPStatusError as err:
            return await self._wall_or_raise(err, url)
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

    async def _wall_or_raise(self, err: HTTPStatusError, url: str) -> Article:
        """The page a 401/402/403/451 came with, when it is a wall; else the status error."""
        if err.status not in WALL_STATUSES or not err.body:
            raise err
        try:
            page = await asyncio.to_thread(
                partial(extract_article, status=err.status), err.body, url
            )
        except ExtractionError:
            raise err from None
        if page.wall is None:
            raise err
        return page

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
        return await asyncio.to_thread(
            partial(summarize_article, with_lead=True), article, count, method_name
        )

    def _options(self, sentences: int | None, method: str | None) -> tuple[int, str]:
        count = self.settings.sentences if sentences is None else sentences
        if not 1 <= count <= MAX_SENTENCES:
            raise InputError(f"Ask for between 1 and {MAX_SENTENCES} sentences.")
        name = (method or self.settings.method).lower()
        if name not in METHODS:
            raise InputError(f"Unknown method {name!r}; choose one of: {', '.join(METHODS)}.")
        return count, name


def summarize_article(
    article: Article, count: int, method: str, *, with_lead: bool = False
) -> Summary:
    """Synchronous core of every summarize path (also used directly by batch mode).

    A wall (paywall, consent, ...) is not summarized: the Summary says what it is (``partial``).
    An article with no more sentences than asked for is given whole (``partial="short"``).
    ``with_lead`` adds the one-line "what this is" (lead sentence or title) above the bullets,
    which then leave that sentence out.
    """
    if article.wall is not None:
        if article.wall in ("consent", "challenge"):  # its text is a banner: never shown
            article = replace(article, text="")
        return Summary(article, (), (), "none", partial=article.wall, lead=article.title)
    if len(article.text.split()) < MIN_ARTICLE_WORDS:
        raise ExtractionError(
            "That is too short to summarize; paste the whole article or send its link."
        )
    everything = split_sentences(article.text, article.lang)
    lead = _lead(everything, article.title) if with_lead else None
    short = len(everything) <= count
    # The default method picks one sentence more from the same reading of the text, in case
    # the lead line takes one of the bullets (others rank again only when it does).
    shared_reading = lead is not None and not short and method == DEFAULT_METHOD
    result = summarize_text(
        article.text,
        title=article.title,
        count=count,
        method=method,
        lang=article.lang,
        sentences=everything,
        more=count + 1 if shared_reading else None,
    )
    picked = tuple(everything) if short else result.sentences
    if lead is not None and not short and lead in picked:
        # One more sentence is enough: the figures do not change.
        if result.more is not None:
            rest = list(result.more)
        else:
            more = select_sentences(
                everything, count + 1, method=method, lang=article.lang, title=article.title
            )
            rest = [everything[index] for index in more]
        if lead in rest:
            rest.remove(lead)  # once: a sentence the article repeats stays a bullet
        picked = tuple(rest[:count])
    return Summary(
        article=article,
        sentences=picked,
        figures=result.figures,
        method=result.method,
        timings_ms=result.timings_ms,
        partial="short" if short else None,
        lead=None if short else lead,
    )


def _lead(sentences: list[str], title: str | None) -> str | None:
    """The article's first sentence when it is one line, else its title."""
    if sentences and len(sentences[0].split()) <= MAX_LEAD_WORDS:
        return sentences[0]
    return title
