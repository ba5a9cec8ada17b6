"""Properties of the text pipeline on arbitrary and hostile text: nothing raises, output is quoted.

Cleaning, sentence splitting, every summary method, key figures, the whole pipeline and the
``Summarizer`` service get both random Unicode and news-shaped text salted with what real
pastes carry: numbers in every spelling, quotes, abbreviations, right-to-left scripts, emoji,
zero-width and bidi marks, control characters, lone surrogates (JSON can hold them) and HTML
entities. Each property runs a fixed number of derandomized examples so that CI is stable; set
``NEWSBRIEF_FUZZ_EXAMPLES=5000`` to search harder locally (random, not derandomized).
"""

from __future__ import annotations

import asyncio
import math
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import EnvFreeSettings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.digests.feedparse import FeedError, html_to_text, parse_feed
from bot.errors import NewsbriefError
from bot.models import Summary
from bot.service import MAX_SENTENCES, Summarizer
from bot.web.extract import extract_article
from summarizers.cleaning import clean_pasted_text
from summarizers.figures.extract import extract_figures
from summarizers.pipeline import summarize_text
from summarizers.ranking.methods import METHODS, select_sentences
from summarizers.sentences import split_sentences

_FUZZ = int(os.environ.get("NEWSBRIEF_FUZZ_EXAMPLES", "0"))


def budget(examples: int) -> settings:
    """``examples`` derandomized examples (or the fuzzing budget), no deadline, no database."""
    return settings(
        max_examples=_FUZZ or examples,
        derandomize=not _FUZZ,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Examples each property actually ran, by what it exercised.
TRIED: Counter[str] = Counter()
MIN_EXAMPLES = 10


@pytest.fixture(autouse=True)
def ran_its_budget(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each property must have run at least ``MIN_EXAMPLES`` inputs, whatever ran before it.

    A strategy that filters out almost everything would otherwise pass on a handful of inputs.
    Checked per test (not by a last test reading every other test's count), so the result does
    not depend on which tests ran or in what order.
    """
    before = sum(TRIED.values())
    yield
    if getattr(request.function, "is_hypothesis_test", False):
        ran = sum(TRIED.values()) - before
        assert ran >= MIN_EXAMPLES, f"{request.node.name} ran only {ran} generated inputs"


# --- strategies ------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


_ENGLISH = words(
    "the a of in to and border agency said migrants crossed river city officials court ruling"
    " shelter families asylum record month people more than about nearly at least up to per day"
    " in November last year were was has been reported government police children deaths"
)
_SPANISH = words("la frontera según los migrantes cruzaron más niños año está dijo mil millones")
_NAMES = ["Biden", "López Obrador", "São Paulo", "Ciudad Juárez", "O'Brien", "al-Sisi", "BBC"]
_ABBREVIATIONS = [
    "Mr.", "Mrs.", "Dr.", "U.S.", "U.N.", "No.", "e.g.", "i.e.", "a.m.", "p.m.", "Gen.",
    "Sr.", "EE.UU.", "etc.", "Inc.", "St.", "Calif.", "Dec.", "N.º", "Ph.D.",
]  # fmt: skip
_NUMBER_SPELLINGS = [
    "190,000", "1.5bn", "$1.5bn", "€300m", "£2,000", "12.5%", "10-20", "two million",
    "dos millones", "half a million", "tens of thousands", "3rd", "2023", "Dec. 5", "7:30",
    "-5", "½", "x²", "١٩٠٬٠٠٠", "۱۲۳", "１２３", "1e10", "9" * 40, "9" * 400, "0.000001",
    "1,00,000", "1.000.000", "1 000 000", "1'000'000", "50 per cent", "COVID-19", "G7",
    "+44 20 7946 0958", "1️⃣", "№5", "9/11", "24/7", "3.14.15", "1,2,3", "1..2", "$", "%",
    "10km", "5 miles", "1,", ",1", "0", "00000", "0x1F", "1/0", "NaN", "inf", "1e309",
]  # fmt: skip
_QUOTES = ['"', "“", "”", "‘", "’", "«", "»", "'", "„", "‹", "›"]
_RTL = ["المهاجرين", "عبروا", "الحدود", "הגבול", "מהגרים", "١٢٣", "٪٥٠", "ﷺ"]
_EMOJI = ["🙂", "👨‍👩‍👧‍👦", "🇺🇸", "🇲🇽", "👍🏽", "🔥", "❤️", "#️⃣", "🏳️‍🌈", "𝕏"]
_INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u200e", "\u200f", "\u202a",
    "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u034f",
    "\u180e", "\ufe0f",
]  # fmt: skip
_CONTROL = [
    "\x00", "\x01", "\x07", "\x08", "\x1b[31m", "\x7f", "\x85", "\x9b", "\u2028", "\u2029",
    "\x0c", "\x0b", "\r", "\t", "\x1c", "\x1f", "\ud800", "\udfff", "\ufffd", "\uffff",
]  # fmt: skip
_MARKUP = [
    "&amp;", "&nbsp;", "&#8217;", "&#x27;", "&lt;b&gt;", "&quot;", "&#0;", "&#xD800;",
    "&bogus;", "<p>", "</div>", "<script>alert(1)</script>", "<br/>", "<!--", "]]>", "<",
    "@everyone", "<!channel>", "<@U123>", "https://example.com/a?b=1&c=2", "*bold*", "`x`",
]  # fmt: skip
_COMBINING = ["e\u0301", "n\u0303", "\u0301", "Z\u0351\u0352\u0353\u0354", "ﬁ", "Å", "ǅ", "İ"]
_SEPARATORS = [" ", " ", " ", "  ", "\xa0", "\u3000", "\u2009", "\t", "\n", "\r\n", "\n\n"]
_ENDINGS = [".", ".", ".", "?", "!", "…", "...", '."', ".”", ".'", "", ":", ";", "?!", ". . ."]

# One flat pool (a single draw per token is what keeps generation fast); common words weigh more.
_TOKENS = [
    *_ENGLISH * 4, *_SPANISH, *_NAMES, *_ABBREVIATIONS, *_NUMBER_SPELLINGS * 2, *_QUOTES,
    *_RTL, *_EMOJI, *_INVISIBLE, *_CONTROL, *_MARKUP, *_COMBINING,
]  # fmt: skip
word = st.one_of(
    st.sampled_from(_TOKENS),
    st.integers(0, 10**9).map(lambda n: f"{n:,}"),
    st.text(min_size=1, max_size=3),
)


@st.composite
def news_sentence(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(word, st.sampled_from(_SEPARATORS)), min_size=1, max_size=16))
    body = "".join(token + gap for token, gap in pairs).strip(" ")
    return body[:1].upper() + body[1:] + draw(st.sampled_from(_ENDINGS))


@st.composite
def news_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(news_sentence(), st.sampled_from(_SEPARATORS)), max_size=8))
    return "".join(sentence + join for sentence, join in parts)


# Random Unicode (surrogates included), news-shaped text, and news text with random text in it.
any_text = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=200),
    news_text(),
    st.tuples(st.text(max_size=40), news_text(), st.text(max_size=40)).map("".join),
)
langs = st.sampled_from(["en", "es", "pt", "", "EN-gb", "xx-Latn"])


def squash(text: str) -> str:
    """Whitespace normalised the way every stage of the pipeline normalises it."""
    return " ".join(text.split())


def assert_ordered_pieces(pieces: Sequence[str], text: str) -> None:
    """Each piece occurs in ``text`` (whitespace normalised), after the one before it."""
    haystack, position = squash(text), 0
    for piece in pieces:
        found = haystack.find(piece, position)
        assert found >= 0, f"{piece!r} is not in the input after position {position}"
        position = found + len(piece)


# --- properties ------------------------------------------------------------------------------


@budget(200)
@given(any_text)
def test_cleaning_keeps_only_text_from_the_input(raw: str) -> None:
    TRIED["clean_pasted_text"] += 1
    clean = clean_pasted_text(raw)
    for part in (clean.title, clean.byline, *clean.text.split("\n\n")):
        assert part is None or squash(part) == part
        assert part is None or part in squash(raw)
    assert_ordered_pieces(clean.text.split("\n\n") if clean.text else [], raw)


@budget(200)
@given(any_text, langs)
def test_sentences_are_the_inputs_own_in_order(text: str, lang: str) -> None:
    TRIED["split_sentences"] += 1
    sentences = split_sentences(text, lang)
    for sentence in sentences:
        assert sentence and sentence == squash(sentence)
        assert any(char.isalnum() or char == "_" for char in sentence)
    assert_ordered_pieces(sentences, text)


@pytest.mark.parametrize("method", METHODS)
@budget(30)
@given(text=any_text, count=st.integers(-2, 12), lang=st.sampled_from(["en", "es", "fr"]))
def test_every_method_picks_min_of_asked_and_available(
    method: str, text: str, count: int, lang: str
) -> None:
    TRIED[f"select_sentences[{method}]"] += 1
    sentences = split_sentences(text, lang)
    picked = select_sentences(sentences, count, method=method, lang=lang, title=text[:40])
    assert picked == sorted(set(picked))
    assert all(0 <= index < len(sentences) for index in picked)
    wanted = max(0, min(count, len(sentences)))
    assert len(picked) == wanted


@pytest.mark.parametrize("method", METHODS)
@budget(15)
@given(sentences=st.lists(st.text(max_size=40), max_size=8), count=st.integers(0, 9))
def test_every_method_takes_any_list_of_strings(
    method: str, sentences: list[str], count: int
) -> None:
    TRIED[f"select_sentences[{method}] on raw strings"] += 1
    picked = select_sentences(sentences, count, method=method)
    assert picked == sorted(set(picked))
    assert len(picked) == min(count, len(sentences))


@budget(200)
@given(any_text, st.sampled_from(["en", "es"]), st.one_of(st.none(), st.integers(0, 5)))
def test_figures_quote_their_sentence(text: str, lang: str, limit: int | None) -> None:
    TRIED["extract_figures"] += 1
    sentences = split_sentences(text, lang)
    figures = extract_figures(sentences, lang=lang, limit=limit)
    assert limit is None or len(figures) <= limit
    for figure in figures:
        assert figure.sentence in sentences
        assert figure.surface and figure.surface in figure.sentence
        assert math.isfinite(figure.value)
    scores = [figure.score for figure in figures]
    assert scores == sorted(scores, reverse=True)


@budget(100)
@given(
    text=any_text,
    count=st.integers(1, 10),
    method=st.sampled_from(METHODS),
    lang=st.sampled_from(["en", "es"]),
)
def test_pipeline_output_comes_from_the_input(
    text: str, count: int, method: str, lang: str
) -> None:
    TRIED["summarize_text"] += 1
    result = summarize_text(text, title=None, count=count, method=method, lang=lang)
    sentences = split_sentences(text, lang)
    assert len(result.sentences) == min(count, len(sentences))
    assert_ordered_pieces(result.sentences, text)
    assert all(sentence in sentences for sentence in result.sentences)
    assert len(result.figures) <= 8
    for figure in result.figures:
        assert figure.sentence in sentences and figure.surface in figure.sentence


SERVICE_SETTINGS = EnvFreeSettings(sentences=3, method="newsbrief")


@pytest.fixture(scope="module")
def service() -> Iterator[tuple[asyncio.Runner, Summarizer]]:
    """One event loop and one Summarizer for every example (a loop per example is slow)."""
    with asyncio.Runner() as runner:
        summarizer = Summarizer(SERVICE_SETTINGS)
        yield runner, summarizer
        runner.run(summarizer.aclose())


async def summarize_or_error(
    summarizer: Summarizer, source: str, count: int, method: str
) -> Summary | NewsbriefError:
    try:
        return await summarizer.summarize(source, sentences=count, method=method)
    except NewsbriefError as error:
        return error


@budget(80)
@given(
    text=st.one_of(any_text, st.lists(news_sentence(), min_size=20, max_size=40).map(" ".join)),
    count=st.integers(-1, MAX_SENTENCES + 1),
    method=st.sampled_from([*METHODS, "LexRank", "magic", ""]),
)
def test_the_service_answers_or_raises_a_newsbrief_error(
    service: tuple[asyncio.Runner, Summarizer], text: str, count: int, method: str
) -> None:
    """Only NewsbriefError, whose message is one sentence; a summary quotes the pasted text."""
    TRIED["Summarizer.summarize"] += 1
    runner, summarizer = service
    outcome = runner.run(summarize_or_error(summarizer, text, count, method))
    if isinstance(outcome, NewsbriefError):
        assert outcome.message.endswith((".", "?")) and "\n" not in outcome.message
        return
    sentences = split_sentences(outcome.article.text, outcome.article.lang)
    assert len(outcome.sentences) == min(count, len(sentences))
    assert_ordered_pieces(outcome.sentences, text)
    for figure in outcome.figures:
        assert figure.surface in figure.sentence and figure.sentence in sentences


@st.composite
def html_page(draw: st.DrawFn) -> str:
    paragraphs = draw(st.lists(st.one_of(news_text(), any_text), min_size=1, max_size=6))
    head = draw(st.sampled_from(["", "<meta charset='utf-8'>", "<title>&amp;</title>"]))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


@budget(25)
@given(st.one_of(html_page(), html_page().map(lambda page: page.encode("utf-8", "surrogatepass"))))
def test_any_page_gives_an_article_or_an_extraction_error(page: str | bytes) -> None:
    TRIED["extract_article"] += 1
    try:
        article = extract_article(page, "https://news.example/story")
    except NewsbriefError as error:
        assert error.message == "That page has no article text I can summarize."
        return
    assert len(article.text.split()) >= 10


FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SMALL_FEEDS = [
    (FEEDS / name).read_bytes()
    for name in ("heraldsun.rss", "instant-article.rss", "uolNoticias.rss", "heise.atom")
]


@st.composite
def feed_with(draw: st.DrawFn) -> bytes:
    """An RSS feed whose titles and descriptions are hostile text, escaped or raw."""
    items = draw(st.lists(st.tuples(any_text, any_text, st.booleans()), max_size=4))
    entries = "".join(
        f"<item><title>{escape(t) if esc else t}</title><link>/a/{n}</link>"
        f"<description>{escape(d) if esc else d}</description></item>"
        for n, (t, d, esc) in enumerate(items)
    )
    xml = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
    return (xml + entries + "</channel></rss>").encode("utf-8", "surrogatepass")


feed_bodies = st.one_of(
    st.tuples(st.sampled_from(SMALL_FEEDS), st.floats(0, 1)).map(
        lambda cut: cut[0][: int(len(cut[0]) * cut[1])]  # a real feed cut off anywhere
    ),
    feed_with(),
    st.binary(max_size=300),
    any_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@budget(80)
@given(feed_bodies, st.sampled_from([None, "application/rss+xml; charset=utf-8", "text/html"]))
def test_any_feed_body_gives_items_or_a_feed_error(body: bytes, content_type: str | None) -> None:
    TRIED["parse_feed"] += 1
    headers = {"Content-Type": content_type} if content_type else None
    try:
        parsed = parse_feed(body, "https://news.example/feed.xml", headers)
    except FeedError as error:
        assert error.message.endswith(".") and "\n" not in error.message
        return
    assert parsed.items or parsed.version
    for item in parsed.items:
        assert item.url == "" or item.url.startswith(("http://", "https://"))
        assert "\n" not in item.title and item.title == item.title.strip()


@budget(80)
@given(any_text)
def test_html_to_text_takes_any_markup(markup: str) -> None:
    TRIED["html_to_text"] += 1
    text = html_to_text(markup)
    assert "\n\n\n" not in text and text == text.strip()
