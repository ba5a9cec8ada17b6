"""Inputs the property tests in test_properties.py once found to break the code (each was a bug,
now fixed), kept as plain examples so they are checked on every run."""

from __future__ import annotations

import contextlib
import math

import pytest
from conftest import EnvFreeSettings

from bot.digests.feedparse import FeedError, html_to_text, parse_feed
from bot.service import Summarizer
from summarizers.figures.extract import extract_figures
from summarizers.ranking.methods import select_sentences

SERVICE_SETTINGS = EnvFreeSettings(sentences=3, method="newsbrief")


@pytest.mark.parametrize("sentences", [["A"], [""], ["It is what it is.", "And so it was."]])
def test_lsa_picks_sentences_made_of_stop_words(sentences: list[str]) -> None:
    assert select_sentences(sentences, 1, method="lsa") == [0]


async def test_the_service_never_returns_an_empty_summary() -> None:
    text = "It is what it is, and that is all there is to it. " * 6
    async with Summarizer(SERVICE_SETTINGS) as summarizer:
        summary = await summarizer.summarize(text, method="lsa")
    assert len(summary.sentences) == 3


@pytest.mark.parametrize(
    "sentence", ["1E309LB", "Some 1e400 people were counted.", "Exactly " + "9" * 400 + " came."]
)
def test_figure_values_are_finite(sentence: str) -> None:
    figures = extract_figures([sentence])
    assert all(math.isfinite(figure.value) for figure in figures)


@pytest.mark.parametrize("markup", ["<P>\ufffe", "<p>\uffff</p>", "<p>x</p>\ufffe"])
def test_html_to_text_takes_noncharacters(markup: str) -> None:
    assert html_to_text(markup).strip("\ufffe\uffff") in ("", "x")


@pytest.mark.parametrize("body", [b"<>&#xD800;", b"<rss><channel><title>&#55357;&#56832;"])
def test_parse_feed_takes_surrogate_references(body: bytes) -> None:
    with contextlib.suppress(FeedError):
        parse_feed(body, "https://news.example/feed.xml")
