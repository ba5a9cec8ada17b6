"""Deliver a deferred interaction's answer despite timeouts and dropped connections.

discord.py retries 429s and 5xx itself, but a request that times out or whose connection drops
raises at once, and its default timeout is 5 minutes. Here each request gets ``timeout`` seconds
and is sent again after such a failure. The first message of the answer replaces the
"thinking..." placeholder by EDITING it: an edit can be repeated safely, so it arrives exactly
once even when Discord applied it and the answer was lost. Further messages are follow-ups,
which Discord cannot deduplicate: they are retried too, at least once (a rare duplicate beats a
missing part).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import aiohttp
import discord

from adapters.discord.rendering.render import Outgoing
from bot.metrics import PLATFORM_RETRIES

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
ATTEMPTS = 3
RETRY_PAUSE = 0.5  # seconds, doubling


async def send_answer(
    interaction: discord.Interaction,
    messages: list[Outgoing],
    *,
    private: bool,
    placeholder_private: bool,
    timeout: float,
) -> None:
    """Replace the deferred placeholder with ``messages`` (visibility ``private``)."""
    rest = messages
    # An edit cannot set SUPPRESS_EMBEDS (discord.py sends no flags on it): a first message
    # with bare links goes as a follow-up instead, so its links get no preview cards.
    editable = bool(messages) and not _bare_links(messages[0])
    if private == placeholder_private and editable:
        first, rest = messages[0], messages[1:]
        buttons = {"view": first.view} if first.view is not None else {}
        await retried(
            lambda: interaction.edit_original_response(
                content=first.content,
                embeds=first.embeds or [],
                allowed_mentions=NO_MENTIONS,
                **buttons,
            ),
            timeout,
        )
    else:  # its visibility cannot change: remove it, answer with new messages
        await retried(lambda: _delete_placeholder(interaction), timeout)
    for message in rest:
        await retried(
            lambda message=message: interaction.followup.send(
                content=message.content,
                embeds=message.embeds or [],
                ephemeral=private,
                allowed_mentions=NO_MENTIONS,
                suppress_embeds=_bare_links(message),
                **({"view": message.view} if message.view is not None else {}),
            ),
            timeout,
        )


def _bare_links(message: Outgoing) -> bool:
    """Text with a link and none of our own embeds: Discord would unfurl each link in it."""
    return not message.embeds and "://" in (message.content or "")


async def retried(request: Callable[[], Awaitable[object]], timeout: float) -> None:
    """Await ``request()`` within ``timeout``; again after a timeout or a dropped connection."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with asyncio.timeout(timeout):
                await request()
            return
        except (aiohttp.ClientError, TimeoutError) as err:
            if attempt == ATTEMPTS:
                raise
            log.warning("Discord did not answer (%r); sending again (%d)", err, attempt)
            PLATFORM_RETRIES.labels(platform="discord").inc()
            await asyncio.sleep(RETRY_PAUSE * 2 ** (attempt - 1))


async def _delete_placeholder(interaction: discord.Interaction) -> None:
    with contextlib.suppress(discord.NotFound):  # deleted by an attempt whose answer was lost
        await interaction.delete_original_response()
