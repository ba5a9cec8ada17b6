"""Summary methods by name: valid indices in document order, count honoured, unknown names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizers.ranking.methods import (
    DEFAULT_METHOD,
    METHODS,
    select_sentence_sets,
    select_sentences,
)
from summarizers.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "summaries"


def fixture_sentences(name: str) -> list[str]:
    article = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return split_sentences(article["text"])


def test_registry() -> None:
    assert DEFAULT_METHOD == "newsbrief"
    assert METHODS == ("newsbrief", "lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("count", [1, 3, 5])
def test_every_method_returns_ascending_valid_indices(method: str, count: int) -> None:
    sentences = fixture_sentences("bbc-timewarner.json")
    picked = select_sentences(sentences, count, method=method)
    assert len(picked) == count
    assert picked == sorted(set(picked))
    assert all(0 <= index < len(sentences) for index in picked)


@pytest.mark.parametrize("method", ["newsbrief", "lead", "lexrank"])
@pytest.mark.parametrize("name", ["bbc-timewarner.json", "cnn-roots.json", "dm-chipotle.json"])
def test_several_counts_from_one_reading_pick_what_each_count_picks(method: str, name: str) -> None:
    sentences = fixture_sentences(name)
    counts = [3, 4, 0, 1, len(sentences), len(sentences) + 2]
    title = "Ad sales boost profit"
    sets = select_sentence_sets(sentences, counts, method=method, title=title)
    assert sets == [select_sentences(sentences, n, method=method, title=title) for n in counts]


@pytest.mark.parametrize("method", METHODS)
def test_short_inputs_and_large_counts(method: str) -> None:
    sentences = ["The council approved the budget on Monday.", "Taxes will rise by 2%."]
    assert select_sentences([], 3, method=method) == []
    assert select_sentences(sentences[:1], 3, method=method) == [0]
    assert select_sentences(sentences, 5, method=method) == [0, 1]
    assert select_sentences(sentences, 0, method=method) == []


@pytest.mark.parametrize("method", METHODS)
def test_duplicate_sentences_keep_distinct_indices(method: str) -> None:
    sentences = [
        "Floods closed the main road into the city on Sunday.",
        "Pictured.",
        "Floods closed the main road into the city on Sunday.",
        "Engineers expect to reopen it by Wednesday.",
    ]
    picked = select_sentences(sentences, 3, method=method)
    assert len(picked) == 3
    assert picked == sorted(set(picked))


@pytest.mark.parametrize("method", ["lexrank", "textrank", "lsa", "luhn", "sumbasic"])
def test_sumy_methods_work_offline_in_spanish(method: str) -> None:
    sentences = split_sentences(
        "El Gobierno aprobó ayer el presupuesto para el próximo año. "
        "El presupuesto sube los impuestos a las grandes empresas. "
        "La oposición criticó el presupuesto en el Congreso. "
        "Llovió en Madrid durante toda la tarde.",
        "es",
    )
    picked = select_sentences(sentences, 2, method=method, lang="es")
    assert len(picked) == 2
    assert picked == sorted(picked)


def test_sumbasic_handles_words_whose_stem_is_a_stop_word() -> None:
    # sumy's own SumBasic raises KeyError('appear') here (sumy issue #176).
    sentences = ["The results appears strong this year.", "Profits rose sharply in December."]
    assert select_sentences(sentences, 1, method="sumbasic") in ([0], [1])


def test_lead_takes_the_first_sentences() -> None:
    sentences = fixture_sentences("cnn-roots.json")
    assert select_sentences(sentences, 3, method="lead") == [0, 1, 2]


def test_unknown_method_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="lexrank") as error:
        select_sentences(["One sentence here."], 1, method="bogus")
    assert "bogus" in str(error.value)
    assert all(name in str(error.value) for name in METHODS)
