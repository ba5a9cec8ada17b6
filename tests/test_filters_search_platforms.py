"""Filters, search and `digest <date>` reach Slack and Discord: the real slack-bolt and
discord.py clients against the local fakes, answering from the real store."""

from __future__ import annotations

from datetime import date

from fakes.discord_harness import discord_rig
from fakes.slack_harness import slack_rig

from bot.config import Settings
from bot.models import Article


async def test_discord_slash_commands_filter_search_and_past_digest(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        await rig.store.upsert_article(
            Article(
                text="Boats carrying 300 people reached Lampedusa overnight.",
                title="Boats reach Lampedusa",
                url="https://news.example/lampedusa",
                source="Sea Desk",
            )
        )
        added = await rig.fake.invoke(
            "filter", {"action": "include", "terms": 'figure deaths "Rio Grande"'}
        )
        await rig.fake.wait_for(lambda: added.replies)
        refused = await rig.fake.invoke("filter", {"action": "clear"}, manager=False)
        await rig.fake.wait_for(lambda: refused.callbacks)
        listed = await rig.fake.invoke("filters", manager=False)
        await rig.fake.wait_for(lambda: listed.replies)
        found = await rig.fake.invoke("search", {"words": "lampedusa boats"}, manager=False)
        await rig.fake.wait_for(lambda: found.replies)
        past = await rig.fake.invoke("digest", {"date": "2026-12-01"}, manager=False)
        await rig.fake.wait_for(lambda: past.replies)
        kept = await rig.store.channel_filters("discord", rig.fake.channel_id("news"))
    assert [(f.kind, f.value) for f in kept] == [("figure", "deaths"), ("phrase", "Rio Grande")]
    assert "include figure deaths" in str(listed.replies)
    assert "Boats reach Lampedusa — Sea Desk" in str(found.replies)
    assert "https://news.example/lampedusa" in str(found.replies)
    assert "This channel got no digest on 2026-12-01." in str(past.replies)


async def test_slack_slash_command_search_and_filters(settings: Settings) -> None:
    async with slack_rig(settings) as rig:
        rig.fake.owners.add("U0OWNER")
        stored, _ = await rig.store.upsert_article(
            Article(
                text="Asylum claims rose to 5,000 in November.",
                title="Asylum claims rise",
                url="https://news.example/asylum",
                source="Desk",
            )
        )
        sent = await rig.store.begin_delivery("slack", "C0NEWS", "migration", date(2026, 12, 1))
        await rig.store.finish_delivery(sent.delivery_key, article_ids=[stored.id])
        await rig.slash_command("filter exclude /sport(s)?/", key="member", user="U0MEMBER")
        await rig.slash_command("filter exclude /sport(s)?/", key="owner", user="U0OWNER")
        await rig.slash_command("search asylum claims", key="search", user="U0MEMBER")
        await rig.slash_command("digest 2026-12-01", key="past", user="U0MEMBER")
        member = await rig.fake.wait_for_response("member")
        owner = await rig.fake.wait_for_response("owner")
        search = await rig.fake.wait_for_response("search")
        past = await rig.fake.wait_for_response("past")
    assert member.body["text"].startswith("Only people who can manage this channel")
    assert "exclude /sport(s)?/" in str(owner.body)
    assert "Asylum claims rise" in str(search.body)
    assert "showed 1 article" in str(past.body) and "Asylum claims rise" in str(past.body)
