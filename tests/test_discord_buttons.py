"""Summary buttons on Discord (More, Figures, Sources), through the real discord.py client."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fakes.discord_api import EPHEMERAL, FakeDiscord, FakeInteraction
from fakes.discord_components import buttons, press
from fakes.discord_harness import discord_rig
from fakes.discord_payloads import thread_channel
from webserver import WebServer

from adapters.discord import DiscordAdapter
from bot.chat.commands import Commands
from bot.config import Settings
from bot.service import Summarizer
from bot.store.maintenance import prune_file

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = (FIXTURES / "seed" / "bbc-us-mexico-migration.html").read_bytes()
MENTIONS_HTML = (FIXTURES / "slack" / "mentions.html").read_bytes()
ORION_HTML = gzip.decompress(
    (FIXTURES / "summaries" / "elespectador.com-orion.html.gz").read_bytes()
)
TITLE = "US and Mexico look to stem ‘unprecedented’ migrant flow"
UNKNOWN = "I can't find that summary in this channel; summarize the article again."
RAW_PINGS = re.compile(r"@(everyone|here)|<@!?&?\d+>|<#\d+>")

Payload = dict[str, Any]


async def summarize(fake: FakeDiscord, url: str) -> Payload:
    """The public summary message /summarize posted."""
    interaction = await fake.invoke("summarize", {"url-or-text": url})
    await fake.wait_for(lambda: interaction.replies)
    (message,) = interaction.replies
    return message


async def pressed(
    fake: FakeDiscord,
    message: Payload,
    name: str,
    *,
    complete: Callable[[str], bool] | None = None,
    **options: Any,
) -> Payload:
    """Press the button labelled ``name``; its private answer (its messages' text joined)."""
    (custom_id,) = [b["custom_id"] for b in buttons(message) if b["label"] == name]
    return await answer_to(fake, await press(fake, message, custom_id, **options), complete)


async def answer_to(
    fake: FakeDiscord, interaction: FakeInteraction, complete: Callable[[str], bool] | None = None
) -> Payload:
    """The answer once it arrived: one message, or as many as ``complete`` (of the joined
    text) needs for a long list."""

    def joined() -> str:
        return "\n".join(reply.get("content", "") for reply in interaction.replies)

    await fake.wait_for(lambda: interaction.replies and (complete is None or complete(joined())))
    (_, deferral), *_ = interaction.callbacks
    assert deferral["type"] == 5 and deferral["data"]["flags"] & EPHEMERAL  # deferred, private
    replies = interaction.replies
    assert complete is not None or len(replies) == 1
    for reply in replies:
        assert reply["flags"] & EPHEMERAL
        assert reply["allowed_mentions"] == {"parse": []}
    return replies[0] | {"content": joined()}


def every_figure(text: str) -> bool:
    """The figures list is all there: its first line's count of lines follow it."""
    head = re.match(r"\D*(\d+)", text)
    return head is not None and len(text.splitlines()) == int(head[1]) + 1


def shown(reply: Payload) -> str:
    embeds = "".join(e.get("description", "") + str(e.get("fields", "")) for e in reply["embeds"])
    return reply.get("content", "") + embeds


async def test_a_summary_carries_three_buttons_that_answer_privately(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        message = await summarize(rig.fake, web.url("/story"))
        fetches = web.hits["/story"]
        labels = [b["label"] for b in buttons(message)]
        assert labels == ["More", "Figures", "Sources"]
        key = buttons(message)[0]["custom_id"].removeprefix("nb:more:")
        assert [b["custom_id"] for b in buttons(message)] == [
            f"nb:{name}:{key}" for name in ("more", "figures", "sources")
        ]

        more = await pressed(rig.fake, message, "More")
        (embed,) = more["embeds"]
        assert embed["title"] == TITLE
        assert embed["description"].count("\n• ") + embed["description"].startswith("• ") == 5
        assert not more.get("components")  # the longer summary has no buttons of its own

        figures = await pressed(rig.fake, message, "Figures", complete=every_figure)
        lines = figures["content"].splitlines()
        assert re.fullmatch(rf"All \d+ key figures in “{re.escape(TITLE)}”:", lines[0])
        assert any("190,000" in line and "apprehensions" in line for line in lines)
        assert all(line.startswith("• ") for line in lines[1:])

        sources = (await pressed(rig.fake, message, "Sources"))["content"].splitlines()
        assert sources[0].startswith("Where each sentence of the summary of")
        places = [re.match(r"• sentence (\d+) of (\d+): “", line) for line in sources[1:]]
        assert all(places) and len(places) == 4  # the lead line and three bullets
        numbers = [int(m[1]) for m in places if m]
        assert numbers[0] == 1 and numbers == sorted(numbers)
        assert len({m[2] for m in places if m}) == 1
        assert web.hits["/story"] == fetches  # answered from the store, never fetched again


async def test_figures_lists_every_figure_in_the_channels_language(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/orion", ORION_HTML)
    async with discord_rig(settings) as rig:
        setting = await rig.fake.invoke("settings", {"language": "es"}, manager=True)
        await rig.fake.wait_for(lambda: setting.replies)
        message = await summarize(rig.fake, web.url("/orion"))
        assert [b["label"] for b in buttons(message)] == ["Más", "Cifras", "Fuentes"]
        embed_figures = len(message["embeds"][0]["fields"])
        figures = await pressed(rig.fake, message, "Cifras", complete=every_figure)
        figures = figures["content"].splitlines()
        sources = (await pressed(rig.fake, message, "Fuentes"))["content"].splitlines()
    head = re.fullmatch(r"Las (\d+) cifras clave de «(.+)»:", figures[0])
    assert head and head[2].startswith("Operación Orión")
    assert len(figures) - 1 == int(head[1]) > 8 >= embed_figures  # all, not only the first 8
    assert all(line.startswith("• ") and " — “" in line for line in figures[1:])
    assert all(re.match(r"• oración \d+ de \d+: “", line) for line in sources[1:])


async def test_buttons_on_an_auto_summary_in_a_thread(settings: Settings, web: WebServer) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings, message_content=True) as rig:
        turn_on = await rig.fake.invoke("settings", {"autosummarize": True}, manager=True)
        await rig.fake.wait_for(lambda: turn_on.replies)
        posted = await rig.fake.post_message(f"Have you seen {web.url('/story')} ?")
        await rig.fake.wait_for(lambda: rig.fake.bot_messages(posted["id"]))
        (summary,) = rig.fake.bot_messages(posted["id"])  # in the thread on the message
        parent = rig.fake.channels["news"]
        thread = thread_channel(int(posted["id"]), parent, rig.fake.app_id, "thread")
        reply = await pressed(rig.fake, summary, "Sources", thread=thread)
    assert "• sentence 1 of " in reply["content"]  # the thread counts as its channel


async def test_buttons_still_answer_after_a_restart(settings: Settings, web: WebServer) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        message = await summarize(rig.fake, web.url("/story"))
        await rig.adapter.aclose()
        # A new process: a new command layer over the same database, a new client.
        async with Summarizer(rig.settings) as summarizer:
            commands = Commands(summarizer, rig.store)
            adapter = DiscordAdapter(rig.settings, commands, guild_ready_timeout=0.05)
            await adapter.start(timeout=10)
            try:
                reply = await pressed(rig.fake, message, "Sources")
            finally:
                await adapter.aclose()
    assert "• sentence 1 of " in reply["content"]


async def test_a_button_from_elsewhere_or_made_up_gets_one_sentence(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        message = await summarize(rig.fake, web.url("/story"))
        elsewhere = await pressed(rig.fake, message, "Figures", channel="random")
        # A key the store never gave (another deployment's message, or a restored database).
        key = buttons(message)[0]["custom_id"].removeprefix("nb:more:")
        unknown = json.loads(json.dumps(message).replace(key, "AAAAAAAAAAAAAAAA"))
        made_up = await answer_to(
            rig.fake, await press(rig.fake, unknown, "nb:figures:AAAAAAAAAAAAAAAA")
        )
    assert elsewhere["content"] == made_up["content"] == UNKNOWN
    assert not elsewhere["embeds"]


async def test_a_pruned_article_answers_in_one_sentence(settings: Settings, web: WebServer) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        message = await summarize(rig.fake, web.url("/story"))
        prune_file(rig.settings.db_path, 30, now=datetime.now(UTC) + timedelta(days=31))
        reply = await pressed(rig.fake, message, "More")
    assert reply["content"] == (
        "That article is no longer stored, so I can't expand its summary; "
        "send its link again for a new one."
    )


async def test_expanded_answers_cannot_ping_anyone(settings: Settings, web: WebServer) -> None:
    web.respond("/pings", MENTIONS_HTML)
    async with discord_rig(settings) as rig:
        message = await summarize(rig.fake, web.url("/pings"))
        answers = [await pressed(rig.fake, message, name) for name in ("More", "Figures")]
        answers.append(await pressed(rig.fake, message, "Sources"))
    texts = "".join(shown(answer) for answer in answers)
    assert "@\u200beveryone" in texts  # shown, defused
    assert "county spent $2.5 million" in texts
    assert not RAW_PINGS.search(texts), texts
