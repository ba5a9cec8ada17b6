"""Keep the Discord bot running through gateway events and interactions it cannot read.

discord.py parses each gateway event in a plain function called from its websocket loop; an
exception there (a field missing from an event, say INTERACTION_CREATE of a component without
``custom_id``) is caught by nobody and ends ``Client.connect``: the bot goes offline for good.
``guard_parsers`` wraps every parser so such an event is logged and dropped. discord.py also runs
each application command in a task that only handles its own ``AppCommandError``s; any other
exception while it reads a malformed interaction (no ``data``) ends that task unhandled.
``NewsbriefTree`` logs those, and answers every interaction it could not run with one sentence,
so nobody is left looking at "The application did not respond".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, MutableMapping
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.chat.commands import GENERIC_FAILURE

__all__ = ["GENERIC_FAILURE", "UNREADABLE", "NewsbriefTree", "guard_parsers"]

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
UNREADABLE = "I couldn't read that command; try /help."
# Errors of the request itself (an unknown command, an option of the wrong type), not of ours.
_INPUT_ERRORS = (
    app_commands.CommandNotFound,
    app_commands.CommandSignatureMismatch,
    app_commands.TransformerError,
)

Parser = Callable[[Any], None]


def guard_parsers(parsers: MutableMapping[str, Parser]) -> None:
    """Make each gateway event parser log and drop an event it fails on (in place)."""
    for event, parser in list(parsers.items()):
        parsers[event] = _guarded(event, parser)


def _guarded(event: str, parser: Parser) -> Parser:
    def parse(data: Any) -> None:
        try:
            parser(data)
        except Exception:
            log.exception("Ignored a Discord %s event that could not be read", event)

    return parse


class NewsbriefTree(app_commands.CommandTree):
    """The command tree: failures are logged and answered, never left unhandled."""

    async def _call(self, interaction: discord.Interaction) -> None:
        try:
            await super()._call(interaction)
        except app_commands.AppCommandError:
            raise  # discord.py passes these to on_error
        except Exception as err:
            await self.on_error(interaction, app_commands.AppCommandError(repr(err)))

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        unreadable = isinstance(error, _INPUT_ERRORS) or type(error) is app_commands.AppCommandError
        if unreadable:
            log.warning("Ignored a Discord interaction that could not be read: %s", error)
        else:
            log.error("Discord command failed", exc_info=error)
        if interaction.type is not discord.InteractionType.application_command:
            return  # autocomplete and components get no message
        with contextlib.suppress(discord.HTTPException, aiohttp.ClientError, TimeoutError):
            if not interaction.response.is_done():
                await interaction.response.send_message(
                    UNREADABLE if unreadable else GENERIC_FAILURE,
                    ephemeral=True,
                    allowed_mentions=NO_MENTIONS,
                )
