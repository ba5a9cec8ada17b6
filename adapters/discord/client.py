"""The Discord adapter: a discord.py client wired to the command layer and the digest sink."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import aiohttp
import discord

import adapters.discord.shards as sharding
from adapters.discord.buttons import ButtonPresses
from adapters.discord.components import SummaryButton
from adapters.discord.endpoints import discover_gateway, sync_commands, use_endpoints
from adapters.discord.guards import NewsbriefTree, guard_parsers
from adapters.discord.messages import MessageHandler
from adapters.discord.outbox import DigestOutbox, Pacer
from adapters.discord.rendering.safety import defuse
from adapters.discord.slash import SlashCommands
from bot.chat.commands import Commands
from bot.config import Settings
from bot.digests.delivery import PostedDigest
from bot.errors import ConfigurationError, PlatformError
from bot.metrics import PLATFORM_RATE_LIMITED, PLATFORM_RETRIES
from bot.models import Digest

log = logging.getLogger(__name__)

ANSWERED_INTERACTIONS = {
    discord.InteractionType.application_command,
    discord.InteractionType.autocomplete,
    discord.InteractionType.component,  # summary buttons (adapters.discord.components)
}


def parse_guild_ids(text: str) -> list[int]:
    """``DISCORD_GUILD_IDS``: comma- or space-separated guild ids."""
    try:
        return [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise ConfigurationError(
            "DISCORD_GUILD_IDS must be guild ids separated by commas."
        ) from None


def _report_end(connection: asyncio.Task[None]) -> None:
    """Log why the gateway connection ended for good (discord.py retries everything else)."""
    if not connection.cancelled() and connection.exception() is not None:
        error = connection.exception()
        if isinstance(error, discord.ConnectionClosed) and error.code == 4011:
            error = sharding.gateway_closed_error(error)  # names NEWSBRIEF_DISCORD_SHARDS
        log.error("The Discord connection stopped: %r", error)


class NewsbriefClient(discord.Client):
    """discord.py's Client with Newsbrief's command tree and message handling.

    ``message_content`` None: ask for the intent when the application's settings allow it.
    """

    def __init__(
        self,
        intents: discord.Intents,
        *,
        slash: SlashCommands,
        messages: MessageHandler,
        buttons: ButtonPresses,
        guild_ids: Sequence[int],
        sync_state: Path,
        message_content: bool | None,
        **options: object,
    ) -> None:
        super().__init__(
            intents=intents, allowed_mentions=discord.AllowedMentions.none(), **options
        )
        self.tree = NewsbriefTree(self)
        guard_parsers(self._connection.parsers)  # a malformed event must not end the connection
        self._intents_requested = intents
        self._slash = slash
        self._messages = messages
        self.summary_buttons = buttons  # what SummaryButton.callback calls
        self._guild_ids = list(guild_ids)
        self._sync_state = sync_state
        self._message_content = message_content

    async def setup_hook(self) -> None:
        """After login, before the gateway: pick the intents, register and sync commands."""
        if self._message_content is None:
            flags = self.application_flags
            allowed = flags.gateway_message_content or flags.gateway_message_content_limited
            # The Intents object given to Client is the one IDENTIFY reads, so this takes effect.
            self._intents_requested.message_content = allowed
        self._slash.register(self.tree)
        self.add_dynamic_items(SummaryButton)  # buttons of summaries posted before a restart too
        assert self.application_id is not None
        synced = await sync_commands(
            self.tree, self.application_id, self._guild_ids, self._sync_state
        )
        log.info("Discord commands synced: %s", ", ".join(synced) or "unchanged")

    async def on_message(self, message: discord.Message) -> None:
        await self._messages.handle(message, self.user)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self._messages.guild_removed(guild)

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self._messages.channel_deleted(channel)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type not in ANSWERED_INTERACTIONS:  # discord.py drops them silently
            log.warning("Ignored a Discord interaction of type %s", interaction.type)


class NewsbriefShardedClient(sharding.ShardLogs, NewsbriefClient, discord.AutoShardedClient):
    """NewsbriefClient over several gateway connections (NEWSBRIEF_DISCORD_SHARDS)."""


class _RateLimitCounter(logging.Filter):
    """Counts Discord's 429s in the metrics: discord.py waits them out itself and says so only
    in this log line of its HTTP client."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("We are being rate limited.") and "Retrying in" in message:
            PLATFORM_RATE_LIMITED.labels(platform="discord").inc()
            PLATFORM_RETRIES.labels(platform="discord").inc()
        return True


_RATE_LIMIT_COUNTER = _RateLimitCounter()


class DiscordAdapter:
    """Connects Newsbrief to Discord: ``await start()``, serve, ``await aclose()``.

    ``message_content``: request the privileged intent (True), never (False), or when the
    application's settings allow it (None). ``digest_pacing``: seconds between digest posts in
    one channel. ``request_timeout``: seconds before a post Discord does not answer is given up
    (discord.py's own limit is 5 minutes). ``sync_state``: the file remembering the last command
    sync (default ``DISCORD_STATE_FILE``).
    """

    platform: Literal["discord"] = "discord"

    def __init__(
        self,
        settings: Settings,
        commands: Commands,
        *,
        message_content: bool | None = None,
        digest_pacing: float = 1.0,
        sync_state: Path | None = None,
        guild_ready_timeout: float = 2.0,
        request_timeout: float = 30.0,
    ) -> None:
        if settings.discord_token is None:
            raise ConfigurationError(
                "Set DISCORD_TOKEN to the bot token of your Discord application."
            )
        self.settings = settings
        self.message_content = message_content
        self.guild_ids = parse_guild_ids(settings.discord_guild_ids)
        self.sync_state = sync_state or settings.discord_state_file
        self.slash = SlashCommands(commands, request_timeout=request_timeout)
        self.messages = MessageHandler(commands)
        self.buttons = ButtonPresses(commands, request_timeout=request_timeout)
        self.outbox = DigestOutbox(
            self._connected_client,
            Pacer(per_channel=digest_pacing),
            request_timeout=request_timeout,
        )
        self._guild_ready_timeout = guild_ready_timeout
        self._client: NewsbriefClient | None = None
        self._connection: asyncio.Task[None] | None = None
        self._restore_endpoints: Callable[[], None] | None = None

    @property
    def client(self) -> NewsbriefClient | None:
        return self._client

    async def connected(self) -> tuple[bool, str]:
        """Whether the gateway session is up and ready."""
        client = self._client
        if client is None or client.is_closed():
            return False, "not connected"
        if not client.is_ready():
            return False, "connecting"
        if isinstance(client, discord.AutoShardedClient):
            return sharding.sharded_status(client)
        return True, f"ready in {len(client.guilds)} servers"

    async def start(self, timeout: float = 60.0) -> None:
        """Log in, sync commands, connect to the gateway; returns once the bot is ready.

        Raises ``ConfigurationError`` when Discord refuses the token or the message-content
        intent, and ``PlatformError`` when it cannot be reached or does not get ready in time.
        """
        token = self.settings.discord_token
        assert token is not None
        logging.getLogger("discord.http").addFilter(_RATE_LIMIT_COUNTER)  # once: filters are a set
        self._restore_endpoints = use_endpoints(
            self.settings.discord_api_url, self.settings.discord_gateway_url
        )
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True  # mentions and, with message_content, pasted links
        intents.message_content = bool(self.message_content)
        shards = self.settings.discord_shards
        kind = NewsbriefClient if shards is None else NewsbriefShardedClient
        client = kind(
            intents,
            slash=self.slash,
            messages=self.messages,
            buttons=self.buttons,
            guild_ids=self.guild_ids,
            sync_state=self.sync_state,
            message_content=self.message_content,
            guild_ready_timeout=self._guild_ready_timeout,
            **sharding.shard_count_option(shards),
        )
        self._client = client
        try:
            await client.login(token.get_secret_value())
            if not self.settings.discord_gateway_url:
                await discover_gateway(client)
            if isinstance(client, discord.AutoShardedClient) and client.shard_count is None:
                await sharding.recommended_shards(client)
            self._connection = asyncio.create_task(client.connect(reconnect=True))
            self._connection.add_done_callback(_report_end)
            ready = asyncio.create_task(client.wait_until_ready())
            done, _ = await asyncio.wait(
                {ready, self._connection}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            ready.cancel()
            if self._connection in done:
                self._connection.result()  # raises why it stopped
                raise PlatformError("The Discord gateway closed during start-up.")
            if not done:
                raise PlatformError("Discord did not get ready in time.")
        except discord.LoginFailure as err:
            await self.aclose()
            raise ConfigurationError("Discord refused DISCORD_TOKEN.") from err
        except discord.PrivilegedIntentsRequired as err:
            await self.aclose()
            raise ConfigurationError(
                "Discord refused the message content intent; enable it for the application "
                "in the Developer Portal (Bot, Privileged Gateway Intents)."
            ) from err
        except discord.ConnectionClosed as err:
            await self.aclose()
            raise sharding.gateway_closed_error(err) from err
        except (discord.DiscordException, aiohttp.ClientError, OSError) as err:
            await self.aclose()
            raise PlatformError(f"Could not reach Discord ({type(err).__name__}).") from err
        except BaseException:
            await self.aclose()
            raise
        _up, where = await self.connected()
        log.info("Discord bot %s is %s", client.user, where)

    async def aclose(self) -> None:
        """Disconnect and undo the endpoint settings; safe to call twice."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await connection
        restore, self._restore_endpoints = self._restore_endpoints, None
        if restore is not None:
            restore()

    async def __aenter__(self) -> DiscordAdapter:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # --- the DigestSink protocol ---
    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> PostedDigest:
        return await self.outbox.send_digest(
            channel, digest, delivery_key=delivery_key, language=language
        )

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        return await self.outbox.find_delivery(channel, delivery_key)

    async def post_notice(self, channel: str, text: str) -> None:
        """Post one short text of the bot's own in ``channel`` (raises when Discord refuses)."""
        client = self._connected_client()
        target = client.get_channel(int(channel)) or await client.fetch_channel(int(channel))
        if not isinstance(target, discord.abc.Messageable):
            raise PlatformError(f"Discord channel {channel} does not take messages.")
        await target.send(content=defuse(text), allowed_mentions=discord.AllowedMentions.none())

    def _connected_client(self) -> discord.Client:
        if self._client is None:
            raise PlatformError("The Discord adapter is not started.")
        return self._client
