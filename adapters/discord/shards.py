"""Discord gateway shards (NEWSBRIEF_DISCORD_SHARDS): shard logs, the count, readiness."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.errors import ConfigurationError, PlatformError

log = logging.getLogger(__name__)


class ShardLogs:
    """Log lines that name the shard, for a client that is also a ``discord.AutoShardedClient``
    (only that class dispatches the ``on_shard_*`` events).

    A mixin rather than a subclass of AutoShardedClient, so that the sharded client is
    ``NewsbriefClient`` with these handlers and discord.py's sharding, and nothing else.
    """

    guilds: Sequence[discord.Guild]  # discord.Client's

    async def on_shard_connect(self, shard_id: int) -> None:
        log.info("Discord shard %d connected", shard_id)

    async def on_shard_ready(self, shard_id: int) -> None:
        servers = sum(1 for guild in self.guilds if guild.shard_id == shard_id)
        log.info("Discord shard %d is ready in %d servers", shard_id, servers)

    async def on_shard_resumed(self, shard_id: int) -> None:
        log.info("Discord shard %d resumed its session", shard_id)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        # discord.py reconnects (and resumes where it can) by itself; this says which one went.
        log.info("Discord shard %d disconnected", shard_id)


def shard_count_option(setting: int | str | None) -> dict[str, int | None]:
    """The client option for NEWSBRIEF_DISCORD_SHARDS: ``shard_count`` N, or None for "auto"
    (``recommended_shards`` fills it in after login); nothing when unset (no sharding)."""
    if setting is None:
        return {}
    return {"shard_count": setting if isinstance(setting, int) else None}


async def recommended_shards(client: discord.AutoShardedClient) -> int:
    """The shard count Discord recommends (GET /gateway/bot), set on ``client``.

    discord.py would ask itself when ``shard_count`` is None, but would then connect to the
    gateway address of that answer, ignoring DISCORD_GATEWAY_URL; asking here keeps it.
    """
    count, _url, _limits = await client.http.get_bot_gateway()
    client.shard_count = count
    log.info("Discord recommends %d shards for this bot", count)
    return count


def sharded_status(client: discord.AutoShardedClient) -> tuple[bool, str]:
    """Readiness of a ready sharded client: every shard connected, and how many there are."""
    shards = client.shards
    total = client.shard_count or len(shards)
    away = sorted(shard_id for shard_id, shard in shards.items() if shard.is_closed())
    if away:
        names = ", ".join(str(shard_id) for shard_id in away)
        return False, f"reconnecting shard {names} of {total}"
    return True, f"ready in {len(client.guilds)} servers on {total} shards"


def gateway_closed_error(closed: discord.ConnectionClosed) -> ConfigurationError | PlatformError:
    """What a gateway closed during start-up means: 4011, too few shards for this bot's
    servers (a setting to change); anything else, Discord unreachable for now."""
    if closed.code == 4011:
        return ConfigurationError(
            "Discord requires more gateway shards for this bot's servers; set "
            "NEWSBRIEF_DISCORD_SHARDS=auto (or a larger number)."
        )
    return PlatformError(f"Could not reach Discord (gateway closed with code {closed.code}).")
