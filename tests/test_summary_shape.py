"""A summary's shape (issue 14, item 5): a first line saying what the article is, then the
bullets; an article no longer than the summary is not summarized but given whole, said so.
End to end through the console, Slack and Discord fakes, in English and Spanish."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from fakes.discord_harness import discord_rig
from fakes.slack_harness import slack_rig
from webserver import WebServer

from adapters.console import ConsoleAdapter
from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.config import Settings
from bot.service import Summarizer
from bot.store import open_store
from summarizers.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = (FIXTURES / "seed" / "bbc-us-mexico-migration.html").read_bytes()
SPANISH_HTML = gzip.decompress(
    (FIXTURES / "pages/snippets/elnuevoherald.com-miami.html.gz").read_bytes()
)

SHORT = {
    "en": "The city opened a shelter with 400 beds on Monday. More than 1,200 people had slept "
    "at the bus station last week. Volunteers asked for blankets and cots for the families.",
    "es": "La ciudad abrió el lunes un albergue con 400 camas. Más de 1.200 personas durmieron "
    "la semana pasada en la terminal de autobuses. Los voluntarios pidieron mantas y catres.",
}


async def say(chat: ConsoleAdapter, line: str) -> str:
    out = io.StringIO()
    chat._out = out
    for reply in await chat.handle_line(line):
        chat._show(reply)
    return out.getvalue()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "This article is shorter than a summary, so here is its full text."),
        ("es", "Este artículo es más corto que un resumen, así que aquí está completo."),
    ],
)
async def test_an_article_shorter_than_the_summary_is_given_whole(
    settings: Settings, tmp_path: Path, language: str, said: str
) -> None:
    async with await open_store(tmp_path / "nb.db") as store, Summarizer(settings) as summarizer:
        chat = ConsoleAdapter(Commands(summarizer, store), stdin=io.StringIO())
        await say(chat, f"/settings language {language}")
        shown = await say(chat, f"/summarize 5 {SHORT[language]}")

    flat = " ".join(shown.split())
    assert said in flat
    for sentence in split_sentences(SHORT[language], language):
        assert sentence in flat  # every sentence of the article, none left out


async def test_slack_summary_opens_with_the_lead_then_other_sentences(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with slack_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        await rig.slash_command(f"summarize {web.url('/story')}", key="s")
        answer = await rig.fake.wait_for_response("s")

    blocks = answer.body["blocks"]
    assert blocks[0]["type"] == "header"
    lead = blocks[1]["text"]["text"]
    assert lead.startswith("*") and lead.endswith("*") and not lead.startswith("*⚠️")
    texts = "\n".join(block.get("text", {}).get("text", "") for block in blocks[2:])
    sentences = texts.split("*Key figures*")[0].splitlines()
    bullets = [line for line in sentences if line.startswith("• ")]
    assert len(bullets) == 3  # the channel's 3 sentences, the lead not among them
    assert all(lead.strip("*") not in bullet for bullet in bullets)


async def test_discord_summary_opens_with_the_lead_in_spanish(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/nota", SPANISH_HTML)
    async with discord_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        interaction = await rig.fake.invoke("summarize", {"url-or-text": web.url("/nota")})
        await rig.fake.wait_for(lambda: interaction.replies)
        payloads = rig.fake.bot_payloads()

    (embed,) = [e for p in payloads for e in p.get("data", p).get("embeds", [])]
    first, _, rest = embed["description"].partition("\n\n")
    assert first.startswith("**") and first.endswith("**")
    assert rest.startswith("• ") and first.strip("*") not in rest
    assert json.dumps(embed, ensure_ascii=False).count(first.strip("*")[:40]) == 1
