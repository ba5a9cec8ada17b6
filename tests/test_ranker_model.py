"""The default ranker's learned model: the packaged file loads offline, bad files fail clearly,
and the summaries it drives keep the news lead, its antecedents and the answer to a question."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from summarizers.pipeline import summarize_text
from summarizers.ranking.features import FEATURE_NAMES
from summarizers.ranking.model import (
    MODEL_PATH,
    RankerModelError,
    default_model,
    load_model,
    parse_model,
)
from summarizers.ranking.news_rules import needs_antecedent, unresolved_references
from summarizers.ranking.ranker import rank_sentences


def test_the_packaged_model_loads_offline_and_matches_the_features() -> None:
    model = default_model()
    body = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert body["features"] == list(FEATURE_NAMES)
    assert model.weights.shape == (len(FEATURE_NAMES),)
    assert "tuning part" in body["trained_on"]
    assert model.redundancy >= 0


@pytest.mark.parametrize("total", [4, 8, 20, 60, 200])
def test_position_alone_never_lifts_a_later_sentence(total: int) -> None:
    model = default_model()
    index = np.arange(min(total, 31), dtype=np.float64)  # the rank term stops at 30
    rows = np.tile(model.mean, (len(index), 1))  # an average sentence at every position
    rows[:, FEATURE_NAMES.index("log_lead_rank")] = np.log1p(index)
    rows[:, FEATURE_NAMES.index("relative_position")] = index / total
    scores = model.scores(rows)
    assert (np.diff(scores) < 0).all()


def test_a_missing_model_file_fails_with_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(RankerModelError, match=r"cannot be read .*reinstall Newsbrief\.$"):
        load_model(tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "corrupt"),
        ("[1, 2]", "not a JSON object"),
        ('{"features": ["first"]}', "feature names differ"),
    ],
)
def test_a_corrupt_model_file_fails_with_one_clear_sentence(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RankerModelError, match=reason) as error:
        load_model(path)
    assert str(error.value).endswith("reinstall Newsbrief.")
    assert str(path) in str(error.value)


def test_weights_that_do_not_fit_the_features_are_refused() -> None:
    body = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    parse_model(json.dumps(body))  # the packaged file itself is fine
    for key, bad in (("weights", body["weights"][:-1]), ("scale", [0.0] * len(FEATURE_NAMES))):
        with pytest.raises(ValueError, match=key):
            parse_model(json.dumps({**body, key: bad}))
    with pytest.raises(ValueError, match="redundancy"):
        parse_model(json.dumps({**body, "redundancy": "high"}))


BALLOT_STORY = [
    "Voters in Springfield approved a $40 million bond on Tuesday to rebuild the city's three"
    " oldest schools.",
    "The measure passed with 61 percent of the vote, according to unofficial results.",
    "The win at the ballot box marks the third attempt by the school board to pass a bond.",
    "Board president Ana Ruiz said construction could start next summer.",
    "Opponents had argued that property taxes in Springfield were already too high.",
    "The two earlier bonds failed by fewer than 500 votes each.",
    "Turnout was about 38 percent, higher than in the last off-year election.",
    "The schools were built in the 1950s and have leaking roofs and old wiring.",
]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_the_lead_that_carries_the_news_is_kept(count: int) -> None:
    picked = rank_sentences(BALLOT_STORY, count, title="Springfield voters approve school bond")
    assert 0 in picked  # the summary says what voters approved


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_a_back_reference_never_comes_without_its_antecedent(count: int) -> None:
    assert needs_antecedent(BALLOT_STORY[2])  # "The win at the ballot box ..."
    assert needs_antecedent(BALLOT_STORY[5])  # "The two earlier bonds ..."
    picked = rank_sentences(BALLOT_STORY, count)
    assert unresolved_references(BALLOT_STORY, picked, "en") == 0
    for index in picked:
        if needs_antecedent(BALLOT_STORY[index]):
            assert index - 1 in picked


def test_unresolved_references_counts_openers_without_the_sentence_before() -> None:
    sentences = ["Rain fell all day.", "It flooded the road.", "The move angered drivers."]
    assert unresolved_references(sentences, [0, 1], "en") == 0
    assert unresolved_references(sentences, [0, 2], "en") == 1
    assert unresolved_references(sentences, [1], "en") == 1
    assert unresolved_references(sentences, [0], "en") == 0


def test_page_furniture_before_the_lead_is_skipped_and_the_lead_kept() -> None:
    text = (
        "By Jane Doe. PUBLISHED: 09:12 EST, 3 May 2014 | UPDATED: 10:40 EST, 3 May 2014.\n\n"
        "Scroll down for video.\n\n" + " ".join(BALLOT_STORY)
    )
    summary = summarize_text(text, title="Springfield voters approve school bond", count=3)
    assert summary.sentences[0] == BALLOT_STORY[0]
    assert not any("PUBLISHED" in s or "Scroll down" in s for s in summary.sentences)


FEATURE_LEDE = [
    "Maria Gomez has run the corner bakery on Elm Street for 31 years.",
    "Every morning she opens at five, before the buses start running.",
    "Her regulars know her cinnamon rolls sell out by eight o'clock.",
    "Like many owners on Elm Street, she watched the city council closely this spring.",
    "Rents on the street have doubled since the new stadium opened in 2019.",
    "On Tuesday night the council voted 7-2 to raise Springfield property taxes by 4 percent.",
    "Gomez said the bakery would absorb the cost for now.",
    "The stadium hosts about 40 games a year and draws crowds from across the region.",
    "Several shops on the street have closed since the pandemic.",
]


def test_a_question_headline_gets_the_sentence_that_answers_it() -> None:
    title = "Will Springfield raise property taxes?"
    picked = rank_sentences(FEATURE_LEDE, 3, title=title)
    assert 5 in picked  # the answer, six sentences into a feature lede
