"""Cleaning rules for ads, look-alike letters, credits and text appended after the article."""

from __future__ import annotations

import pytest

from summarizers.cleaning import (
    clean_paragraphs,
    clean_pasted_text,
    is_ad_or_credit,
    is_furniture_line,
    parse_byline,
)
from summarizers.pipeline import summarize_text

BODY = [
    "The city council approved a new budget for the coming year on Tuesday night.",
    "The plan raises spending on schools by 4% and cuts the road budget.",
    "Council members voted 7-2 after a three-hour debate.",
    "The mayor said she would sign the budget before the end of the week.",
]
# Cyrillic С and е inside Latin words: "Сlick hеre to claim your prize".
LOOKALIKE_AD = "\u0421lick h\u0435re to claim your prize before it is gone."


@pytest.mark.parametrize(
    "line",
    [
        LOOKALIKE_AD,
        "Win big t\u03bfday with our partner casino and double your deposit.",  # Greek ο
        "Earn 5% cash back on every purchase with no annual fee.",
        "Apply now for the card and get 50,000 bonus points.",
        "Use the code SAVE20 to get your first year for as little as $29.",
        "Terms apply. See rates and fees.",
        "Sponsored content: the best mattresses of the year",
        "Suscríbete ahora y aprovecha envío gratis con meses sin intereses.",
        "– Jane Doe, Features Editor",
        "— Example Agency (@example) May 5, 2022",
        "Jane Doe jane.doe@example.com | Viernes 22 abril, 2022",
        "This article was originally published by Example Magazine.",
        "Read the original article.",
        "Views and opinions expressed in this article are those of the author alone.",
        "Story continues below gallery",
        "An error has occurred, please try again later.",
        "Nota relacionada: La secretaria que tumbó al contralor",
        "SIOUX FALLS, S.D.",
        "President Smith speaks at the summit on Monday. (AP Photo/Jane Doe)",
        "Foto: Agencia Ejemplo",
    ],
)
def test_ads_credits_and_notices_are_dropped(line: str) -> None:
    assert clean_paragraphs([BODY[0], line, BODY[1]]) == BODY[:2]


@pytest.mark.parametrize(
    "line",
    [
        "The bank raised its annual fee to $95, customers said.",
        "The bill was sponsored by two senators from opposite parties.",
        "Москва и Санкт-Петербург — крупнейшие города России.",  # all Cyrillic is not an ad
        "Apply the rule now, the judge told the agency, or face a fine.",
        "Officials said 14 buses arrived (AP reported) before dawn on Sunday.",
    ],
)
def test_body_lines_like_ads_or_credits_are_kept(line: str) -> None:
    assert clean_paragraphs([BODY[0], line, BODY[1]]) == [BODY[0], line, BODY[1]]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("By Jane Doe: " + BODY[1], BODY[1]),
        ("EXAMPLE MAGAZINE via WIRE NEWS — " + BODY[1], BODY[1]),
        ("SIOUX FALLS, S.D. – " + BODY[1], BODY[1]),
        ("WASHINGTON (AP) — " + BODY[1], "WASHINGTON (AP) — " + BODY[1]),  # not split off
        (BODY[1] + " (NM)", BODY[1]),
        (BODY[1] + " Click through for the whole thing.", BODY[1]),
    ],
)
def test_credit_before_or_after_the_text_is_stripped(line: str, kept: str) -> None:
    assert clean_paragraphs([BODY[0], line]) == [BODY[0], kept]


def test_byline_with_a_colon_and_spanish_byline() -> None:
    assert parse_byline("By Aaron Smith:") == "Aaron Smith"
    assert parse_byline("Por Agencia Ejemplo") == "Agencia Ejemplo"
    assert parse_byline("Por último, el consejo votó.") is None


@pytest.mark.parametrize(
    "line",
    [
        "(FILE)",
        "(via Example Blog)",
        "Jane Doe (jane@example.com) is the editor of the Example Review.",
    ],
)
def test_credit_lines_are_furniture(line: str) -> None:
    assert is_furniture_line(line)


def test_caption_above_a_bracketed_credit_is_dropped() -> None:
    caption = "Players training ahead of a match against the visitors."
    assert clean_paragraphs([BODY[0], caption, "(FILE)", BODY[1]]) == BODY[:2]


def test_section_label_above_the_text_is_dropped() -> None:
    assert clean_paragraphs(["Nacionales", *BODY]) == BODY


def test_pull_quote_repeating_the_text_is_dropped() -> None:
    quote = "“We will not raise taxes on families this year,” the mayor said at the meeting."
    pull = "“We will not raise taxes on families this year."
    assert clean_paragraphs([BODY[0], quote, BODY[1], pull, BODY[2]]) == [
        BODY[0],
        quote,
        BODY[1],
        BODY[2],
    ]


def test_a_repeated_story_is_cut_where_it_comes_round_again() -> None:
    lines = [*BODY, "More from the city desk", *BODY, "Another story starts here today."]
    assert clean_paragraphs(lines) == BODY


def test_repeated_short_lines_are_not_a_repeated_story() -> None:
    lines = [BODY[0], "Serves 4 people.", BODY[1], "Serves 4 people.", BODY[2]]
    assert clean_paragraphs(lines) == lines


def test_teasers_of_other_stories_at_the_end_are_dropped() -> None:
    teasers = [
        "The good folks at the choir are still doing their thing, and now they have […]",
        "It is a long road from a song in your head to a song on the charts, and the […]",
        "If you have worked in any high-performing lab, you already know about […]",
    ]
    assert clean_paragraphs([*BODY, *teasers]) == BODY


def test_a_second_article_with_its_own_byline_is_dropped() -> None:
    other = [
        "Storm closes schools across the county",
        "By John Smith",
        "Schools across the county closed on Wednesday as the storm arrived.",
        "Officials expect them to reopen on Friday.",
    ]
    assert clean_paragraphs([*BODY, *other]) == BODY


def test_author_note_ends_the_article() -> None:
    note = "Jane Doe (jane@example.com) is a senior writer at the Example Review."
    lines = [*BODY, note, "She also runs a podcast about city budgets."]
    assert clean_paragraphs(lines) == BODY


def test_lookalike_ad_never_reaches_a_summary() -> None:
    pasted = "\n\n".join([BODY[0], LOOKALIKE_AD, *BODY[1:]])
    clean = clean_pasted_text(pasted)
    summary = summarize_text(clean.text, count=4)
    assert all("lick" not in sentence for sentence in summary.sentences)
    assert len(summary.sentences) == 4


def test_single_sentence_check_for_ads_and_credits() -> None:
    assert is_ad_or_credit(LOOKALIKE_AD)
    assert is_ad_or_credit("Apply now and earn 60,000 bonus points.")
    assert is_ad_or_credit("— Example Agency (@example) May 5, 2022")
    assert not is_ad_or_credit(BODY[0])


@pytest.mark.parametrize(
    "line",
    [
        "[button link=”https://example.com/submit/” type=”big”] Send us YOUR review[/button]",
        "Tell us what YOU think...",
        "This copy is for your personal, non-commercial use only. Distribution and use of this "
        "material are governed by our Subscriber Agreement and by copyright law. For "
        "non-personal use or to order multiple copies, please contact Reprints at the number "
        "below or visit our reprints page on the web.",
        "Get access to the country's fastest growing financial subscription service for as "
        "little as 599 for the first year. Use the code SAVE to claim the offer, and enjoy "
        "research reports, stock picks, expert analysis and more on every device you own, "
        "all year long.",
    ],
)
def test_long_notices_shortcodes_and_comment_prompts_are_dropped(line: str) -> None:
    assert clean_paragraphs([*BODY[:2], line]) == BODY[:2]


@pytest.mark.parametrize(
    "line",
    [
        "-",
        "* * *",
        "See more photos:",
        "Installation views of the show, photos © Example Studio, 2018",
        "The company logo is displayed outside an office in New York.Wire Agency",
    ],
)
def test_separators_photo_prompts_and_glued_credits_are_dropped(line: str) -> None:
    assert clean_paragraphs([*BODY[:2], line, BODY[2]]) == BODY[:3]
