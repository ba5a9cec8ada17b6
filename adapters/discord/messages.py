"""Channel messages: @mentions with a link, and pasted links where auto-summarize is on.

Without the privileged message-content intent Discord still sends the text of messages that
mention the bot, so @mentions always work; pasted links are only seen with the intent.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from typing import Any

import discord

from adapters.discord.rendering.render import clip, defuse, reply_messages
from bot.chat.commands import Commands, find_links
from bot.chat.requests import Caller, Reply
from bot.digests.lifecycle import pause_subscriptions

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
THREAD_NAME_LIMIT = 100
REMEMBERED_MESSAGES = 4096  # message ids kept to answer each message at most once


class MessageHandler:
    """Answers messages through ``Commands.on_message``: once per message, never to bots."""

    def __init__(self, commands: Commands) -> None:
        self.commands = commands
        self._answered: OrderedDict[int, None] = OrderedDict()

    async def handle(self, message: discord.Message, me: discord.ClientUser | None) -> None:
        if me is None or message.author.bot or message.webhook_id is not None:
            return
        if message.guild is None:
            return  # direct messages are not part of this bot's job
        if not isinstance(message.content, str):
            log.warning("Ignored Discord message %s: its content is not text", message.id)
            return
        mention = re.compile(rf"<@!?{me.id}>")
        addressed = bool(mention.search(message.content))
        text = mention.sub(" ", message.content).strip()
        if not addressed and not find_links(text):
            return  # nothing for us: skip the settings lookup
        if not self._first_time(message.id):
            return
        channel = message.channel
        settings_channel = getattr(channel, "parent_id", None) or channel.id
        caller = Caller(
            "discord", str(settings_channel), str(message.author.id), tenant=str(message.guild.id)
        )
        replies = await self.commands.on_message(caller, text, addressed=addressed)
        for reply in replies:
            try:
                await self._answer(message, reply, in_thread=not addressed)
            except discord.HTTPException:
                log.exception("Could not answer message %s", message.id)

    async def guild_removed(self, guild: discord.Guild) -> None:
        """The bot left or was removed from a server: its digests cannot be posted any more."""
        await pause_subscriptions(
            self.commands.store,
            self.commands.scheduler,
            "discord",
            f"the bot was removed from server {guild.id}",
            channels=[str(channel.id) for channel in guild.channels],
            tenant=f"discord:{guild.id}",
        )

    async def channel_deleted(self, channel: discord.abc.GuildChannel) -> None:
        await pause_subscriptions(
            self.commands.store,
            self.commands.scheduler,
            "discord",
            "the channel was deleted",
            channels=[str(channel.id)],
        )

    def _first_time(self, message_id: int) -> bool:
        """True the first time a message id is seen (a resumed gateway may send it again)."""
        if message_id in self._answered:
            return False
        self._answered[message_id] = None
        while len(self._answered) > REMEMBERED_MESSAGES:
            self._answered.popitem(last=False)
        return True

    async def _answer(self, message: discord.Message, reply: Reply, *, in_thread: bool) -> None:
        """Auto-summaries go into a thread on the message (a reply if that is impossible)."""
        outgoing = reply_messages(reply)
        thread = await self._thread_for(message, reply) if in_thread else None
        for item in outgoing:
            kwargs: dict[str, Any] = {"content": item.content, "embeds": item.embeds or []}
            if item.view is not None:
                kwargs["view"] = item.view  # the summary's buttons
            if thread is not None:
                await thread.send(**kwargs, allowed_mentions=NO_MENTIONS)
            else:
                await message.reply(**kwargs, mention_author=False, allowed_mentions=NO_MENTIONS)

    @staticmethod
    async def _thread_for(message: discord.Message, reply: Reply) -> discord.Thread | None:
        if not isinstance(message.channel, discord.TextChannel):
            return None  # already in a thread, or a channel type without threads
        title = reply.summary.article.title if reply.summary else None
        try:
            return await message.create_thread(
                name=clip(defuse(title or "Summary"), THREAD_NAME_LIMIT), auto_archive_duration=1440
            )
        except discord.HTTPException:
            log.info("Cannot open a thread in channel %s; replying instead", message.channel.id)
            return None
