"""What a digest shows editors: headlines for the stories left out, a link for every outlet,
conflicts only for the same counted noun and period, one figure given in two languages once, and
numbers written the way the channel's language reads them. Built from real summaries of fixture
articles and delivered through the Slack and Discord fakes and the console renderer."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fakes.discord_harness import discord_rig
from fakes.slack_harness import SlackRig, slack_rig

from adapters.console_render import render_digest
from bot.config import Settings
from bot.digests.builder import DigestCandidate, build_digest
from bot.digests.delivery import BuiltDigest, DigestDelivery
from bot.models import Article, Digest
from bot.service import summarize_article
from bot.store import Subscription
from summarizers.types import KeyFigure

STORIES = Path(__file__).parent / "fixtures" / "stories"
ROWS = {
    row["id"]: row
    for name in ("articles.jsonl", "crosslang-es.jsonl")
    for row in map(json.loads, (STORIES / name).read_text("utf-8").splitlines())
}
SINCE, UNTIL = datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)
DAY = date(2024, 3, 5)
ITALY = ("cnndm-italy-migrants", "es-italy-rescues")  # one event, in English and in Spanish
OTHERS = ("bbc-politics-122", "es-oil-above-50", "es-greek-pair-cleared")


def candidate(article_id: str, **article: Any) -> DigestCandidate:
    row = ROWS[article_id]
    fields = {
        "text": row["text"],
        "title": row["title"] or None,
        "url": f"https://news.example/{article_id}",
        "lang": row["lang"],
        "source": row["outlet"],
    }
    return DigestCandidate(
        summarize_article(Article(**(fields | article)), 3, "newsbrief"), topic_score=10.0
    )


def italy_digest(limit: int = 8, extra: tuple[str, ...] = ()) -> Digest:
    items = [candidate(i) for i in (*ITALY, *extra)]
    return build_digest(items, topic="migration", since=SINCE, until=UNTIL, limit=limit)


def figure(value: float, surface: str, counted: str, period: str | None) -> KeyFigure:
    return KeyFigure(value, surface, "A sentence.", counted=counted, period=period)


def reports(*figures: tuple[str, str, KeyFigure]) -> Digest:
    """One story of the seed article told by several outlets, each giving the figures listed."""
    items = []
    for number, (outlet, lang, given) in enumerate(figures):
        item = candidate("seed-bbc", source=outlet, lang=lang, url=f"https://n.example/{number}")
        items.append(replace(item, summary=replace(item.summary, figures=(given,))))
    return build_digest(items, topic="migration", since=SINCE, until=UNTIL)


def test_one_figure_in_two_languages_is_shown_once_and_is_no_conflict() -> None:
    (story,) = italy_digest().stories
    assert {a.lang for a in story.articles} == {"en", "es"}
    values = [f.value for f in story.figures]
    assert values.count(8480) == 1 and values.count(10_000) == 1 and values.count(80) == 1
    assert story.conflicts == ()  # "400 migrants" vs "8.480 migrantes" was a false conflict
    english, spanish = (
        render_digest(italy_digest(), "text", "en"),
        render_digest(italy_digest(), "text", "es"),
    )
    assert " vs " not in english and "frente a" not in spanish
    english_figures = next(line for line in english.splitlines() if "Key figures:" in line)
    spanish_figures = next(line for line in spanish.splitlines() if "Cifras clave:" in line)
    assert "8,480 migrants" in english_figures and "8.480" not in english_figures
    assert "8.480 migrants" in spanish_figures and "8,480" not in spanish_figures


def test_a_conflict_needs_the_same_noun_and_period_and_reads_in_the_channel_language() -> None:
    bbc = ("BBC News", "en", figure(190_000, "190,000", "apprehensions", "in November"))
    wire = ("Agencia C", "es", figure(225_000, "225.000", "detenciones", "en noviembre"))
    (story,) = reports(bbc, wire).stories
    (conflict,) = story.conflicts
    assert conflict.values == (("190,000", "BBC News"), ("225.000", "Agencia C"))
    assert "190,000 (BBC News) vs 225,000 (Agencia C)" in render_digest(
        reports(bbc, wire), "text", "en"
    )
    assert "190.000 (BBC News) frente a 225.000 (Agencia C)" in render_digest(
        reports(bbc, wire), "text", "es"
    )
    other_period = ("Wire B", "en", figure(225_000, "225,000", "apprehensions", "in October"))
    no_period = ("Wire C", "en", figure(400, "400", "apprehensions", None))
    other_noun = ("Wire D", "en", figure(225_000, "225,000", "deportations", "in November"))
    for rival in (other_period, no_period, other_noun):
        assert reports(bbc, rival).stories[0].conflicts == (), rival


class FixedDigests:
    def __init__(self, digest: Digest) -> None:
        self.digest = digest

    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest:
        return BuiltDigest(self.digest, ())


async def slack_digest(rig: SlackRig, digest: Digest, language: str) -> list[dict[str, Any]]:
    await rig.slash_command(f"settings language {language}", key="lang")
    await rig.fake.wait_for_response("lang")
    await rig.slash_command("subscribe 07:00", key="sub")
    await rig.fake.wait_for_response("sub")
    (subscription,) = await rig.store.list_subscriptions(platform="slack")
    delivery = DigestDelivery(rig.store, FixedDigests(digest), {"slack": rig.adapter})
    assert (await delivery.deliver(subscription, DAY)).startswith("sent")
    return [block for post in rig.fake.posts("C0NEWS") for block in post["blocks"]]


def block_texts(blocks: list[dict[str, Any]]) -> str:
    texts = [b["text"]["text"] for b in blocks if "text" in b]
    texts += [e["text"] for b in blocks for e in b.get("elements", ())]
    return "\n".join(texts)


async def test_slack_digest_links_outlets_and_headlines_and_writes_numbers_for_spanish(
    settings: Settings,
) -> None:
    digest = italy_digest(limit=1, extra=OTHERS)
    left_out = [story.title for story in italy_digest(extra=OTHERS).stories[1:]]
    assert len(left_out) == 3
    async with slack_rig(settings) as rig:
        text = block_texts(await slack_digest(rig, digest, "es"))
    assert "<https://news.example/cnndm-italy-migrants|CNN/Daily Mail (en)>" in text
    assert "<https://news.example/es-italy-rescues|Agencia C (synthetic)>" in text
    assert "*3 noticias más*" in text
    for title in left_out:
        assert title in text and f"|{title[:20]}" in text, title
    assert "news.example/bbc-politics-122|" in text and "|news.example>" not in text
    assert "*8.480*" in text and "*8,480*" not in text


async def test_discord_digest_links_outlets_and_headlines_and_writes_numbers_for_english(
    settings: Settings,
) -> None:
    digest = italy_digest(limit=1, extra=OTHERS)
    async with discord_rig(settings) as rig:
        interaction = await rig.fake.invoke("subscribe", {"time": "07:00"}, channel="digest")
        await rig.fake.wait_for(lambda: interaction.replies)
        (subscription,) = await rig.store.list_subscriptions(platform="discord")
        delivery = DigestDelivery(rig.store, FixedDigests(digest), {})
        delivery.add_sink(rig.adapter.platform, rig.adapter)
        assert (await delivery.deliver(subscription, DAY)).startswith("sent")
        embeds = [e for m in rig.fake.bot_messages("digest") for e in m["embeds"]]
    story, more = embeds[1], embeds[2]
    fields = {field["name"]: field["value"] for field in story["fields"]}
    assert "CNN/Daily Mail: https://news.example/cnndm-italy-migrants" in fields["Reported by"]
    assert (
        "Agencia C (synthetic) (es): https://news.example/es-italy-rescues"
        in (fields["Reported by"])
    )
    assert "8,480" in fields["Key figures"] and "8.480" not in fields["Key figures"]
    assert more["title"] == "3 more stories"
    lines = more["description"].splitlines()
    assert len(lines) == 3 and all("https://news.example/" in line for line in lines)
    assert any(ROWS["es-oil-above-50"]["title"] in line for line in lines)


def test_console_digest_lists_the_headlines_left_out() -> None:
    text = render_digest(italy_digest(limit=1, extra=OTHERS), "text", "en")
    assert "3 more stories" in text
    assert f"  • {ROWS['es-oil-above-50']['title']} (Agencia C (synthetic))" in text
    assert "<https://news.example/es-oil-above-50>" in text
