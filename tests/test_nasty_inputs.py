"""The nasty-input corpus (tests/fixtures/nasty/) through the real entry points.

Pasted text and fetched text go through ``Summarizer``; pages through extraction; feeds through
``FeedPoller`` against the local web server; a 50-link chat message through ``Commands``; JSON
lines through batch mode. Every case ends in a stated outcome: a summary with the expected
sentences and figures, or one sentence saying what was wrong.
"""

from __future__ import annotations

import gzip
import importlib.util
import time
import unicodedata
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from webserver import WebServer

from adapters.console_render import render_summary
from bot.chat.commands import MAX_LINKS_PER_MESSAGE, Commands, find_links
from bot.chat.requests import Caller, Request
from bot.config import Settings
from bot.errors import ExtractionError, InputError, NewsbriefError
from bot.models import Summary
from bot.service import Summarizer
from bot.store import ChannelSettings, Store, open_store
from bot.web.extract import NO_ARTICLE_TEXT
from bot.web.fetch import Fetcher
from summarizers.sentences import split_sentences

CORPUS = Path(__file__).parent / "fixtures" / "nasty"
# Corpus files, JSON lines and feed bodies this module and test_feed_faults.py try (checked by
# test_bad_inputs_tried); test_properties.py reports its generated examples separately.
BAD_INPUTS_TRIED = 59
TOO_SHORT = "That is too short to summarize; paste the whole article or send its link."


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = load_generator()


def corpus_bytes(name: str) -> bytes:
    data = (CORPUS / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def corpus_text(name: str) -> str:
    """The file as a paste or a fetch declared UTF-8 would give it."""
    return corpus_bytes(name).decode("utf-8", errors="replace")


def squash(text: str) -> str:
    return " ".join(text.split())


def assert_quotes_its_input(summary: Summary, source: str) -> None:
    """Sentences are the input's own, in order; figures quote one of the article's sentences."""
    haystack, position = squash(source), 0
    for sentence in summary.sentences:
        found = haystack.find(sentence, position)
        assert found >= 0, f"{sentence[:80]!r} is not in the input"
        position = found + len(sentence)
    article_sentences = split_sentences(summary.article.text, summary.article.lang)
    for figure in summary.figures:
        assert figure.surface in figure.sentence and figure.sentence in article_sentences


@dataclass(frozen=True)
class Outcome:
    """A summary of ``sentences`` sentences holding ``figures``, or ``error`` saying ``message``."""

    sentences: int = 3
    figures: frozenset[float] = frozenset()
    error: type[NewsbriefError] | None = None
    message: str | None = None


ARTICLE_FIGURES = frozenset({190_000, 2_500, 12_000_000})
TEXT_CASES = {
    "empty.txt": Outcome(
        error=InputError, message="Give me an article link or paste the article's text."
    ),
    "blank.txt": Outcome(error=ExtractionError, message=TOO_SHORT),
    "too-short.txt": Outcome(error=ExtractionError, message=TOO_SHORT),
    "one-sentence.txt": Outcome(sentences=1, figures=frozenset({190_000})),
    "long-sentence.txt": Outcome(sentences=1),
    "many-sentences.txt.gz": Outcome(),
    "rtl-arabic.txt": Outcome(figures=frozenset({2_500})),
    "rtl-hebrew.txt": Outcome(figures=frozenset({190_000, 2_500})),
    "emoji.txt": Outcome(figures=ARTICLE_FIGURES),
    "control-chars.txt": Outcome(figures=ARTICLE_FIGURES),
    "zero-width.txt": Outcome(figures=ARTICLE_FIGURES | {1_000}),  # read through Cf characters
    "html-entities.txt": Outcome(figures=ARTICLE_FIGURES),
    "mixed-encodings.txt": Outcome(figures=ARTICLE_FIGURES),
    "crlf-wrapped.txt": Outcome(figures=ARTICLE_FIGURES),
}


def check(outcome: Outcome, result: Summary | NewsbriefError, source: str) -> None:
    if outcome.error is not None:
        assert isinstance(result, outcome.error), result
        assert result.message == outcome.message
        return
    assert isinstance(result, Summary), f"expected a summary, got {result!r}"
    assert len(result.sentences) == outcome.sentences
    assert_quotes_its_input(result, source)
    assert outcome.figures <= {figure.value for figure in result.figures}
    assert 0 < len(result.figures) <= 8


async def outcome_of(work: Awaitable[Summary]) -> Summary | NewsbriefError:
    try:
        return await work
    except NewsbriefError as error:
        return error


def test_the_corpus_is_what_its_generator_writes() -> None:
    built = GENERATOR.build()
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "make_corpus.py"}
    assert on_disk == set(built), "run tests/fixtures/nasty/make_corpus.py"
    for name, data in built.items():
        if name.endswith(".gz"):
            assert corpus_bytes(name) == gzip.decompress(data), name
        else:
            assert (CORPUS / name).read_bytes() == data, name
    assert len(GENERATOR.long_sentence()) == 20_000
    assert len(split_sentences(GENERATOR.many_sentences())) == 5_000


@pytest.mark.parametrize("name", TEXT_CASES)
async def test_pasted_text(name: str, settings: Settings) -> None:
    text = corpus_text(name)
    started = time.perf_counter()
    async with Summarizer(settings) as summarizer:
        result = await outcome_of(summarizer.summarize(text))
    assert time.perf_counter() - started < 10
    check(TEXT_CASES[name], result, text)


def test_one_sentence_and_the_20000_character_sentence_are_their_own_summary() -> None:
    for name in ("one-sentence.txt", "long-sentence.txt"):
        assert split_sentences(corpus_text(name)) == [corpus_text(name).strip()]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("mixed-encodings.txt", "text/plain; charset=utf-8"),
        ("control-chars.txt", "text/plain"),
        ("rtl-arabic.txt", "text/plain; charset=utf-8"),
        ("long-sentence.txt", "text/plain; charset=us-ascii"),
        ("empty.txt", "text/plain"),
    ],
)
async def test_fetched_text(
    name: str, content_type: str, web: WebServer, settings: Settings, fetcher: Fetcher
) -> None:
    web.respond("/story.txt", corpus_bytes(name), content_type=content_type)
    result = await outcome_of(Summarizer(settings, fetcher).summarize(web.url("/story.txt")))
    expected = TEXT_CASES[name]
    if name == "empty.txt":  # a link to an empty page: nothing was pasted
        expected = Outcome(error=ExtractionError, message=NO_ARTICLE_TEXT)
    check(expected, result, corpus_text(name))


async def test_fetched_utf16_text_is_read_by_its_bom(
    web: WebServer, settings: Settings, fetcher: Fetcher
) -> None:
    web.respond("/utf16.txt", corpus_bytes("utf16-bom.txt"), content_type="text/plain")
    result = await outcome_of(Summarizer(settings, fetcher).summarize(web.url("/utf16.txt")))
    assert isinstance(result, Summary), result
    assert result.article.title == GENERATOR.TITLE
    check(Outcome(figures=ARTICLE_FIGURES), result, GENERATOR.text_article())


def page_without_ffff_reference() -> bytes:
    return corpus_bytes("html-entities.html").replace(b" &#xFFFE;", b"")


async def test_page_full_of_character_references(settings: Settings) -> None:
    """Emoji as surrogate pairs, NUL and out-of-range references, unknown entities."""
    async with Summarizer(settings) as summarizer:
        result = await summarizer.summarize_html(
            page_without_ffff_reference(), "https://f.example/a"
        )
    assert result.article.title == "Border crossings hit a record"
    assert result.article.source == "Frontera & Co."
    assert len(result.sentences) == 3 and result.sentences[0] == GENERATOR.ARTICLE[0]
    assert {figure.value for figure in result.figures} >= ARTICLE_FIGURES


async def test_a_noncharacter_reference_does_not_hide_the_article(settings: Settings) -> None:
    page = corpus_bytes("html-entities.html")
    assert page.count(b"&#xFFFE;") == 1 and page_without_ffff_reference() != page
    async with Summarizer(settings) as summarizer:
        result = await outcome_of(summarizer.summarize_html(page, "https://f.example/a"))
    assert isinstance(result, Summary), result
    assert result.sentences[0] == GENERATOR.ARTICLE[0]


async def test_terminal_output_carries_no_control_characters(settings: Settings) -> None:
    async with Summarizer(settings) as summarizer:
        summary = await summarizer.summarize(corpus_text("control-chars.txt"))
    shown = render_summary(summary, "text")
    assert not [char for char in shown if unicodedata.category(char) == "Cc" and char != "\n"]


# --- a chat message with 50 links ---------------------------------------------------------


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "nb.db") as opened:
        yield opened


def serve_news(web: WebServer, status: int = 200) -> str:
    """Every /news/N page (N < 50) answers with the article; the 50-link message for it."""
    for n in range(50):
        web.respond(
            f"/news/{n}", page_without_ffff_reference(), status=status, content_type="text/html"
        )
    return corpus_text("chat-50-links.txt").replace("{base}", web.url("").rstrip("/"))


def news_hits(web: WebServer) -> list[str]:
    return [r.path for r in web.requests if r.path.startswith("/news/")]


@pytest.mark.parametrize("addressed", [False, True])
async def test_fifty_links_start_at_most_three_fetches(
    addressed: bool, web: WebServer, settings: Settings, store: Store
) -> None:
    message = serve_news(web)
    caller = Caller("slack", "C1", "U1", can_manage=True)
    await store.save_channel_settings(ChannelSettings("slack", "C1", auto_summarize=True))
    assert len(find_links(message)) == 50
    async with Summarizer(settings) as summarizer:
        replies = await Commands(summarizer, store).on_message(caller, message, addressed=addressed)
    assert MAX_LINKS_PER_MESSAGE == 3
    assert news_hits(web) == ["/news/0", "/news/1", "/news/2"]
    assert [reply.error for reply in replies] == [False] * 3
    assert all(reply.summary is not None and reply.summary.figures for reply in replies)


async def test_fifty_dead_links_get_three_one_sentence_errors_when_addressed(
    web: WebServer, settings: Settings, store: Store
) -> None:
    message = serve_news(web, status=404)
    caller = Caller("discord", "D1", "U1")
    async with Summarizer(settings) as summarizer:
        commands = Commands(summarizer, store)
        assert await commands.on_message(caller, message) == []  # auto-summarize is off
        replies = await commands.on_message(caller, message, addressed=True)
    assert len(news_hits(web)) == 3
    assert [reply.text for reply in replies] == ["The page was not found (HTTP 404)."] * 3


async def test_summarize_command_with_fifty_links_fetches_nothing(
    web: WebServer, settings: Settings, store: Store
) -> None:
    """More than a link and a word is pasted text: summarized as it stands, no link fetched."""
    message = serve_news(web)
    async with Summarizer(settings) as summarizer:
        reply = await Commands(summarizer, store).handle(
            Request(Caller("console", "console", "me"), f"summarize {message}")
        )
    assert news_hits(web) == []
    assert reply.summary is not None or (reply.error and reply.text.endswith("."))
