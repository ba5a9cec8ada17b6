"""Each Slack workspace, Discord server and the console has its own feed list (on every backend).

Every tenant starts from the operator's list; `feeds add/remove` change only the caller's
tenant; a channel's digest is built from its tenant's feeds; a URL is fetched once however many
tenants list it. With SLACK_MANAGERS empty, only workspace admins and owners manage (users.info).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest_site import NewsSite
from fakes.slack_harness import slack_rig
from fakes.slack_payloads import TEAM_ID
from store_fixtures import Opener
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.requests import Caller, Request
from bot.config import Settings
from bot.digests.service import DigestService
from bot.service import Summarizer
from bot.store import OPERATOR_TENANT

NOW = datetime.now(UTC).replace(microsecond=0)
SLACK = Caller("slack", "C1", "U1", can_manage=True, tenant="T1")
DISCORD = Caller("discord", "42", "7", can_manage=True, tenant="G1")  # Manage Channels in G1


async def test_a_tenants_feed_changes_stay_in_that_tenant(
    web: WebServer, settings: Settings, open_backend: Opener
) -> None:
    site = NewsSite(web, NOW)
    wire_a = site.page("synthetic-wire-a", "/a/blinken-talks", outlet="Wire A")
    seed = site.page("seed-bbc", "/bbc/us-mexico", outlet="BBC News")
    clarke = site.page("bbc-politics-153", "/bbc/clarke-plan", outlet="BBC News", hours_ago=5)
    # Within the hour before Discord's `feeds add`: a later feed's older items are not
    # backfilled (quiet first sync, tests/test_quiet_sync.py).
    clarke_c = site.page("bbc-politics-220", "/c/clarke-points", outlet="Paper C", hours_ago=0.5)
    feed_a = site.feed("Wire A", "/feeds/a.xml", [wire_a])
    feed_bbc = site.feed("BBC News", "/feeds/bbc.xml", [seed, clarke])
    feed_c = site.feed("Paper C", "/feeds/c.xml", [clarke_c])
    async with await open_backend() as store, Summarizer(settings) as summarizer:
        for url in (feed_a, feed_bbc):  # the operator's list (NEWSBRIEF_FEEDS)
            await store.add_feed(url)
        service = DigestService(settings, store, summarizer, clock=lambda: NOW)
        commands = Commands(summarizer, store, digests=service)

        async def say(caller: Caller, text: str) -> str:
            reply = await commands.handle(Request(caller, text))
            assert not reply.error, reply.text
            return reply.text

        # Someone who manages channels in a Discord server removes a feed and adds another:
        # only that server's list changes.
        assert "Removed" in await say(DISCORD, f"feeds remove {feed_bbc}")
        assert "Added" in await say(DISCORD, f"feeds add {feed_c}")
        assert [f.url for f in await store.tenant_feeds("discord:G1")] == sorted([feed_a, feed_c])
        slack_list = await say(SLACK, "feeds list")
        assert feed_bbc in slack_list and feed_a in slack_list and feed_c not in slack_list
        assert [f.url for f in await store.tenant_feeds(OPERATOR_TENANT)] == sorted(
            [feed_a, feed_bbc]
        )
        # The console is a tenant of its own too, seeded from the operator's list.
        console = Caller("console", "console", "me", can_manage=True, tenant="console")
        assert feed_bbc in await say(console, "feeds list")

        # Each channel subscribes; its subscription remembers its tenant.
        await say(SLACK, "subscribe 07:00 UTC")
        await say(DISCORD, "subscribe 07:00 UTC")
        [slack_sub] = await store.list_subscriptions(platform="slack")
        [discord_sub] = await store.list_subscriptions(platform="discord")
        assert (slack_sub.tenant, discord_sub.tenant) == ("slack:T1", "discord:G1")

        # One poll fetches each URL once, whoever lists it (`feeds add` fetched c.xml once).
        paths = ("/feeds/a.xml", "/feeds/bbc.xml", "/feeds/c.xml")
        before = [web.hits[path] for path in paths]
        await service.refresh()
        assert [web.hits[path] - n for path, n in zip(paths, before, strict=True)] == [1, 1, 1]
        since = NOW - timedelta(hours=24)
        slack_digest = (await service.for_subscription(slack_sub, since=since, until=NOW)).digest
        discord_digest = (
            await service.for_subscription(discord_sub, since=since, until=NOW)
        ).digest
    slack_outlets = {a.source for s in slack_digest.stories for a in s.articles}
    discord_outlets = {a.source for s in discord_digest.stories for a in s.articles}
    assert slack_outlets == {"Wire A", "BBC News"}
    assert discord_outlets == {"Wire A", "Paper C"}


async def test_a_tenant_that_removed_everything_is_not_seeded_again(open_backend: Opener) -> None:
    async with await open_backend() as store:
        await store.add_feed("https://a.example/feed", "A")
        assert [f.name for f in await store.tenant_feeds("slack:T1")] == ["A"]
        assert await store.remove_tenant_feed("slack:T1", "https://a.example/feed")
        assert not await store.remove_tenant_feed("slack:T1", "https://a.example/feed")
        assert await store.tenant_feeds("slack:T1") == []
        # Still polled: the operator's list (and so every new tenant) has it.
        assert [f.url for f in await store.list_feeds()] == ["https://a.example/feed"]
        assert [f.url for f in await store.tenant_feeds("discord:G9")] == ["https://a.example/feed"]
        # A URL only one tenant added stops being polled when that tenant removes it.
        await store.add_tenant_feed("slack:T1", "https://b.example/feed")
        assert await store.remove_tenant_feed("slack:T1", "https://b.example/feed")
        assert await store.get_feed("https://b.example/feed") is None


async def test_without_slack_managers_only_workspace_admins_and_owners_manage(
    settings: Settings,
) -> None:
    async with slack_rig(settings) as rig:
        rig.fake.owners.add("U0OWNER")
        await rig.slash_command("subscribe 07:00 UTC", key="member", user="U0MEMBER")
        await rig.slash_command("subscribe 07:00 UTC", key="owner", user="U0OWNER")
        await rig.slash_command("settings sentences 4", key="admin", user="U0EDITOR")
        member = await rig.fake.wait_for_response("member")
        owner = await rig.fake.wait_for_response("owner")
        admin = await rig.fake.wait_for_response("admin")
        [subscription] = await rig.store.list_subscriptions(platform="slack")
        asked = {call.args.get("user") for call in rig.fake.calls_to("users.info")}
    assert member.body["text"].startswith("Only people who can manage this channel")
    assert owner.body["text"].startswith("Subscribed: the migration digest")
    assert "4 sentences" in admin.body["text"]
    assert asked == {"U0MEMBER", "U0OWNER", "U0EDITOR"}
    assert subscription.tenant == f"slack:{TEAM_ID}"  # the workspace's feeds, from team_id
