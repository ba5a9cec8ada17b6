"""Point discord.py at the configured REST API and gateway, and sync commands only on change."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

log = logging.getLogger(__name__)

DISCORD_API_URL = "https://discord.com/api/v10"


def use_endpoints(api_url: str, gateway_url: str | None) -> Callable[[], None]:
    """Make discord.py use ``api_url`` and ``gateway_url``; returns a function that undoes it.

    discord.py has no per-client setting for either: every REST route (webhooks and interaction
    callbacks included) is built from the class attribute ``Route.BASE`` when a request is made,
    and ``Client.connect`` opens ``DiscordWebSocket.DEFAULT_GATEWAY`` (and falls back to it after
    an invalidated session; resumes go to READY's resume_gateway_url). Both are PROCESS-GLOBAL,
    so every discord.py client in this process uses these endpoints until undone; Newsbrief runs
    one Discord client per process.
    """
    previous_base, previous_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_url.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)

    def restore() -> None:
        Route.BASE = previous_base
        DiscordWebSocket.DEFAULT_GATEWAY = previous_gateway

    return restore


async def discover_gateway(client: discord.Client) -> None:
    """Use the gateway the REST API names (GET /gateway/bot), as Discord recommends."""
    _shards, url, _limits = await client.http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


def commands_hash(tree: app_commands.CommandTree, guild: discord.Object | None) -> str:
    """A hash of exactly the JSON that ``CommandTree.sync`` would send for this scope."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


async def sync_commands(
    tree: app_commands.CommandTree,
    application_id: int,
    guild_ids: Sequence[int],
    state_path: Path,
) -> list[str]:
    """Sync the command tree where it changed since the last sync; returns the scopes synced.

    Discord caps command creations per day, and a sync at every start would spend them, so the
    hash of each scope's payload is kept in ``state_path`` (a small JSON file of its own,
    ``DISCORD_STATE_FILE``, whatever the database) and a scope is synced only when its hash
    differs. Delete the file to force a sync (e.g. after deleting commands by hand in the
    Developer Portal). With ``guild_ids`` the
    commands go to those guilds only (they appear at once: for testing); otherwise globally.
    """
    saved = _read_state(state_path)
    scopes: list[tuple[str, discord.Object | None]] = [("global", None)]
    if guild_ids:
        scopes = [(f"guild:{gid}", discord.Object(id=gid)) for gid in guild_ids]
        for _, guild in scopes:
            assert guild is not None
            tree.copy_global_to(guild=guild)
    synced = []
    for name, guild in scopes:
        key = f"{application_id}:{name}"
        digest = commands_hash(tree, guild)
        if saved.get(key) == digest:
            continue
        try:
            await tree.sync(guild=guild)
        except discord.Forbidden:
            log.warning(
                "Cannot sync commands to %s: invite the bot with applications.commands", name
            )
            continue
        saved[key] = digest
        synced.append(name)
        _write_state(state_path, saved)
    return synced


def _read_state(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_state(path: Path, state: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)
