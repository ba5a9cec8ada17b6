"""Cleaning rules for pasted text and extracted paragraphs, on the BBC seed and real page lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizers.cleaning import (
    CleanText,
    clean_paragraphs,
    clean_pasted_text,
    parse_byline,
    split_paragraphs,
)

SEED = Path(__file__).parent / "fixtures" / "seed"
SEED_TEXT = (SEED / "bbc-us-mexico-migration.txt").read_text(encoding="utf-8")
EXPECTED = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))


def seed_body_paragraphs() -> list[str]:
    """The seed's blocks that are neither the headline nor hold any expected non-article text."""
    blocks = [block.strip() for block in SEED_TEXT.split("\n\n") if block.strip()]
    return [
        block
        for block in blocks
        if block != EXPECTED["title"]
        and not any(marker in block for marker in EXPECTED["not_article_text"])
    ]


@pytest.fixture(scope="module")
def seed() -> CleanText:
    return clean_pasted_text(SEED_TEXT)


def test_seed_title_and_byline(seed: CleanText) -> None:
    assert seed.title == EXPECTED["title"]
    assert seed.byline == EXPECTED["byline"] == "Matt Murphy"


@pytest.mark.parametrize("marker", EXPECTED["not_article_text"])
def test_seed_furniture_is_gone(seed: CleanText, marker: str) -> None:
    assert marker not in seed.text


def test_seed_keeps_every_body_paragraph_in_order(seed: CleanText) -> None:
    body = seed_body_paragraphs()
    assert len(body) == 21
    assert seed.text.split("\n\n") == body
    assert seed.text.startswith("The US and Mexico have vowed to crack down on migrant smugglers")
    assert seed.text.endswith("is about 1,000 miles south of the US border.")
    # the 7,000 figure stays once, in the body, not from the photo's alt text and caption
    assert seed.text.count("7,000") == 1


@pytest.mark.parametrize(
    "line",
    [
        "Image caption,Antony Blinken led the closed-door negotiations for the US side",
        "Image source, Getty Images",
        "Media caption, Watch: migrants cross the Rio Grande",
        "Photo: Reuters",
        "Getty Images",
        "AFP via Getty Images",
        "(Credit: Clayton Aldern / Grist)",
        "Share",
        "Share this article",
        "Facebook Twitter Email Copy link",
        "Sign up for our newsletter",
        "Get the top stories in your inbox every morning.",
        "Subscribe now to our eNATION edition for the full story.",
        "CLICK HERE TO GET THE FOX NEWS APP",
        "Follow NBC Latino on Facebook, Twitter and Instagram.",
        "Copyright 2019 Hawaii News Now. All rights reserved.",
        "© 2023 BBC",
        "Published 2 hours ago",
        "28 December 2023",
        "Updated 5:00 PM ET, Thu December 28, 2023",
        "Read more: Migrant caravan sets off from southern Mexico",
        "Lea también: Impiden ingreso a Nicaragua a reportero",
        "Keith Bradsher contributed reporting from Hong Kong.",
        "Reporting by Rodrigo Campos; Editing by Nick Zieminski",
        "Write to Al Root at allen.root@dowjones.com",
        "By Matt Murphy",
        "Advertisement",
        "BVINEWS.COM",
        "- Published 18 November 2019",
    ],
)
def test_furniture_line_is_dropped(line: str) -> None:
    body = "The US and Mexico have vowed to crack down on migrant smugglers."
    assert clean_paragraphs([body, line, body]) == [body, body]


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell 5% on Monday after the report.",
        "Reuters reported that 14 buses arrived from Texas in a single night.",
        "By Tuesday, more than 7,000 people had joined the caravan.",
        "Getty Images said on Friday that it would appeal the ruling.",
        "Photo IDs are now required at the border, officials said.",
        "Subscribers to the service rose by 10% in November.",
        "Comments from the president came as the talks ended.",
        "Users who download the app are tracked, the report said.",
        "Why are so many people crossing the border?",
    ],
)
def test_body_lines_that_resemble_furniture_are_kept(line: str) -> None:
    body = "The US and Mexico have vowed to crack down on migrant smugglers."
    assert clean_paragraphs([body, line, body]) == [body, line, body]


def test_alt_text_goes_only_when_a_caption_follows() -> None:
    lines = [
        "The caravan left from Tapachula on Christmas Eve.",
        "Migrants walk along a highway in southern Mexico",
        "Image caption,At least 7,000 migrants are estimated to have joined the caravan",
        "Its leaders carried a banner reading “Exodus from poverty”.",
        "Image caption,The caravan near Tapachula",
    ]
    assert clean_paragraphs(lines) == [lines[0], lines[3]]


def test_desk_line_after_byline_is_dropped_but_later_short_lines_stay() -> None:
    lines = [
        "By Jane Doe and John Smith",
        "Reporting from Ciudad Juárez",
        "The US and Mexico have vowed to crack down on migrant smugglers.",
        "What happens next",
        "Talks resume in January.",
    ]
    assert clean_paragraphs(lines) == [lines[2], lines[3], lines[4]]


def test_comment_form_ends_the_article() -> None:
    body = [f"Paragraph {n} of the story ends here." for n in range(4)]
    lines = [
        *body,
        "Leave a Reply Cancel reply",
        "Great article!",
        "Your email address will not be published. Required fields are marked *",
    ]
    assert clean_paragraphs(lines) == body


def test_comment_link_under_the_headline_does_not_end_the_article() -> None:
    body = [f"Paragraph {n} of the story ends here." for n in range(4)]
    assert clean_paragraphs(["Leave a comment", *body]) == body


def test_related_topics_ends_the_article() -> None:
    body = [f"Paragraph {n} of the story ends here." for n in range(4)]
    lines = [*body, "Related Topics", "US-Mexico border", "Mexico"]
    assert clean_paragraphs(lines) == body


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Matt Murphy", "Matt Murphy"),
        ("BY MATT MURPHY", "MATT MURPHY"),
        ("Written by: Jane Doe", "Jane Doe"),
        ("By the time the caravan arrived, it had grown.", None),
        ("By 2030 the border wall will be finished", None),
        ("The US and Mexico", None),
    ],
)
def test_parse_byline(line: str, names: str | None) -> None:
    assert parse_byline(line) == names


def test_hard_wrapped_paste_is_rejoined() -> None:
    raw = (
        "Migrant caravan heads north\n\n"
        "The caravan left from the southern Mexican city of\n"
        "Tapachula on Christmas Eve, and its leaders carried a\n"
        "banner reading “Exodus from poverty”.\n"
        "It is about 1,000 miles south of the US border.\n"
    )
    assert split_paragraphs(raw) == [
        "Migrant caravan heads north",
        "The caravan left from the southern Mexican city of",
        "Tapachula on Christmas Eve, and its leaders carried a banner reading “Exodus from"
        " poverty”.",
        "It is about 1,000 miles south of the US border.",
    ]


def test_first_line_is_a_title_only_when_it_looks_like_one() -> None:
    sentence = "The US and Mexico have vowed to crack down on migrant smugglers."
    second = "Talks resume in January."
    assert clean_pasted_text(f"{sentence}\n\n{second}") == CleanText(
        title=None, byline=None, text=f"{sentence}\n\n{second}"
    )
    assert clean_pasted_text(f"Border talks end\n{sentence}").title == "Border talks end"
    assert clean_pasted_text("Border talks end").title is None


def test_windows_line_endings_and_blank_input() -> None:
    assert clean_pasted_text("Border talks end\r\n\r\nTalks resume.\r\n").text == "Talks resume."
    assert clean_pasted_text("  \n\n ") == CleanText(title=None, byline=None, text="")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=12))
def test_clean_paragraphs_only_removes_lines(paragraphs: list[str]) -> None:
    normalised = [" ".join(p.split()) for p in paragraphs if p.split()]
    kept = clean_paragraphs(paragraphs)
    remaining = iter(normalised)
    assert all(line in remaining for line in kept)  # an ordered subsequence


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_clean_pasted_text_accepts_any_text(raw: str) -> None:
    clean = clean_pasted_text(raw)
    assert "\n\n\n" not in clean.text
    assert clean.text == clean.text.strip()
