"""Same-event grouping on real BBC/CNN articles, the seed story and rewrites of it."""

from __future__ import annotations

import itertools
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from summarizers.stories.cluster import (
    StoryText,
    average_link_groups,
    figure_thing,
    group_stories,
    merge_figures,
    similarity_matrix,
)
from summarizers.stories.textsim import duplicate_key, number_terms
from summarizers.types import KeyFigure

FIXTURES = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
ROWS = [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
ENGLISH = [row for row in ROWS if row["lang"] == "en"]
SEED_EVENT = ("seed-bbc", "synthetic-wire-a", "synthetic-wire-b")


def story_text(row: dict, published: datetime | None = None) -> StoryText:
    return StoryText(row["title"], row["text"], row["lang"], published=published)


def groups_by_id(rows: list[dict], **options: object) -> set[frozenset[str]]:
    groups = group_stories([story_text(row) for row in rows], **options)
    return {frozenset(rows[index]["id"] for index in group) for group in groups}


def group_of(groups: set[frozenset[str]], article_id: str) -> frozenset[str]:
    return next(group for group in groups if article_id in group)


def test_real_same_event_articles_group_and_other_stories_stay_apart() -> None:
    groups = groups_by_id(ENGLISH)
    for first, second in itertools.combinations(ENGLISH, 2):
        together = second["id"] in group_of(groups, first["id"])
        if first["event"] == second["event"]:
            assert together, (first["id"], second["id"])
        elif first["saga"] != second["saga"]:
            assert not together, (first["id"], second["id"])


def test_rewrites_by_other_outlets_group_with_the_seed_story_in_any_batch_size() -> None:
    seed_rows = [row for row in ENGLISH if row["id"] in SEED_EVENT]
    assert groups_by_id(seed_rows) == {frozenset(SEED_EVENT)}
    assert group_of(groups_by_id(ENGLISH), "seed-bbc") == frozenset(SEED_EVENT)


def test_same_topic_story_with_the_same_actors_is_not_the_seed_event() -> None:
    rows = [row for row in ROWS if row["saga"] in {"us-mexico-talks", "texas-rail-crossings"}]
    rail = group_of(
        groups_by_id([r for r in rows if r["lang"] == "en"]), "synthetic-rail-crossings"
    )
    assert rail == {"synthetic-rail-crossings"}


def test_follow_ups_published_days_apart_are_separate_stories() -> None:
    day = datetime(2005, 2, 1, 9, tzinfo=UTC)
    published = {  # the two oil reports the same day, the saga's follow-ups days or weeks later
        "bbc-business-138": day,
        "bbc-business-152": day + timedelta(hours=5),
        "bbc-business-144": day + timedelta(days=6),
        "bbc-sport-082": day,
        "bbc-sport-081": day + timedelta(days=30),
        "bbc-tech-084": day,
        "bbc-tech-351": day + timedelta(days=40),
    }
    rows = [row for row in ENGLISH if row["id"] in published]
    texts = [story_text(row, published[row["id"]]) for row in rows]
    groups = {frozenset(rows[i]["id"] for i in group) for group in group_stories(texts)}
    alone = ("bbc-business-144", "bbc-sport-081", "bbc-sport-082", "bbc-tech-084", "bbc-tech-351")
    assert groups == {
        frozenset({"bbc-business-138", "bbc-business-152"}),
        *(frozenset({article_id}) for article_id in alone),
    }


def test_republished_copies_always_group_whatever_their_headline_or_date() -> None:
    copies = [row for row in ROWS if row["event"].endswith("-copy")]
    assert len(copies) == 4  # a BBC article listed twice, a CNN article and its lower-cased copy
    texts = [
        StoryText(f"Headline {index}", row["text"], published=datetime(2020, 1, 1 + index * 9))
        for index, row in enumerate(copies)
    ]
    groups = group_stories(texts, threshold=0.999)
    by_event = {frozenset(copies[i]["event"] for i in group) for group in groups}
    assert len(groups) == 2 and all(len(events) == 1 for events in by_event)


def test_empty_single_and_blank_inputs() -> None:
    assert group_stories([]) == []
    assert group_stories([story_text(ENGLISH[0])]) == [(0,)]
    blank = StoryText("", "")
    assert group_stories([blank, blank, StoryText("Only a headline", "")]) == [(0,), (1,), (2,)]
    assert similarity_matrix([]).shape == (0, 0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grouping_does_not_depend_on_input_order(seed: int) -> None:
    shuffled = ENGLISH.copy()
    random.Random(seed).shuffle(shuffled)
    assert groups_by_id(shuffled) == groups_by_id(ENGLISH)


def test_average_link_does_not_chain_a_saga_that_single_link_would() -> None:
    chain = np.array([[1.0, 0.9, 0.0], [0.9, 1.0, 0.9], [0.0, 0.9, 1.0]])
    assert average_link_groups(chain, 0.5) == [[0, 1], [2]]
    assert average_link_groups(chain, 0.4) == [[0, 1, 2]]  # mean link (0 + 0.9) / 2 = 0.45


def test_spanish_rewrite_is_much_closer_to_its_event_than_to_other_stories() -> None:
    similarities = similarity_matrix([story_text(row) for row in ROWS])
    ids = [row["id"] for row in ROWS]
    spanish = ids.index("synthetic-es")
    same_event = [similarities[spanish, ids.index(article_id)] for article_id in SEED_EVENT]
    others = [
        similarities[spanish, i] for i, row in enumerate(ROWS) if row["saga"] != "us-mexico-talks"
    ]
    assert min(same_event) > 2.5 * max(others)


def test_numbers_are_compared_by_value_across_languages_and_styles() -> None:
    english = number_terms("more than 190,000 apprehensions and 1.4 million workers")
    spanish = number_terms("más de 190.000 detenciones y 1,4 millones de trabajadores")
    assert english == spanish == ["#1.4e+06", "#190000"]
    assert number_terms("", [10000.0]) == ["#10000"]


def test_duplicate_key_ignores_case_accents_punctuation_and_spacing() -> None:
    assert duplicate_key("López said: “Yes”.\n\nOK") == duplicate_key("lopez said 'yes' ok")
    assert duplicate_key("190,000 people") != duplicate_key("225,000 people")


def figure(value: float, counted: str | None, period: str | None = None, **extra: str) -> KeyFigure:
    return KeyFigure(value, f"{value:,.0f}", "A sentence.", counted=counted, period=period, **extra)


def test_figures_counting_the_same_thing_are_recognised_across_wordings() -> None:
    assert figure_thing(figure(1, "apprehensions", "in November")) == figure_thing(
        figure(2, "apprehensions", "November")
    )
    assert figure_thing(figure(1, "people crossing", "per day")) == figure_thing(
        figure(2, "people", "a day")
    )
    assert figure_thing(figure(1, "migrants in the caravan")) != figure_thing(figure(2, "migrants"))


def test_merge_keeps_lead_figures_drops_repeats_and_reports_disagreement() -> None:
    bbc = [figure(190_000, "apprehensions", "in November", qualifier="more than")]
    bbc.append(figure(7_000, "migrants in the caravan"))
    wire_a = [figure(190_500, "apprehensions", "November"), figure(14, "buses", "in one night")]
    wire_b = [figure(225_000, "apprehensions", "November", qualifier="some")]
    merged, conflicts = merge_figures(
        [("BBC News", "en", bbc), ("Wire A", "en", wire_a), ("Wire B", "en", wire_b)]
    )
    assert [f.value for f in merged] == [190_000, 7_000, 14]
    assert conflicts == (
        (
            "apprehensions, in November",
            (("more than 190,000", "BBC News"), ("some 225,000", "Wire B")),
        ),
    )


def test_one_outlet_giving_two_values_is_not_a_conflict() -> None:
    reports = [("BBC News", "en", [figure(5, "deaths", "on Monday")])]
    reports.append(("BBC News", "en", [figure(9, "deaths", "on Monday")]))
    assert merge_figures(reports)[1] == ()
