"""Building a digest: group summarized articles into stories, merge their figures, rank, cap.

Lead article (whose summary a story shows), the first of, in order: has summary sentences; more
key figures (up to 3: figures are half of what a story shows, more than 3 adds little); longer
text in 1,000-character steps up to 4,000 (a full report beats a brief or a teaser, a longer
full report is not better); higher topic score; published earlier (the original report rather
than a rewrite); then URL and title, so the choice never depends on input order.

Ranking score of a story:
    2.0 * log2(1 + outlets)            coverage: 1 outlet 2.0, 2 outlets 3.2, 3 outlets 4.0
  + 1.5 * 0.5 ** (age_hours / 24)      recency of its newest article, halving daily (unknown
                                       dates count as half the window old)
  + 1.0 * ln(1 + best topic score)     how central it is to the topic (profile scores ~5-30)
  + 0.25 * min(distinct figures, 4)    stories with numbers say more in a digest line
Coverage leads: several outlets reporting an event is the best sign that it matters.

Updates. The stories a channel already got (``EarlierStory``: its story log entry and its
articles' texts) are clustered with the new articles. A group holding an earlier story's
articles is not a new story: its new reports are an update of that story (the earlier story
with most articles in the group, when there are several), shown once, with the outlets the
channel has not seen on it and the key figures whose value changed for the same counted noun
and period (``summarizers.stories.changes``; the newest report's value is what the story says
now). New reports that bring neither (the same article
re-fetched with a typo fixed, under a tracking parameter or a re-sent GUID, or the outlet's own
rewrite) are not shown (``Digest.unchanged``), and are logged as sent with the digest.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.models import Article, Digest, FigureConflict, Headline, Story, StoryUpdate, Summary
from bot.store.records.story_log import DeliveredStory
from summarizers.stories.changes import changed_figures
from summarizers.stories.cluster import StoryText, group_stories
from summarizers.stories.figure_merge import merge_story_figures

__all__ = ["DigestCandidate", "EarlierStory", "build_digest", "story_score"]

COVERAGE_WEIGHT = 2.0
RECENCY_WEIGHT = 1.5
RECENCY_HALF_LIFE_HOURS = 24.0
TOPIC_WEIGHT = 1.0
FIGURE_WEIGHT = 0.25
MAX_COUNTED_FIGURES = 4


@dataclass(frozen=True, slots=True)
class DigestCandidate:
    """A summarized article that passed the topic filter, as the digest receives it."""

    summary: Summary
    topic_score: float = 0.0
    matched_terms: tuple[str, ...] = ()
    published: datetime | None = None  # the feed's date, used when the page gave none

    @property
    def article(self) -> Article:
        return self.summary.article

    @property
    def when(self) -> datetime | None:
        """When it was published (the page's date first), as an aware UTC datetime."""
        return _aware(self.article.published or self.published)


@dataclass(frozen=True, slots=True)
class EarlierStory:
    """A story the channel already got: its story log entry and its articles' texts."""

    logged: DeliveredStory
    texts: tuple[StoryText, ...]


def build_digest(
    items: Sequence[DigestCandidate],
    *,
    topic: str,
    since: datetime,
    until: datetime,
    limit: int = 8,
    feeds_failed: Sequence[str] = (),
    keep: Callable[[Story], bool] | None = None,
    earlier: Sequence[EarlierStory] = (),
) -> Digest:
    """Group ``items`` into stories, rank them, keep the top ``limit`` and count the rest.

    Items published outside [since, until] are left out (items without a date are kept).
    Items that join an ``earlier`` story become its update (see the module docstring). The
    result does not depend on the order of ``items``.
    """
    if limit < 0:
        raise ValueError("The digest limit cannot be negative.")
    start, end = _aware(since), _aware(until)
    if start is None or end is None or start > end:
        raise ValueError("The digest period must start before it ends.")
    in_period = [
        item for item in _unique_articles(items) if item.when is None or start <= item.when <= end
    ]
    texts = [
        StoryText(
            title=item.article.title or "",
            text=item.article.text,
            lang=item.article.lang,
            figure_values=tuple(figure.value for figure in item.summary.figures),
            published=item.when,
        )
        for item in in_period
    ]
    owners: list[int] = []  # for each earlier text, its story's index in ``earlier``
    for number, known in enumerate(earlier):
        texts.extend(known.texts)
        owners.extend([number] * len(known.texts))
    stories: list[Story] = []
    updates: list[StoryUpdate] = []
    fresh = len(in_period)
    for group in group_stories(texts):
        members = [in_period[index] for index in group if index < fresh]
        if not members:
            continue  # only what the channel already got
        story = _story(members, start, end)
        if keep is not None and not keep(story):
            continue  # left out by the channel's filters (bot.digests.filters)
        shared = Counter(owners[index - fresh] for index in group if index >= fresh)
        if not shared:
            stories.append(story)
            continue
        number = min(shared, key=lambda n: (-shared[n], earlier[n].logged.story_key))
        updates.append(_update(earlier[number].logged, story, members))
    stories.sort(key=_ranking_key)
    updates.sort(key=lambda update: _ranking_key(update.story))
    noticed = [update for update in updates if update.noticeable]
    shown, rest = stories[:limit], stories[limit:]
    links = tuple(link for story in rest if (link := _link(story.summary.article)))
    headlines = tuple(
        Headline(story.title, story.summary.article.link, story.summary.article.source)
        for story in rest
    )
    return Digest(
        topic=topic,
        since=since,
        until=until,
        stories=tuple(shown),
        more_stories=len(rest),
        more_links=links,
        more_headlines=headlines,
        feeds_failed=tuple(feeds_failed),
        # Updates past the cap wait for the next digest (their articles are not logged).
        updates=tuple(noticed[:limit]),
        unchanged=tuple(update for update in updates if not update.noticeable),
    )


def _update(logged: DeliveredStory, story: Story, members: list[DigestCandidate]) -> StoryUpdate:
    """The new reports of an earlier story, with what a reader would notice in them."""
    seen = set(logged.outlets)
    new_outlets = tuple(outlet for outlet in story.outlets if outlet not in seen)
    langs = logged.figure_langs or ("en",) * len(logged.figures)
    # What the story says now is what its newest report says: a re-dated copy of the report
    # the channel saw does not hide a newer outlet's figure, and a newer one replaces it.
    newest_first = sorted(members, key=_newest_first)
    later = [
        (figure, member.article.lang, _outlet(member.article))
        for member in newest_first
        for figure in member.summary.figures
    ]
    return StoryUpdate(
        story_key=logged.story_key,
        headline=logged.headline,
        story=story,
        new_outlets=new_outlets,
        changes=changed_figures(list(zip(logged.figures, langs, strict=True)), later),
        thread_ref=logged.message_ref,
    )


def story_score(
    outlets: int,
    newest: datetime | None,
    topic_score: float,
    figures: int,
    *,
    since: datetime,
    until: datetime,
) -> float:
    """The ranking score described in the module docstring."""
    if newest is None:
        age_hours = (until - since).total_seconds() / 7200
    else:
        age_hours = max(0.0, (until - newest).total_seconds() / 3600)
    return (
        COVERAGE_WEIGHT * math.log2(1 + outlets)
        + RECENCY_WEIGHT * 0.5 ** (age_hours / RECENCY_HALF_LIFE_HOURS)
        + TOPIC_WEIGHT * math.log1p(max(topic_score, 0.0))
        + FIGURE_WEIGHT * min(figures, MAX_COUNTED_FIGURES)
    )


def _ordered(members: list[DigestCandidate]) -> list[DigestCandidate]:
    """The lead report first, then the others in report order."""
    lead = min(members, key=_lead_key)
    return [lead, *sorted((m for m in members if m is not lead), key=_report_order)]


def _story(members: list[DigestCandidate], since: datetime, until: datetime) -> Story:
    ordered = _ordered(members)
    lead = ordered[0]
    kept, disagreements = merge_story_figures(
        [(_outlet(m.article), m.article.lang, m.summary.figures) for m in ordered]
    )
    figures = tuple(item.figure for item in kept)
    conflicts = tuple(
        FigureConflict(
            d.counted,
            d.pairs(),
            langs=tuple(entry.lang for entry in d.entries),
            amounts=tuple(entry.figure.value for entry in d.entries),
        )
        for d in disagreements
    )
    topic_score = max(member.topic_score for member in members)
    matched = tuple(dict.fromkeys(term for m in ordered for term in m.matched_terms))
    dates = [member.when for member in members if member.when is not None]
    articles = tuple(member.article for member in ordered)
    outlets = len({_outlet(article) for article in articles})
    score = story_score(
        outlets, max(dates, default=None), topic_score, len(figures), since=since, until=until
    )
    return Story(
        summary=lead.summary,
        articles=articles,
        figures=figures,
        conflicts=conflicts,
        figure_langs=tuple(item.lang for item in kept),
        topic_score=topic_score,
        matched_terms=matched,
        score=round(score, 6),
    )


def _lead_key(item: DigestCandidate) -> tuple[object, ...]:
    when = item.when
    return (
        not item.summary.sentences,
        -min(len(item.summary.figures), 3),
        -min(len(item.article.text) // 1000, 4),
        -item.topic_score,
        when is None,
        when or datetime.max.replace(tzinfo=UTC),
        _link(item.article) or "",
        item.article.title or "",
    )


def _report_order(item: DigestCandidate) -> tuple[object, ...]:
    when = item.when
    return (
        when is None,
        when or datetime.max.replace(tzinfo=UTC),
        _outlet(item.article),
        _link(item.article) or "",
        item.article.title or "",
    )


def _newest_first(item: DigestCandidate) -> tuple[object, ...]:
    when = item.when
    return (when is None, -when.timestamp() if when else 0.0, *_report_order(item)[2:])


def _ranking_key(story: Story) -> tuple[object, ...]:
    lead = story.summary.article
    return (-story.score, story.title, _link(lead) or "")


def _unique_articles(items: Sequence[DigestCandidate]) -> list[DigestCandidate]:
    """One item per link: the same article listed twice (two feeds) is one report."""
    by_link: dict[str, DigestCandidate] = {}
    unlinked = []
    for item in items:
        link = _link(item.article)
        if link is None:
            unlinked.append(item)
        elif link not in by_link or _lead_key(item) < _lead_key(by_link[link]):
            by_link[link] = item
    return [*by_link.values(), *unlinked]


def _link(article: Article) -> str | None:
    return article.canonical_url or article.url


def _outlet(article: Article) -> str:
    return article.source or "unknown outlet"


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
