"""Application commands: slash commands and the "Summarize article" menu, answered via the core.

Every command is answered within Discord's 3 seconds: a refusal at once, anything else by a
deferral ("thinking...") that the answer then replaces (see answer.py). The placeholder's
visibility is fixed when it is created, so when the answer's visibility differs (a public
/summarize that failed must answer privately) the placeholder is deleted and the answer sent as
a new follow-up.
"""

from __future__ import annotations

import functools
import logging
import shlex
import time
import zoneinfo
from collections.abc import Awaitable, Callable
from typing import Literal

import aiohttp
import discord
from discord import app_commands

from adapters.discord.answer import send_answer
from adapters.discord.rendering.render import clip, defuse, reply_messages
from bot.chat.commands import Commands, find_links, guard
from bot.chat.requests import Caller, Reply, Request
from bot.metrics import ACK_SECONDS

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
MANAGE_CHANNELS = discord.Permissions(manage_channels=True)
NOT_ALLOWED = "Only people with the Manage Channels permission can change that."
NO_ARTICLE = "That message has no link or article text to summarize."
CANNOT_POST = "I can't post digests here; give Newsbrief {permissions} in this channel first."
MAX_CHOICES = 25  # Discord's limit for autocomplete answers

Work = Callable[[Caller], Awaitable[Reply]]


@functools.cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def matching_zones(typed: str, limit: int = MAX_CHOICES) -> list[str]:
    """Time zones containing ``typed`` (any case), those starting with it first, at most 25."""
    needle = typed.strip().lower().replace(" ", "_")
    hits = [zone for zone in _zones() if needle in zone.lower()]
    hits.sort(key=lambda zone: (not zone.lower().startswith(needle), zone))
    return hits[:limit]


def caller_of(interaction: discord.Interaction) -> Caller:
    """The core's Caller: channel, user and Manage Channels (always true in a DM)."""
    permissions = interaction.permissions
    in_guild = interaction.guild_id is not None
    return Caller(
        platform="discord",
        channel=str(interaction.channel_id),
        user=str(interaction.user.id),
        can_manage=not in_guild or permissions.manage_channels or permissions.administrator,
        tenant=str(interaction.guild_id) if in_guild else "",  # a DM is a tenant of its own
    )


def missing_post_permissions(interaction: discord.Interaction) -> list[str]:
    """Permissions the bot lacks in this channel to post digests (from app_permissions)."""
    if interaction.guild_id is None:
        return []
    granted = interaction.app_permissions
    needed = {"Send Messages": granted.send_messages, "Embed Links": granted.embed_links}
    return [name for name, present in needed.items() if not present]


def message_source(message: discord.Message) -> str:
    """What to summarize from a message: its first link (text or embeds), else its text."""
    links = find_links(message.content)
    links += [embed.url for embed in message.embeds if embed.url]
    return links[0] if links else message.content.strip()


class SlashCommands:
    """Registers Newsbrief's application commands on a tree and runs them through ``Commands``."""

    def __init__(self, commands: Commands, *, request_timeout: float = 30.0) -> None:
        self.commands = commands
        self.request_timeout = request_timeout
        self.help_text = ""

    def register(self, tree: app_commands.CommandTree) -> None:
        core = self.commands
        run = self.run

        @tree.command(description="Summarize a news article: its key sentences and figures.")
        @app_commands.rename(source="url-or-text")
        @app_commands.describe(
            source="The article's link, or its full text pasted",
            sentences="Sentences in this summary (1-10; default: the channel's setting)",
        )
        async def summarize(
            interaction: discord.Interaction,
            source: str,
            sentences: app_commands.Range[int, 1, 10] | None = None,
        ) -> None:
            await run(interaction, lambda caller: core.summarize(caller, source, sentences))

        @tree.command(description="Show the news digest this channel would get now.")
        @app_commands.describe(date="Instead, the digest this channel got that day: 2026-12-01")
        async def digest(interaction: discord.Interaction, date: str | None = None) -> None:
            if date:
                text = "digest " + (date.split() or [""])[0]
                await run(interaction, lambda caller: core.handle(Request(caller, text)))
                return
            await run(interaction, lambda caller: core.digest(caller))

        @tree.command(description="Post a daily news digest in this channel.")
        @app_commands.default_permissions(manage_channels=True)
        @app_commands.guild_only()
        @app_commands.describe(
            topic="The digest's topic (default: migration)",
            time="Local time of day: 07:00, 19:30, 7am or 7:30pm (default 07:00)",
            timezone="Time zone, e.g. America/Mexico_City or EST (default: the bot's)",
        )
        async def subscribe(
            interaction: discord.Interaction,
            topic: str | None = None,
            time: str | None = None,
            timezone: str | None = None,
        ) -> None:
            missing = missing_post_permissions(interaction)
            if missing and caller_of(interaction).can_manage:
                text = CANNOT_POST.format(permissions=" and ".join(missing))
                await interaction.response.send_message(
                    text, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
                return
            await run(
                interaction,
                lambda caller: core.subscribe(caller, topic, time, timezone),
                manages=True,
            )

        @subscribe.autocomplete("timezone")
        async def timezone_choices(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=z, value=z) for z in matching_zones(current)]

        @tree.command(description="List this channel's daily digests and when each runs next.")
        async def subscriptions(interaction: discord.Interaction) -> None:
            await run(interaction, lambda caller: core.handle(Request(caller, "subscriptions")))

        @tree.command(description="Stop the daily digest in this channel.")
        @app_commands.default_permissions(manage_channels=True)
        @app_commands.guild_only()
        @app_commands.describe(topic="Only this topic's digest (default: all)")
        async def unsubscribe(interaction: discord.Interaction, topic: str | None = None) -> None:
            work = functools.partial(core.unsubscribe, topic=topic)
            await run(interaction, work, manages=True)

        feeds = app_commands.Group(
            name="feeds", description="The news feeds digests are built from.", guild_only=True
        )

        @feeds.command(name="list", description="List the news feeds.")
        async def feeds_list(interaction: discord.Interaction) -> None:
            await run(interaction, lambda caller: core.feeds(caller, "list"))

        @feeds.command(name="add", description="Add a news feed (RSS or Atom).")
        @app_commands.describe(url="The feed's address")
        async def feeds_add(interaction: discord.Interaction, url: str) -> None:
            await run(interaction, lambda caller: core.feeds(caller, "add", url), manages=True)

        @feeds.command(name="remove", description="Remove a news feed.")
        @app_commands.describe(url="The feed's address")
        async def feeds_remove(interaction: discord.Interaction, url: str) -> None:
            await run(interaction, lambda caller: core.feeds(caller, "remove", url), manages=True)

        tree.add_command(feeds)

        # Figure alerts (bot.chat.replies.watch): the same words as the text command.
        @tree.command(description="Post an alert here when a new article reports this figure.")
        @app_commands.default_permissions(manage_channels=True)
        @app_commands.guild_only()
        @app_commands.describe(
            what="What the figure counts: deaths, arrivals, detenciones, ...",
            place="Only when the article names this place",
            condition="above N, below N or change P%",
        )
        async def watch(
            interaction: discord.Interaction,
            what: str,
            place: str | None = None,
            condition: str | None = None,
        ) -> None:
            words = [what, *([place] if place else []), *(condition or "").split()]
            text = "watch " + shlex.join(words)
            await run(interaction, lambda caller: core.handle(Request(caller, text)), manages=True)

        @tree.command(description="List this channel's figure alerts.")
        async def watches(interaction: discord.Interaction) -> None:
            await run(interaction, lambda caller: core.handle(Request(caller, "watches")))

        @tree.command(description="Remove one of this channel's figure alerts.")
        @app_commands.default_permissions(manage_channels=True)
        @app_commands.guild_only()
        @app_commands.describe(alert="The alert's number, as watches lists it")
        async def unwatch(interaction: discord.Interaction, alert: int) -> None:
            text = f"unwatch {alert}"
            await run(interaction, lambda caller: core.handle(Request(caller, text)), manages=True)

        # Channel filters and the archive (bot.chat.replies.filters, bot.chat.replies.search).
        @tree.command(description="Show this channel's digest filters.")
        async def filters(interaction: discord.Interaction) -> None:
            await run(interaction, lambda caller: core.handle(Request(caller, "filters")))

        @tree.command(name="filter", description="Change what this channel's digest shows.")
        @app_commands.default_permissions(manage_channels=True)
        @app_commands.guild_only()
        @app_commands.describe(
            action="include, exclude, remove (a number) or clear",
            terms='Words, "phrases", /regex/ or figure deaths; for remove, the number',
        )
        async def filter_command(
            interaction: discord.Interaction,
            action: Literal["include", "exclude", "remove", "clear"],
            terms: str = "",
        ) -> None:
            text = f"filter {action} {terms}".strip()
            await run(interaction, lambda caller: core.handle(Request(caller, text)), manages=True)

        @tree.command(description="Search the stored articles of this server's feeds.")
        @app_commands.describe(words="What to look for", since="7d, 12h, 2w or 2026-12-01")
        async def search(
            interaction: discord.Interaction, words: str, since: str | None = None
        ) -> None:
            text = f"search {words}" + (f" since {since}" if since else "")
            await run(interaction, lambda caller: core.handle(Request(caller, text)))

        @tree.command(description="Show or change this channel's settings.")
        @app_commands.guild_only()
        @app_commands.describe(
            sentences="Sentences per summary (1-10)",
            autosummarize="Reply to pasted article links without being asked",
            language="Language of the bot's labels",
        )
        async def settings(
            interaction: discord.Interaction,
            sentences: app_commands.Range[int, 1, 10] | None = None,
            autosummarize: bool | None = None,
            language: Literal["en", "es"] | None = None,
        ) -> None:
            changes: dict[str, str] = {}
            if sentences is not None:
                changes["sentences"] = str(sentences)
            if autosummarize is not None:
                changes["autosummarize"] = "on" if autosummarize else "off"
            if language is not None:
                changes["language"] = language
            work = functools.partial(core.settings, changes=changes)
            await run(interaction, work, manages=bool(changes), ephemeral=not changes)

        @tree.command(name="help", description="What Newsbrief can do here.")
        async def help_command(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(
                self.help_text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )

        @tree.context_menu(name="Summarize article")
        async def summarize_message(
            interaction: discord.Interaction, message: discord.Message
        ) -> None:
            source = message_source(message)
            if not source:
                await interaction.response.send_message(
                    NO_ARTICLE, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
                return
            await run(interaction, lambda caller: core.summarize(caller, source))

        self.help_text = help_text(tree)

    async def run(
        self,
        interaction: discord.Interaction,
        work: Work,
        *,
        manages: bool = False,
        ephemeral: bool = False,
    ) -> None:
        """Refuse at once, or defer, let the core work, and follow up with its reply."""
        received = time.perf_counter()
        caller = caller_of(interaction)
        if manages and not caller.can_manage:
            await interaction.response.send_message(
                NOT_ALLOWED, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        ACK_SECONDS.labels(platform="discord").observe(time.perf_counter() - received)
        reply = await guard(work(caller))
        try:
            await send_answer(
                interaction,
                reply_messages(reply),
                private=bool(reply.ephemeral or reply.error),
                placeholder_private=ephemeral,
                timeout=self.request_timeout,
            )
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
            log.exception("Could not answer a Discord interaction")


def help_text(tree: app_commands.CommandTree) -> str:
    """The /help answer, made from the registered commands so it never goes stale."""
    lines = ["**Newsbrief** summarizes news articles and posts a daily news digest."]
    for command in tree.get_commands(type=discord.AppCommandType.chat_input):
        subcommands = command.commands if isinstance(command, app_commands.Group) else [command]
        for sub in subcommands:
            if isinstance(sub, app_commands.Group):
                continue
            name = command.name if sub is command else f"{command.name} {sub.name}"
            options = " ".join(
                f"`{p.display_name}`" if p.required else f"`[{p.display_name}]`"
                for p in sub.parameters
            )
            usage = " ".join(part for part in (f"**/{name}**", options) if part)
            lines.append(clip(f"{usage} — {sub.description}", 300))
    lines.append(
        "**Summarize article** (right-click a message › Apps) — summarize the article it links."
    )
    lines.append("Mention me with a link to get its summary.")
    return defuse("\n".join(lines))
