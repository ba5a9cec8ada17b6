"""Core value types shared by the use cases and the adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.web.urls import link_target
from summarizers.stories.changes import ChangedFigure
from summarizers.types import KeyFigure, TextSummary

__all__ = ["Article", "ChangedFigure", "KeyFigure", "StoryUpdate", "Summary", "TextSummary"]


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
    # "paywall", "consent", "challenge" or "index" when the page is a wall, not the article
    wall: str | None = None

    @property
    def link(self) -> str | None:
        """The address to link: the canonical one when browsers and Python agree on its host
        (``bot.web.urls.link_target``), else the fetched one; None when neither is safe."""
        return link_target(self.canonical_url) or link_target(self.url)


@dataclass(frozen=True, slots=True)
class Summary:
    """What the bot answers for one article: its picked sentences and key figures."""

    article: Article
    sentences: tuple[str, ...]
    figures: tuple[KeyFigure, ...]
    method: str
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
    # Not a full summary: the page's wall kind ("paywall", ...) or "short" (the article is
    # shorter than the summary asked for, so its sentences are the whole text).
    partial: str | None = None
    lead: str | None = None  # one sentence saying what the article is: its lead or its title


@dataclass(frozen=True, slots=True)
class FigureConflict:
    """Outlets giving different numbers for one thing: '190,000 (CBP) vs 225,000 (Reuters)'."""

    counted: str
    values: tuple[tuple[str, str], ...]  # (surface, outlet) pairs, in the order shown
    # Each value's article language (its digits are written so) and number, for rendering.
    langs: tuple[str, ...] = field(default=(), compare=False)
    amounts: tuple[float, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Story:
    """Articles from one or more outlets about the same event, with the best summary shown."""

    summary: Summary  # the best article's summary (its article is the story's lead)
    articles: tuple[Article, ...]  # every article in the story, lead first
    figures: tuple[KeyFigure, ...]
    conflicts: tuple[FigureConflict, ...] = ()
    figure_langs: tuple[str, ...] = ()  # each figure's article language (default: the lead's)
    topic_score: float = 0.0
    matched_terms: tuple[str, ...] = ()
    score: float = 0.0  # ranking score within the digest

    @property
    def title(self) -> str:
        return self.summary.article.title or "(untitled)"

    @property
    def outlets(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for article in self.articles:
            seen.setdefault(article.source or "unknown outlet", None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    """New coverage of a story the channel already got: shown once, as "Update: <headline>".

    ``story`` holds only the new reports; ``headline`` is the one the channel saw. An update
    with no new outlet and no changed figure is nothing a reader would notice (a re-fetched
    copy, a typo fix): its articles are logged as sent and it is not shown.
    """

    story_key: str  # the story's key in the channel's story log
    headline: str
    story: Story
    new_outlets: tuple[str, ...] = ()
    changes: tuple[ChangedFigure, ...] = ()
    thread_ref: str | None = None  # the platform ref of the earlier post, to reply under

    @property
    def noticeable(self) -> bool:
        return bool(self.new_outlets or self.changes)

    @property
    def article(self) -> Article:
        """The report to link: the first from an outlet new to the story, else its lead."""
        new = set(self.new_outlets)
        for article in self.story.articles:
            if (article.source or "unknown outlet") in new:
                return article
        return self.story.summary.article


@dataclass(frozen=True, slots=True)
class Headline:
    """A story left out of a digest by its cap, as its one line: headline, link, outlet."""

    title: str
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    """A platform-neutral digest: ranked stories for one topic over one period."""

    topic: str
    since: datetime
    until: datetime
    stories: tuple[Story, ...]
    more_stories: int = 0  # stories left out by the cap
    more_links: tuple[str, ...] = ()  # links of the stories left out
    more_headlines: tuple[Headline, ...] = ()  # the stories left out, as headlines
    feeds_failed: tuple[str, ...] = ()  # one sentence per feed that failed
    updates: tuple[StoryUpdate, ...] = ()  # earlier stories with new coverage, shown once
    # New reports of earlier stories that change nothing a reader would notice: not shown,
    # logged as sent with the digest.
    unchanged: tuple[StoryUpdate, ...] = ()
