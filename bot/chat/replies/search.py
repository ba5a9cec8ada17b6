"""The archive commands: ``search <words> [since 7d]`` and ``digest <date>`` (what was sent)."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from bot.chat.requests import Caller, Reply
from bot.errors import InputError
from bot.store import Store, StoredArticle
from summarizers.stories.cluster import StoryText, group_stories

RESULTS = 5
CANDIDATES = 15  # articles grouped into at most RESULTS stories
LINE = 160  # characters of a result's one-line summary
_SINCE = re.compile(
    r"\s+(?:since|desde)\s+(?:(?P<n>\d{1,4})\s*(?P<unit>h|d|w)\w*|(?P<day>\d{4}-\d{1,2}-\d{1,2}))\s*$",
    re.IGNORECASE,
)
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def is_digest_date(word: str) -> bool:
    """Whether ``digest <word>`` asks for a past digest (a date) rather than a topic."""
    return _DATE.fullmatch(word) is not None


def parse_day(text: str) -> date:
    """A YYYY-MM-DD day, or InputError in one sentence."""
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise InputError(f"{text} is not a date; write it like 2026-12-01.") from None


def parse_search(text: str, now: datetime) -> tuple[str, datetime | None]:
    """The words and the optional start of ``search <words> [since 7d | since 2026-12-01]``."""
    match = _SINCE.search(" " + text)
    if match is None:
        return text.strip(), None
    words = (" " + text)[: match.start()].strip()
    if match["day"]:
        start = parse_day(match["day"])
        return words, datetime(start.year, start.month, start.day, tzinfo=now.tzinfo)
    return words, now - int(match["n"]) * _UNITS[match["unit"].lower()]


async def search_reply(
    store: Store, caller: Caller, text: str, now: datetime, method: str
) -> Reply:
    """The best five stored stories the caller's tenant may see for ``text``.

    The best ``CANDIDATES`` articles are grouped by event as digests group them, so five
    outlets reporting one event are one result, led by its best-ranked article.
    """
    words, since = parse_search(text, now)
    if not re.search(r"\w", words):
        raise InputError("Give me words to search for, like: search border wall since 7d.")
    hits = await store.search_articles(caller.tenant_key, [words], since=since, limit=CANDIDATES)
    period = f" since {since:%Y-%m-%d %H:%M} UTC" if since else ""
    if not hits:
        return Reply(text=f"No stored article matches {words!r}{period}.", ephemeral=True)
    groups = (await asyncio.to_thread(_stories, hits))[:RESULTS]
    lines = [f"Stored stories for {words!r}{period}, best first:"]
    for number, group in enumerate(groups, start=1):
        lead, others = group[0], group[1:]
        outlets = list(dict.fromkeys(_outlet(a) for a in others if _outlet(a) != _outlet(lead)))
        also = f" (also {', '.join(outlets[:4])})" if outlets else ""
        lines.append(f"{number}. {_heading(lead)}{also}")
        lines.append(f"   {await _one_line(store, lead, method)}")
        lines.append(f"   {lead.as_article().link or 'no safe link'}")
    return Reply(text="\n".join(lines))


def _stories(hits: list[StoredArticle]) -> list[list[StoredArticle]]:
    """The hits grouped by event (summarizers.stories), each group and the groups by rank."""
    texts = [
        StoryText(a.title or "", a.text, a.lang, published=a.published or a.fetched_at)
        for a in hits
    ]
    groups = [[hits[i] for i in sorted(group)] for group in group_stories(texts)]
    return sorted(groups, key=lambda group: hits.index(group[0]))


async def sent_digest_reply(store: Store, caller: Caller, day_text: str) -> Reply:
    """``digest 2026-12-01``: what the sent log says this channel got that day."""
    day = parse_day(day_text)
    digests = await store.sent_digests(caller.platform, caller.channel, day)
    if not digests:
        return Reply(text=f"This channel got no digest on {day.isoformat()}.", ephemeral=True)
    lines: list[str] = []
    for sent in digests:
        delivery = sent.delivery
        if delivery.state != "sent":
            reason = f": {delivery.last_error}" if delivery.last_error else ""
            lines.append(
                f"The {delivery.topic} digest of {day.isoformat()} was not sent "
                f"({delivery.state}{reason})."
            )
            continue
        at = f" at {delivery.sent_at:%H:%M} UTC" if delivery.sent_at else ""
        if not sent.articles:
            lines.append(f"The {delivery.topic} digest sent here on {day}{at} had no new stories.")
            continue
        count = len(sent.articles)
        noun = "article" if count == 1 else "articles"
        lines.append(f"The {delivery.topic} digest sent here on {day}{at} showed {count} {noun}:")
        for article in sent.articles:
            lines.append(f"• {_heading(article)} {article.as_article().link or ''}".rstrip())
    return Reply(text="\n".join(lines))


def _outlet(article: StoredArticle) -> str:
    return article.source or urlsplit(article.url).hostname or "unknown outlet"


def _heading(article: StoredArticle) -> str:
    when = (article.published or article.fetched_at).date().isoformat()
    return f"{article.title or 'Untitled'} — {_outlet(article)}, {when}"


async def _one_line(store: Store, article: StoredArticle, method: str) -> str:
    summary = await store.get_summary(article.id, method)
    if summary is not None and summary.sentences:
        line = summary.sentences[0]
    else:  # never summarized, or pruned: the first sentence-like stretch of the text
        line = re.split(r"(?<=[.!?])\s", article.text.strip(), maxsplit=1)[0]
    line = " ".join(line.split()) or "(the text was pruned from the archive)"
    return line if len(line) <= LINE else line[: LINE - 1].rstrip() + "…"
