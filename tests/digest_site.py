"""A local news site for digest tests: real article texts as HTML pages, listed in RSS feeds."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from webserver import WebServer

STORIES = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"


def load_story_articles() -> dict[str, dict[str, str]]:
    """The real (and labelled synthetic) articles of tests/fixtures/stories, by id."""
    lines = STORIES.read_text(encoding="utf-8").splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


def article_page(title: str, text: str, *, outlet: str, published: datetime) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(outlet)}</title>
<meta property="og:site_name" content="{html.escape(outlet)}">
<meta property="article:published_time" content="{published.isoformat()}">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{html.escape(title)}</h1>{paragraphs}</article>
<footer>Share this story. Sign up for our newsletter. Copyright {html.escape(outlet)}.</footer>
</body></html>"""


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    path: str  # the link's path (may carry tracking parameters)
    title: str
    published: datetime
    summary: str = ""


def rss(title: str, entries: list[FeedEntry], web: WebServer) -> str:
    items = "\n".join(
        f"""<item><title>{html.escape(e.title)}</title><link>{html.escape(web.url(e.path))}</link>
<guid isPermaLink="false">{html.escape(e.guid)}</guid>
<pubDate>{format_datetime(e.published)}</pubDate>
<description>{html.escape(e.summary)}</description></item>"""
        for e in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>{html.escape(title)}</title><link>{web.url("/")}</link><description>{title}</description>
{items}</channel></rss>"""


class NewsSite:
    """Pages and feeds on the local web server, built from the story fixtures."""

    def __init__(self, web: WebServer, now: datetime) -> None:
        self.web = web
        self.now = now
        self.articles = load_story_articles()
        self.feeds: dict[str, list[FeedEntry]] = {}

    def page(self, article_id: str, path: str, *, outlet: str, hours_ago: float = 2) -> FeedEntry:
        record = self.articles[article_id]
        published = self.now - timedelta(hours=hours_ago)
        title = record["title"] or record["text"].split(".")[0][:80]
        body = article_page(title, record["text"], outlet=outlet, published=published)
        self.web.respond(path, body, content_type="text/html", charset="utf-8")
        lead = record["text"].split("\n\n")[0][:300]
        return FeedEntry(
            guid=f"{outlet}:{article_id}", path=path, title=title, published=published, summary=lead
        )

    def feed(self, name: str, path: str, entries: list[FeedEntry]) -> str:
        self.feeds[path] = entries
        self.web.respond(path, rss(name, entries, self.web), content_type="application/rss+xml")
        return self.web.url(path)
