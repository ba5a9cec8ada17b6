"""The digest: stories from several outlets, their lead, merged figures, conflicts, rank and cap."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.digests.builder import DigestCandidate, build_digest
from bot.models import Article, FigureConflict, Summary
from summarizers.types import KeyFigure

FIXTURES = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
ROWS = {row["id"]: row for row in map(json.loads, FIXTURES.read_text("utf-8").splitlines())}
SINCE = datetime(2023, 12, 27, 6, tzinfo=UTC)
UNTIL = SINCE + timedelta(days=1)
MORNING = SINCE + timedelta(hours=4)


def figure(value: float, counted: str, period: str | None = None, qualifier: str | None = None):
    return KeyFigure(
        value, f"{value:,.0f}", "A sentence.", qualifier=qualifier, counted=counted, period=period
    )


# What the figure extractor finds in the fixture articles (most important first).
FIGURES = {
    "seed-bbc": (
        figure(
            2_000_000, "people apprehended at the US southern border", "fiscal years 2022 and 2023"
        ),
        figure(10_000, "people crossing", "per day", "up to"),
        figure(190_000, "apprehensions", "in November", "more than"),
        figure(7_000, "people in the migrant caravan", None, "about"),
    ),
    "synthetic-wire-a": (
        figure(190_000, "apprehensions", "in November", "more than"),
        figure(10_000, "people", "per day", "up to"),
        figure(7_000, "migrants in the caravan", None, "some"),
    ),
    "synthetic-wire-b": (figure(225_000, "apprehensions", "in November", "some"),),
}


def candidate(
    article_id: str,
    outlet: str | None = None,
    *,
    published: datetime | None = MORNING,
    topic_score: float = 10.0,
    url: str | None = None,
    figures: tuple[KeyFigure, ...] | None = None,
    sentences: tuple[str, ...] | None = None,
) -> DigestCandidate:
    row = ROWS[article_id]
    article = Article(
        text=row["text"],
        title=row["title"] or None,
        url=url or f"https://news.example/{article_id}",
        published=published,
        lang=row["lang"],
        source=outlet or row["outlet"],
    )
    first_sentence = row["text"].split(". ")[0] + "."
    summary = Summary(
        article=article,
        sentences=(first_sentence,) if sentences is None else sentences,
        figures=FIGURES.get(article_id, ()) if figures is None else figures,
        method="test",
    )
    return DigestCandidate(summary, topic_score=topic_score, matched_terms=("migrants",))


def digest(items: list[DigestCandidate], limit: int = 8):
    return build_digest(items, topic="migration", since=SINCE, until=UNTIL, limit=limit)


SEED_STORY = ["synthetic-wire-b", "seed-bbc", "synthetic-wire-a"]


def test_one_event_from_three_outlets_is_one_story_with_every_link() -> None:
    result = digest([candidate(i) for i in [*SEED_STORY, "cnndm-italy-migrants"]])
    assert len(result.stories) == 2
    story = result.stories[0]
    assert story.title == ROWS["seed-bbc"]["title"]  # most figures, longest text: the lead
    assert story.outlets == ("BBC News", "Wire A (synthetic)", "Wire B (synthetic)")
    assert {a.url for a in story.articles} == {f"https://news.example/{i}" for i in SEED_STORY}
    assert result.stories[1].articles[0].source == "CNN/Daily Mail"


def test_figures_are_merged_without_repeats_and_disagreement_is_reported() -> None:
    story = digest([candidate(i) for i in SEED_STORY]).stories[0]
    assert [f.value for f in story.figures] == [2_000_000, 10_000, 190_000, 7_000, 7_000]
    assert story.conflicts == (
        FigureConflict(
            "apprehensions, in November",
            (("more than 190,000", "BBC News"), ("some 225,000", "Wire B (synthetic)")),
        ),
    )


def test_a_story_from_three_outlets_ranks_above_one_from_a_single_outlet() -> None:
    single = candidate("bbc-politics-122", figures=FIGURES["seed-bbc"])
    covered = [candidate(i, figures=FIGURES["seed-bbc"]) for i in SEED_STORY]
    stories = digest([single, *covered]).stories
    assert [len(story.outlets) for story in stories] == [3, 1]
    assert stories[0].score > stories[1].score


def test_three_reports_from_one_outlet_count_as_one_outlet() -> None:
    same_outlet = [candidate(i, "BBC News", figures=()) for i in SEED_STORY]
    other = [candidate(i, outlet, figures=()) for i, outlet in [("bbc-politics-311", "A")]]
    other.append(candidate("bbc-politics-312", "B", figures=()))
    stories = digest([*same_outlet, *other]).stories
    assert [story.outlets for story in stories] == [("A", "B"), ("BBC News",)]


def test_newer_story_ranks_above_an_older_one_all_else_equal() -> None:
    older = candidate("bbc-politics-122", published=SINCE + timedelta(hours=1))
    newer = candidate("bbc-politics-153", published=UNTIL - timedelta(hours=1))
    first, second = digest([older, newer]).stories
    assert first.title == ROWS["bbc-politics-153"]["title"] and first.score > second.score


UNRELATED = [
    "bbc-politics-122", "bbc-politics-153", "bbc-business-138", "bbc-politics-311",
    "bbc-politics-013", "bbc-politics-106", "bbc-politics-334", "bbc-politics-025",
    "bbc-politics-078", "cnndm-italy-migrants",
]  # fmt: skip


def test_digest_is_capped_and_counts_the_links_left_out() -> None:
    items = [candidate(i, topic_score=30.0 - n) for n, i in enumerate(UNRELATED)]
    result = digest(items)
    assert len(result.stories) == 8 and result.more_stories == 2
    assert result.more_links == tuple(f"https://news.example/{i}" for i in UNRELATED[8:])
    assert [s.title for s in result.stories] == [
        ROWS[i]["title"] or "(untitled)" for i in UNRELATED[:8]
    ]
    assert digest(items, limit=3).more_stories == 7


def test_order_of_the_input_does_not_change_the_digest() -> None:
    items = [candidate(i) for i in [*SEED_STORY, *UNRELATED]]
    expected = digest(items, limit=5)
    for seed in range(3):
        shuffled = items.copy()
        random.Random(seed).shuffle(shuffled)
        assert digest(shuffled, limit=5) == expected


def test_empty_and_single_input() -> None:
    empty = digest([])
    assert empty.stories == () and empty.more_stories == 0 and empty.more_links == ()
    only = digest([candidate("seed-bbc")])
    assert len(only.stories) == 1 and only.stories[0].articles[0].source == "BBC News"


def test_articles_outside_the_period_are_left_out_and_undated_ones_kept() -> None:
    old = candidate("bbc-politics-122", published=SINCE - timedelta(days=2))
    undated = candidate("bbc-politics-153", published=None)
    feed_dated = DigestCandidate(candidate("bbc-politics-311", published=None).summary)
    titles = [s.title for s in digest([old, undated, feed_dated]).stories]
    assert ROWS["bbc-politics-122"]["title"] not in titles and len(titles) == 2


def test_feed_date_is_used_when_the_page_has_none() -> None:
    item = candidate("bbc-politics-122", published=None)
    late = DigestCandidate(item.summary, published=UNTIL + timedelta(days=3))
    assert digest([late]).stories == ()


def test_the_same_link_twice_is_one_report() -> None:
    twice = [candidate("seed-bbc"), candidate("seed-bbc", topic_score=3.0)]
    (story,) = digest(twice).stories
    assert len(story.articles) == 1 and story.topic_score == 10.0


def test_an_article_without_summary_sentences_does_not_lead() -> None:
    empty_lead = candidate("seed-bbc", sentences=())
    story = digest([empty_lead, candidate("synthetic-wire-b")]).stories[0]
    assert story.summary.article.source == "Wire B (synthetic)"


def test_invalid_limits_and_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        digest([], limit=-1)
    with pytest.raises(ValueError, match="period"):
        build_digest([], topic="migration", since=UNTIL, until=SINCE)
