"""The de-duplication policy above every store backend (bot.store.dedup), on its own.

The store tests check it through a backend; these pin the policy itself, so that a backend
that only looks up and writes cannot change what counts as one article.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from store_fixtures import STORY, T0, article

from bot.store.dedup import MatchedBy, article_identity, merge_known, pick_match
from bot.store.records import StoredArticle
from bot.web.urls import canonical_url, content_hash


def stored(**fields: object) -> StoredArticle:
    values: dict[str, object] = {
        "id": 7,
        "url": "https://news.example/a",
        "canonical_url": "https://news.example/a",
        "content_hash": content_hash(STORY),
        "title": None,
        "byline": None,
        "source": None,
        "published": None,
        "lang": "en",
        "text": STORY,
        "fetched_at": T0,
        "topic_score": None,
    }
    return StoredArticle(**(values | fields))  # type: ignore[arg-type]


def test_the_names_are_canonical_with_the_canonical_url_first_and_each_once() -> None:
    identity = article_identity(
        article("https://NEWS.example/a?utm_source=x", canonical_url="https://news.example/a"),
        keys=["https://news.example/a", "https://feed.example/f#guid=12"],
    )
    assert identity.canonical_key == canonical_url("https://news.example/a")
    assert identity.names[0] == identity.canonical_key
    assert len(identity.names) == len(set(identity.names))
    assert canonical_url("https://feed.example/f#guid=12") in identity.names
    assert identity.content_hash == content_hash(STORY)
    assert identity.url == "https://NEWS.example/a?utm_source=x"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": None}, "^An article needs a URL to be stored\\.$"),
        ({"text": "  \n "}, "^An article needs text to be stored\\.$"),
    ],
)
def test_an_article_without_url_or_text_has_no_identity(
    fields: dict[str, object], message: str
) -> None:
    values = {"url": "https://news.example/a", "text": STORY} | fields
    with pytest.raises(ValueError, match=message):
        article_identity(article(**values))  # type: ignore[arg-type]


def test_the_canonical_url_wins_over_the_text_which_wins_over_other_names() -> None:
    everything = {MatchedBy.OTHER_NAME: 3, MatchedBy.TEXT: 2, MatchedBy.CANONICAL_URL: 1}
    assert pick_match(everything) == 1
    assert pick_match({MatchedBy.OTHER_NAME: 3, MatchedBy.TEXT: 2}) == 2
    assert pick_match({MatchedBy.OTHER_NAME: 3}) == 3
    assert pick_match({}) is None


def test_a_known_article_keeps_its_text_and_fields_and_fills_only_what_it_lacked() -> None:
    when = datetime(2026, 11, 27, tzinfo=UTC)
    known = stored(title="First title", source=None, topic_score=0.4)
    incoming = article(
        "https://other.example/b",
        text="Another text entirely.",
        title="Second title",
        source="Example Wire",
        byline="A. Writer",
        published=when,
    )
    merged = merge_known(known, incoming)
    assert (merged.text, merged.title, merged.url) == (STORY, "First title", known.url)
    assert (merged.source, merged.byline, merged.published) == ("Example Wire", "A. Writer", when)
    assert merged.topic_score == 0.4  # no new score: the old one stays
    assert merge_known(known, incoming, topic_score=0.9).topic_score == 0.9
    assert merge_known(stored(title=""), incoming).title == ""  # empty is not missing
    full = stored(title="T", byline="B", source="S", published=T0)
    assert merge_known(full, incoming) == full  # nothing known is replaced
