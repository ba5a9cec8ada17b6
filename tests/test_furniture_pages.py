"""The hand-labelled furniture set: 88 real pages, English and Spanish, through the real path.

Each page's sentences (trafilatura's raw text, split) are labelled furniture or not by reading
(tests/fixtures/pages/furniture/pages.jsonl). A summary made the way the bot makes it
(bot.web.extract -> bot.service.summarize_article, default method) must pick no furniture;
how much furniture survives cleaning is held under a ceiling (benchmarks/furniture.py prints
the counts by split part).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bot.models import Article
from bot.service import summarize_article
from bot.web.extract import extract_article
from summarizers.ranking.methods import DEFAULT_METHOD
from summarizers.sentences import split_sentences

PAGES = Path(__file__).parent / "fixtures" / "pages"
SET = [
    json.loads(line)
    for line in (PAGES / "furniture" / "pages.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
SUMMARY_SENTENCES = 3  # the bot's default
MIN_CONTAINED_CHARS = 12  # a shorter furniture sentence ("More:") may sit inside any sentence
# Pages whose summary still picks a furniture sentence, as measured (all in the check part,
# whose pages no rule was written from; the second was labelled after the rules were frozen).
KNOWN_PICKS = {"viconsortium.com-cocaine.html.gz", "biobiochile.cl-gremios.html.gz"}
# Distinct labelled furniture sentences still in the cleaned text, as measured: 10 of 273 on the
# tune part, 50 of 105 on the check part (60 of 378 in all). A regression crosses this ceiling.
MAX_SURVIVING = 64


def squash(text: str) -> str:
    return " ".join(text.split())


def furniture_of(page: dict) -> list[str]:
    """The page's distinct furniture sentences, but for those it also has as article text (a
    page that repeats the story below it): by their text alone they are article text."""
    article = {squash(s["text"]) for s in page["sentences"] if not s["furniture"]}
    furniture = (squash(s["text"]) for s in page["sentences"] if s["furniture"])
    return [text for text in dict.fromkeys(furniture) if text not in article]


def is_labelled(sentence: str, furniture: list[str]) -> bool:
    """Whether ``sentence`` is, contains or lies inside a labelled furniture sentence."""
    text = squash(sentence)
    return any(
        text == label or (len(label) >= MIN_CONTAINED_CHARS and (label in text or text in label))
        for label in furniture
    )


def article_of(page: dict) -> Article:
    html = gzip.decompress((PAGES / page["html"]).read_bytes())
    return extract_article(html, page["url"])


def test_the_set_is_forty_real_pages_in_english_and_spanish() -> None:
    assert len(SET) >= 80
    assert {page["lang"] for page in SET} == {"en", "es"}
    assert {page["part"] for page in SET} == {"tune", "check"}
    assert sum(len(furniture_of(page)) for page in SET) >= 150
    for page in SET:
        assert (PAGES / page["html"]).is_file()
        assert page["set"] in ("aeb", "trafilatura-snippets")


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            page,
            marks=pytest.mark.xfail(strict=True, reason="known pick, see KNOWN_PICKS"),
        )
        if page["page"] in KNOWN_PICKS
        else page
        for page in SET
    ],
    ids=lambda page: f"{page['part']}-{page['page'][:32]}",
)
def test_summary_picks_no_furniture(page: dict) -> None:
    article = article_of(page)
    summary = summarize_article(article, SUMMARY_SENTENCES, DEFAULT_METHOD)
    assert 1 <= len(summary.sentences) <= SUMMARY_SENTENCES
    picked = [s for s in summary.sentences if is_labelled(s, furniture_of(page))]
    assert picked == []


def test_furniture_surviving_cleaning_stays_under_its_ceiling() -> None:
    surviving = 0
    for page in SET:
        article = article_of(page)
        kept = split_sentences(article.text, article.lang)
        surviving += sum(any(is_labelled(k, [f]) for k in kept) for f in furniture_of(page))
    assert surviving <= MAX_SURVIVING


def test_a_labelled_furniture_sentence_is_recognised_inside_a_longer_one() -> None:
    furniture = ["Story continues below gallery", "More:"]
    assert is_labelled("Story continues below gallery Police said.", furniture)
    assert is_labelled("More:", furniture)
    assert not is_labelled("More: it rained on the parade.", ["More:"])  # too short to look inside
    assert not is_labelled("Police said more was to come.", furniture)
