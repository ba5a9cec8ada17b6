"""Summary buttons on Slack (More, Figures, Sources), through the real slack-bolt app."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from fakes.slack_actions import block_actions_payload, buttons
from fakes.slack_harness import FORM, SlackRig, slack_rig
from fakes.slack_payloads import message_event
from webserver import WebServer

from bot.config import Settings

SEED = "/seed/bbc-us-mexico-migration.html"
TITLE = "US and Mexico look to stem ‘unprecedented’ migrant flow"
MENTIONS_PAGE = "/slack/mentions.html"
UNKNOWN = "I can't find that summary in this channel; summarize the article again."
PINGS = re.compile(
    r"<(!(channel|here|everyone|subteam)|@|#)|(?<![\w.+-])@(here|channel|everyone)\b"
)

Json = dict[str, Any]


@pytest.fixture
async def rig(settings: Settings) -> AsyncIterator[SlackRig]:
    async with slack_rig(settings) as started:
        yield started


async def summary(rig: SlackRig, url: str, key: str = "sum") -> Json:
    """The summary /newsbrief summarize posted in the channel (through its response_url)."""
    await rig.slash_command(f"summarize {url}", key=key)
    return (await rig.fake.wait_for_response(key)).body


async def press(rig: SlackRig, message: Json, label: str, key: str, **where: Any) -> list[Json]:
    """Press the button labelled ``label``; the bodies of its answer (acked at once, empty)."""
    (button,) = [b for b in buttons(message) if b["text"]["text"] == label]
    payload = block_actions_payload(message, button, rig.fake.response_url(key), **where)
    status, body = await rig.deliver(urlencode({"payload": json.dumps(payload)}), content_type=FORM)
    assert (status, body) == (200, "")
    await rig.fake.wait_for_response(key)
    await rig.adapter.drain(5)
    answers = [post.body for post in rig.fake.responses_to(key)]
    for answer in answers:
        assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
        assert answer["unfurl_links"] is False and answer["unfurl_media"] is False
    return answers


def shown(bodies: list[Json]) -> str:
    return "\n".join(
        block["text"]["text"]
        for body in bodies
        for block in body.get("blocks", [])
        if isinstance(block.get("text"), dict)
    )


async def test_a_summary_carries_three_buttons_answered_only_to_the_presser(
    rig: SlackRig, web: WebServer
) -> None:
    message = await summary(rig, web.url(SEED))
    fetches = web.hits[SEED]
    assert message["response_type"] == "in_channel"
    actions = message["blocks"][-1]
    assert actions["type"] == "actions"
    assert [b["text"]["text"] for b in buttons(message)] == ["More", "Figures", "Sources"]
    assert [b["action_id"] for b in buttons(message)] == [
        "newsbrief_more",
        "newsbrief_figures",
        "newsbrief_sources",
    ]
    (key,) = {b["value"] for b in buttons(message)}
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", key)  # a key to look up, nothing else

    (more,) = await press(rig, message, "More", "more")
    assert more["blocks"][0]["text"]["text"] == TITLE
    bullets = [line for line in shown([more]).splitlines() if line.startswith("• ")]
    assert len([line for line in bullets if "*" not in line]) == 5  # figures show *numbers*
    assert not buttons(more)

    (figures,) = await press(rig, message, "Figures", "figures")
    lines = shown([figures]).splitlines()
    head = re.fullmatch(rf"All (\d+) key figures in “{re.escape(TITLE)}”:", lines[0])
    assert head and len(lines) == int(head[1]) + 1
    assert any("190,000" in line and "apprehensions" in line for line in lines)

    (sources,) = await press(rig, message, "Sources", "sources")
    places = re.findall(r"^• sentence (\d+) of (\d+): “", shown([sources]), re.MULTILINE)
    assert len(places) == 4 and places[0][0] == "1"  # the lead line, then the three bullets
    assert web.hits[SEED] == fetches  # from the stored text: the page is not fetched again


async def test_buttons_on_an_auto_summary_in_a_thread(rig: SlackRig, web: WebServer) -> None:
    await rig.slash_command("settings autosummarize on", key="on")
    await rig.fake.wait_for_response("on")
    await rig.event(message_event(f"<{web.url(SEED)}>", ts="1700000100.000200"), event_id="Ev1")
    (posted,) = await rig.fake.wait_for_posts(1, "C0NEWS")
    assert posted["thread_ts"] == "1700000100.000200"
    answers = await press(rig, posted, "Sources", "thread")
    assert "• sentence 1 of " in shown(answers)


async def test_a_button_pressed_elsewhere_or_forged_gets_one_sentence(
    rig: SlackRig, web: WebServer
) -> None:
    message = await summary(rig, web.url(SEED))
    other_channel = await press(rig, message, "Figures", "c", channel="C0OTHER")
    other_team = await press(rig, message, "Figures", "t", team="T0ELSEWHERE")
    forged = json.loads(json.dumps(message).replace(buttons(message)[0]["value"], "x" * 16))
    unknown = await press(rig, forged, "Figures", "u")
    for answer in (other_channel, other_team, unknown):
        assert [body["text"] for body in answer] == [UNKNOWN]


async def test_socket_mode_answers_a_button(settings: Settings, web: WebServer) -> None:
    async with slack_rig(settings, socket_mode=True) as rig:
        await rig.fake.send_envelope(
            "slash_commands",
            {
                "team_id": "T0NEWSROOM",
                "channel_id": "C0NEWS",
                "user_id": "U1",
                "command": "/newsbrief",
                "text": f"summarize {web.url(SEED)}",
                "response_url": rig.fake.response_url("s"),
            },
        )
        message = (await rig.fake.wait_for_response("s")).body
        (button,) = [b for b in buttons(message) if b["action_id"] == "newsbrief_figures"]
        payload = block_actions_payload(message, button, rig.fake.response_url("b"))
        ack = await rig.fake.send_envelope("interactive", payload)
        answer = (await rig.fake.wait_for_response("b")).body
    assert set(ack) == {"envelope_id"}  # acknowledged, empty, before the answer
    assert answer["response_type"] == "ephemeral"
    assert re.match(r"All \d+ key figures in “US and Mexico", answer["text"])


async def test_expanded_answers_cannot_ping_the_channel(rig: SlackRig, web: WebServer) -> None:
    message = await summary(rig, web.url(MENTIONS_PAGE))
    answers = []
    for label in ("More", "Figures", "Sources"):
        answers += await press(rig, message, label, label)
    rendered = shown(answers) + "".join(body["text"] for body in answers)
    assert "&lt;!channel&gt;" in rendered and "＠everyone" in rendered
    assert not PINGS.search(rendered), rendered


async def test_typed_figures_expands_the_latest_summary(rig: SlackRig, web: WebServer) -> None:
    await summary(rig, web.url(SEED))
    await rig.slash_command("figures", key="typed")
    answer = (await rig.fake.wait_for_response("typed")).body
    assert answer["response_type"] == "ephemeral"
    lines = shown([answer]).splitlines()
    head = re.fullmatch(rf"All (\d+) key figures in “{re.escape(TITLE)}”:", lines[0])
    assert head and len(lines) == int(head[1]) + 1
