"""Answering a pressed summary button (More, Figures, Sources) on Discord.

The key in the button's custom_id is only looked up by the core (``Commands.expand``), which
checks that the click comes from the summary's own server and channel. The answer is an
ephemeral follow-up after a deferral, so Discord's 3 seconds hold however long it takes.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any

import aiohttp
import discord

from adapters.discord.answer import send_answer
from adapters.discord.rendering.render import reply_messages
from adapters.discord.slash import caller_of
from bot.chat.commands import Commands
from bot.chat.requests import Caller
from bot.metrics import ACK_SECONDS

log = logging.getLogger(__name__)


def button_caller(interaction: discord.Interaction[Any]) -> tuple[Caller, str | None]:
    """The presser as a Caller, and the parent channel when the button is in a thread (a
    summary answered in a thread was registered under the channel the thread belongs to)."""
    caller = caller_of(interaction)
    parent = getattr(interaction.channel, "parent_id", None)
    return dataclasses.replace(caller, can_manage=False), str(parent) if parent else None


class ButtonPresses:
    """Answers a pressed summary button through the core, privately to the presser."""

    def __init__(self, commands: Commands, *, request_timeout: float = 30.0) -> None:
        self.commands = commands
        self.request_timeout = request_timeout

    async def press(self, interaction: discord.Interaction[Any], view: str, key: str) -> None:
        received = time.perf_counter()
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException:
            log.exception("Could not acknowledge a summary button")
            return
        ACK_SECONDS.labels(platform="discord").observe(time.perf_counter() - received)
        caller, parent = button_caller(interaction)
        reply = await self.commands.expand(caller, key, view, parent=parent)
        try:
            await send_answer(
                interaction,
                reply_messages(reply),
                private=True,
                placeholder_private=True,
                timeout=self.request_timeout,
            )
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
            log.exception("Could not answer a summary button")
