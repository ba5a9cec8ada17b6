"""Sentence splitting: abbreviations, quotes, numbers, ellipses, paragraphs, Spanish."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizers.sentences import split_sentences

ENGLISH_CASES = [
    (
        "Mr. Smith met Dr. Jones and Mrs. Brown on Monday. They talked.",
        ["Mr. Smith met Dr. Jones and Mrs. Brown on Monday.", "They talked."],
    ),
    (
        "The U.S. and the U.K. signed a deal. Talks went on.",
        ["The U.S. and the U.K. signed a deal.", "Talks went on."],
    ),
    (
        "He works in the U.S. The weather there is bad.",
        ["He works in the U.S.", "The weather there is bad."],
    ),
    (
        "Gen. Smith lives on St. Mark's Place. Ms. Lee does not.",
        ["Gen. Smith lives on St. Mark's Place.", "Ms. Lee does not."],
    ),
    (
        "John F. Kennedy was shot in Dallas. It was 1963.",
        ["John F. Kennedy was shot in Dallas.", "It was 1963."],
    ),
    (
        "He said: 'No.' Then he left the room.",
        ["He said: 'No.'", "Then he left the room."],
    ),
    ("“It is over.” She left.", ["“It is over.”", "She left."]),
    ('"It is over." She left.', ['"It is over."', "She left."]),
    (
        "The firm lost 1.5 million dollars, or 3.2%. It was bad.",
        ["The firm lost 1.5 million dollars, or 3.2%.", "It was bad."],
    ),
    (
        "Wait... what happened? Nobody knows! Really.",
        ["Wait... what happened?", "Nobody knows!", "Really."],
    ),
    ("I was there. . . and then nothing. Next.", ["I was there. . . and then nothing.", "Next."]),
    (
        "He said no. Then he left for No. 10 Downing Street.",
        ["He said no.", "Then he left for No. 10 Downing Street."],
    ),
    (
        "They met at 10 a.m. on Friday. It rained.",
        ["They met at 10 a.m. on Friday.", "It rained."],
    ),
    (
        # Quotes spaced out by a tokenizer: the closing quote stays with its sentence.
        "He wrote that 'it is open to anybody. ' Merson had another dig.",
        ["He wrote that 'it is open to anybody. '", "Merson had another dig."],
    ),
    # A quoted question or exclamation does not end the sentence that attributes it.
    ("“Why?” he asked. Nobody knew.", ["“Why?” he asked.", "Nobody knew."]),
    ('"Why?", he asked. Nobody knew.', ['"Why?", he asked.', "Nobody knew."]),
    ('"Stop!" — she shouted. They stopped.', ['"Stop!" — she shouted.', "They stopped."]),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH_CASES)
def test_english_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_blank_lines_always_end_a_sentence_and_whitespace_is_normalised() -> None:
    text = "A headline without a stop\n\nFirst  line\nwraps here. Second.\n \n\nThird"
    assert split_sentences(text) == [
        "A headline without a stop",
        "First line wraps here.",
        "Second.",
        "Third",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", ". . .", "\n\n--\n\n"])
def test_no_sentences_without_words(text: str) -> None:
    assert split_sentences(text) == []


def test_spanish_abbreviations_and_inverted_marks() -> None:
    text = (
        "¿Qué pasa? ¡Nada! El Sr. García llegó a EE.UU. ayer. "
        "La Dra. López vive en el núm. 5 de la calle. Llueve."
    )
    assert split_sentences(text, "es") == [
        "¿Qué pasa?",
        "¡Nada!",
        "El Sr. García llegó a EE.UU. ayer.",
        "La Dra. López vive en el núm. 5 de la calle.",
        "Llueve.",
    ]


def test_unknown_language_falls_back_to_english() -> None:
    assert split_sentences("Dr. Who left. Then rain.", "de") == ["Dr. Who left.", "Then rain."]


def squeeze(text: str) -> str:
    return " ".join(text.split())


@given(
    st.lists(
        st.sampled_from(
            [
                "Mr.",
                "U.S.",
                "he",
                "said",
                "1.5",
                "'No.'",
                "?",
                "!",
                "...",
                "“Yes.”",
                ".",
                "\n\n",
                "\n",
                "Dr",
                "A.",
                "it",
                "¿Qué?",
            ]
        ),
        max_size=40,
    )
)
def test_sentences_are_verbatim_non_empty_pieces_in_order(words: list[str]) -> None:
    text = " ".join(words)
    sentences = split_sentences(text)
    flat = squeeze(text)
    position = 0
    for sentence in sentences:
        assert sentence.strip() == sentence
        assert any(character.isalnum() for character in sentence)
        found = flat.find(sentence, position)
        assert found >= 0, (sentence, flat)
        position = found + len(sentence)


def test_fast_enough_for_a_typical_article() -> None:
    paragraph = (
        "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the "
        "three months to December, from $639m year-earlier. The firm, which is now one of the "
        "biggest investors in Google, benefited from sales of high-speed internet connections. "
        "Mr. Parsons said: 'We are pleased.' Its profits were buoyed by one-off gains. "
    )
    article = "\n\n".join([paragraph] * 6)  # 24 sentences, about 420 words
    split_sentences(article)
    start = time.perf_counter()
    for _ in range(20):
        assert len(split_sentences(article)) == 24
    per_article_ms = (time.perf_counter() - start) / 20 * 1000
    # A few ms here; a single generous bound that only a real regression (a regex that
    # backtracks) crosses, not a busy machine.
    assert per_article_ms < 200
