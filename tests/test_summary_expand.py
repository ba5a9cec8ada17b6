"""The summary buttons' core (bot.chat.replies.expand) through the command layer and a store."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.replies.expand import MAX_FIGURE_LINES, PRESSES, positions
from bot.chat.requests import Caller, Request
from bot.config import Settings
from bot.service import Summarizer
from bot.store import open_store

SEED = (Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.txt").read_text()
HERE = Caller("slack", "C1", "U1", tenant="T1")
UNKNOWN = "I can't find that summary in this channel; summarize the article again."


@pytest.fixture
async def commands(settings: Settings) -> AsyncIterator[Commands]:
    async with await open_store(settings.db_path) as store, Summarizer(settings) as summarizer:
        yield Commands(summarizer, store)


async def test_a_full_summary_gets_a_key_and_its_answers(commands: Commands) -> None:
    reply = await commands.summarize(HERE, SEED)
    assert reply.summary is not None and reply.controls
    more = await commands.expand(HERE, reply.controls, "more")
    assert more.ephemeral and more.summary is not None
    assert len(more.summary.sentences) == 5
    assert more.summary.lead == reply.summary.lead  # the same one-line lead above the bullets
    sources = await commands.expand(HERE, reply.controls, "sources")
    lines = sources.text.splitlines()
    assert sources.ephemeral and len(lines) == 1 + 1 + len(reply.summary.sentences)
    for line, sentence in zip(lines[2:], reply.summary.sentences, strict=True):
        assert line.endswith(f"“{sentence}”")


async def test_nothing_to_expand_gets_no_buttons(commands: Commands) -> None:
    short = " ".join(
        f"Sentence number {n} of this short piece has some words in it." for n in "123"
    )
    reply = await commands.summarize(HERE, short)
    assert reply.summary is not None and reply.summary.partial == "short"
    assert reply.controls is None


async def test_keys_only_answer_where_they_were_posted(commands: Commands) -> None:
    key = (await commands.summarize(HERE, SEED)).controls
    assert key
    for caller in (
        Caller("slack", "C2", "U1", tenant="T1"),  # another channel
        Caller("slack", "C1", "U1", tenant="T2"),  # the same channel id in another workspace
        Caller("discord", "C1", "U1", tenant="T1"),  # another platform
    ):
        reply = await commands.expand(caller, key, "figures")
        assert (reply.text, reply.error, reply.ephemeral) == (UNKNOWN, True, True)
    for bad_key in ("", "../../etc/passwd", "x" * 65, key + "!"):
        assert (await commands.expand(HERE, bad_key, "more")).text == UNKNOWN
    assert (await commands.expand(HERE, key, "delete")).text == UNKNOWN
    # A thread's button counts as its parent channel's, and only that one.
    in_thread = Caller("slack", "T-thread", "U1", tenant="T1")
    assert not (await commands.expand(in_thread, key, "sources", parent="C1")).error
    assert (await commands.expand(in_thread, key, "sources", parent="C9")).text == UNKNOWN


async def test_a_long_list_of_figures_is_cut_and_says_so(commands: Commands) -> None:
    rows = [
        f"In district {n}, officials counted {1000 + 37 * n:,} migrants arriving in March."
        for n in range(1, MAX_FIGURE_LINES + 15)
    ]
    reply = await commands.summarize(HERE, " ".join(rows))
    assert reply.controls
    figures = (await commands.expand(HERE, reply.controls, "figures")).text.splitlines()
    assert figures[0].startswith(f"The first {MAX_FIGURE_LINES} of ")
    assert len(figures) == MAX_FIGURE_LINES + 1


async def test_a_single_figure_is_named_in_the_singular(commands: Commands) -> None:
    story = (
        "Officials counted 1,200 migrants arriving at the port on Tuesday. The mayor said "
        "the town would ask the government for help. Volunteers handed out blankets and food "
        "near the harbour. A shelter opened in the old school."
    )
    reply = await commands.summarize(HERE, story)
    assert reply.controls
    head = (await commands.expand(HERE, reply.controls, "figures")).text.splitlines()[0]
    assert head.startswith("The one key figure in"), head


def test_positions_follow_document_order_and_repeats() -> None:
    sentences = ["A b c.", "D e f.", "A b c.", "G h i."]
    assert positions(sentences, ("A b c.", "A b c.", "G h i.")) == [0, 2, 3]
    assert positions(sentences, ("G h i.", "D e f.")) == [3, 1]  # out of order: found anyway
    assert positions(sentences, ("Not there.",)) == [None]


async def test_typed_more_figures_sources_expand_the_channels_latest_summary(
    commands: Commands,
) -> None:
    none_yet = await commands.handle(Request(HERE, "sources"))
    assert none_yet.error and none_yet.text.startswith("There is no summary in this channel")
    await commands.summarize(HERE, SEED)
    latest = await commands.summarize(HERE, SEED + "\n\nOne more closing sentence for a change.")
    assert latest.controls
    sources = await commands.handle(Request(HERE, "sources"))
    by_key = await commands.handle(Request(HERE, f"sources {latest.controls}"))
    assert sources.text == by_key.text and not sources.error
    more = await commands.handle(Request(HERE, "more"))
    assert more.summary is not None and len(more.summary.sentences) == 5
    elsewhere = await commands.handle(Request(Caller("slack", "C2", "U1", tenant="T1"), "figures"))
    assert elsewhere.text.startswith("There is no summary in this channel")


async def test_one_person_pressing_many_buttons_is_slowed_down(commands: Commands) -> None:
    commands.limits = SummarizeLimits.from_rates("off", "off")  # many summaries to press on
    keys = []
    for n in range(PRESSES.count + 1):
        reply = await commands.summarize(HERE, f"{SEED}\n\nA closing line, number {n}, here.")
        assert reply.controls
        keys.append(reply.controls)
    answers = [await commands.expand(HERE, key, "figures") for key in keys]
    assert not any(answer.error for answer in answers[:-1])
    assert answers[-1].error and answers[-1].text.startswith("You pressed many summary buttons")
    again = await commands.expand(HERE, keys[0], "figures")  # already computed: no cost
    assert not again.error
    other = Caller("slack", "C1", "U2", tenant="T1")  # someone else is not slowed down
    assert not (await commands.expand(other, keys[-1], "figures")).error


async def test_a_store_that_cannot_keep_the_buttons_still_gives_the_summary(
    settings: Settings,
) -> None:
    path = settings.db_path
    async with (
        await open_store(path, busy_timeout_ms=50) as store,
        Summarizer(settings) as summarizer,
    ):
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            reply = await Commands(summarizer, store).summarize(HERE, SEED)
        finally:
            writer.execute("ROLLBACK")
            writer.close()
    assert reply.summary is not None and not reply.error
    assert reply.controls is None  # no buttons rather than no summary
