"""Abuse limits: per-user and per-channel summary rates, and the cap on concurrent fetches."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web as aioweb
from fakes.slack_harness import slack_rig
from pydantic import ValidationError
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import Rate, RateLimitedError, SlidingWindowLimiter, SummarizeLimits
from bot.chat.requests import Caller, Request
from bot.config import Settings
from bot.service import Summarizer
from bot.store import Store, open_store

ROOT = Path(__file__).parent.parent
ARTICLE_TEXT = (
    "Officials reported fewer border crossings in April than in March, a drop of about twelve "
    "percent. The figures were published on Tuesday by the agency's press office. Analysts said "
    "the fall followed new rules on asylum claims at the ports of entry. Local shelters said they "
    "still housed more than 900 people waiting for appointments."
)
ARTICLE_HTML = f"<html><body><article><h1>Crossings fall</h1><p>{ARTICLE_TEXT}</p></article>"
EDITOR = Caller("slack", "C1", "U1")


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "nb.db") as opened:
        yield opened


@pytest.fixture
async def summarizer(settings: Settings) -> AsyncIterator[Summarizer]:
    async with Summarizer(settings) as opened:
        yield opened


# --- rates and settings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/60s", Rate(5, 60.0)),
        (" 20 / 1m ", Rate(20, 60.0)),
        ("100/h", Rate(100, 3600.0)),
        ("3/2.5", Rate(3, 2.5)),
        ("OFF", None),
    ],
)
def test_rates_are_read_from_setting_strings(text: str, expected: Rate | None) -> None:
    assert Rate.parse(text) == expected


@pytest.mark.parametrize("text", ["", "5", "5/", "0/60s", "5/0s", "five/60s", "5/60d", "-1/60s"])
def test_malformed_rates_are_refused_when_settings_load(text: str) -> None:
    with pytest.raises(ValueError):
        Rate.parse(text)
    with pytest.raises(ValidationError, match="NEWSBRIEF_USER_RATE"):
        Settings(_env_file=None, NEWSBRIEF_USER_RATE=text)  # type: ignore[call-arg]


def test_rates_are_settings_documented_in_the_readme() -> None:
    settings = Settings(_env_file=None, NEWSBRIEF_CHANNEL_RATE="off")  # type: ignore[call-arg]
    assert (settings.user_rate, settings.channel_rate) == ("5/60s", "off")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`NEWSBRIEF_USER_RATE`" in readme and "`NEWSBRIEF_CHANNEL_RATE`" in readme


# --- the sliding window ------------------------------------------------------------------


def test_window_allows_count_then_says_when_the_oldest_expires() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(Rate(3, 60), clock=clock)
    for offset in (0, 10, 20):
        clock.now = 1000 + offset
        assert limiter.retry_after("u") == 0
        limiter.record("u")
    clock.now = 1025
    assert limiter.retry_after("u") == pytest.approx(35)
    clock.now = 1060  # the first request (at 1000) leaves the window
    assert limiter.retry_after("u") == 0
    assert limiter.retry_after("other") == 0


def test_idle_keys_are_evicted_so_memory_stays_bounded() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(Rate(5, 60), clock=clock, max_keys=1000)
    for n in range(20_000):  # 20,000 different people, 10 per second
        clock.now = 1000 + n / 10
        limiter.record(("slack", f"U{n}"))
    assert len(limiter) <= 601  # one window's worth of people, not 20,000
    for n in range(5_000):  # a burst faster than the window: the hard cap holds
        limiter.record(("discord", str(n)))
    assert len(limiter) == 1000
    clock.now += 61
    limiter.record("late")
    assert len(limiter) == 1


def test_a_refused_request_does_not_count() -> None:
    clock = FakeClock()
    limits = SummarizeLimits(Rate(2, 60), None, clock=clock)
    limits.check(EDITOR)
    limits.check(EDITOR)
    for _ in range(50):  # hammering while refused must not push the window further out
        with pytest.raises(RateLimitedError):
            limits.check(EDITOR)
    clock.now += 60
    limits.check(EDITOR)


def test_users_channels_and_platforms_are_counted_apart() -> None:
    clock = FakeClock()
    limits = SummarizeLimits(Rate(2, 60), Rate(3, 60), clock=clock)
    limits.check(Caller("slack", "C1", "U1"))
    limits.check(Caller("slack", "C1", "U1"))
    with pytest.raises(RateLimitedError, match="You're summarizing a lot"):
        limits.check(Caller("slack", "C2", "U1"))  # the same person in another channel
    limits.check(Caller("discord", "C1", "U1"))  # same ids on another platform: someone else
    limits.check(Caller("slack", "C1", "U2"))  # third in C1
    with pytest.raises(RateLimitedError, match="This channel is asking for a lot"):
        limits.check(Caller("slack", "C1", "U3"))  # a fresh person, but C1 is full
    limits.check(Caller("slack", "C2", "U3"))


# --- through the command layer -----------------------------------------------------------


async def test_the_sixth_summary_in_a_minute_gets_a_friendly_refusal(
    summarizer: Summarizer, store: Store
) -> None:
    clock = FakeClock()
    limits = SummarizeLimits.from_rates("5/60s", "off", clock=clock)
    commands = Commands(summarizer, store, limits=limits)
    for second in (0, 5, 10, 15, 20):
        clock.now = 1000 + second
        reply = await commands.handle(Request(EDITOR, f"summarize {ARTICLE_TEXT}"))
        assert reply.summary is not None, reply.text
    reply = await commands.handle(Request(EDITOR, f"summarize {ARTICLE_TEXT}"))
    assert reply.error and reply.ephemeral
    assert reply.text == "You're summarizing a lot right now; try again in 40 seconds."
    clock.now = 1059.5
    reply = await commands.handle(Request(EDITOR, f"summarize {ARTICLE_TEXT}"))
    assert reply.text == "You're summarizing a lot right now; try again in 1 second."
    clock.now = 1060
    assert (await commands.handle(Request(EDITOR, f"summarize {ARTICLE_TEXT}"))).summary


async def test_a_refused_link_is_never_fetched_and_bystanders_hear_nothing(
    summarizer: Summarizer, store: Store, web: WebServer
) -> None:
    web.respond("/story", ARTICLE_HTML)
    commands = Commands(summarizer, store, limits=SummarizeLimits(Rate(1, 60), None))
    await commands.settings(Caller("slack", "C1", "U9", can_manage=True), {"autosummarize": "on"})
    link = web.url("/story")
    assert (await commands.on_message(EDITOR, f"look {link}"))[0].summary is not None
    assert await commands.on_message(EDITOR, f"again {link}?") == []  # auto: stays quiet
    (addressed,) = await commands.on_message(EDITOR, f"@bot {link}", addressed=True)
    assert addressed.error and addressed.text.startswith("You're summarizing a lot right now")
    menu = await commands.handle(Request(EDITOR, f"summarize {link}"))  # context menus
    assert menu.error and "try again in" in menu.text
    assert web.hits["/story"] == 1


async def test_settings_limits_apply_by_default(settings: Settings, store: Store) -> None:
    tight = settings.model_copy(update={"user_rate": "1/60s", "channel_rate": "2/60s"})
    async with Summarizer(tight) as summarizer:
        commands = Commands(summarizer, store)
        first = await commands.handle(Request(EDITOR, f"summarize {ARTICLE_TEXT}"))
        second = await commands.handle(Request(EDITOR, f"summarize {ARTICLE_TEXT}"))
        other = await commands.handle(Request(Caller("slack", "C1", "U2"), "summarize x y"))
        third = await commands.handle(Request(Caller("slack", "C1", "U3"), "summarize x y"))
    assert first.summary is not None
    assert re.fullmatch(
        r"You're summarizing a lot right now; try again in \d+ seconds\.", second.text
    )
    assert "too short" in other.text  # counted, then refused for its own reason
    assert third.text.startswith("This channel is asking for a lot of summaries right now")


async def test_a_slack_user_over_the_limit_is_told_privately(settings: Settings) -> None:
    limits = SummarizeLimits(Rate(1, 60), None)
    async with slack_rig(settings, commands_options={"limits": limits}) as rig:
        await rig.slash_command(f"summarize {ARTICLE_TEXT}", key="one")
        await rig.slash_command(f"summarize {ARTICLE_TEXT}", key="two")
        first = await rig.fake.wait_for_response("one")
        second = await rig.fake.wait_for_response("two")
    assert first.body["response_type"] == "in_channel"
    assert second.body["response_type"] == "ephemeral"
    assert second.body["text"].startswith("You're summarizing a lot right now; try again in")


# --- the global cap on concurrent fetches ------------------------------------------------


async def test_twenty_concurrent_summaries_never_exceed_the_fetch_cap(
    settings: Settings, store: Store, web: WebServer
) -> None:
    in_flight = peak = 0

    async def slow_article(request: aioweb.Request) -> aioweb.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        return aioweb.Response(text=ARTICLE_HTML, content_type="text/html")

    web.route("/slow", slow_article)
    capped = settings.model_copy(update={"max_concurrent_fetches": 3})
    async with Summarizer(capped) as summarizer:
        commands = Commands(summarizer, store, limits=SummarizeLimits())
        requests = [
            Request(Caller("discord", f"C{n % 4}", f"U{n}"), f"summarize {web.url('/slow')}?n={n}")
            for n in range(20)
        ]
        replies = await asyncio.gather(*map(commands.handle, requests))
    assert [reply.error for reply in replies] == [False] * 20, [r.text for r in replies]
    assert web.hits["/slow"] == 20
    assert peak == 3  # the cap was reached, and never passed
