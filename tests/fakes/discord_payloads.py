"""JSON payloads in the shapes Discord sends them (users, members, guilds, messages, interactions).

Only the fields discord.py 2.x reads are filled in; each builder takes ids as ints and writes
them as strings, as Discord does.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

Payload = dict[str, Any]

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MANAGE_CHANNELS = 1 << 4
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY
BOT_PERMISSIONS = MEMBER_PERMISSIONS | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS

# Gateway intents and application flags.
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_MESSAGE_CONTENT = 1 << 15
APP_FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19

_snowflakes = itertools.count(1_300_000_000_000_000_000)


def snowflake() -> int:
    """A fresh, increasing id."""
    return next(_snowflakes)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def application(application_id: int, owner: Payload, flags: int) -> Payload:
    """GET /oauth2/applications/@me."""
    return {
        "id": str(application_id),
        "name": "Newsbrief",
        "icon": None,
        "description": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": owner,
        "verify_key": "0" * 64,
        "flags": flags,
        "team": None,
        "summary": "",
        "rpc_origins": [],
        "tags": [],
        "interactions_endpoint_url": None,
    }


def snowflake_after(guild_id: int, step: int) -> int:
    """An id ``step`` timestamp units (bits above 22) after ``guild_id``: with N shards, ids
    1..N-1 steps after one land on the N-1 other shards, ``(id >> 22) % N``."""
    return guild_id + (step << 22)


def bot_gateway(url: str, shards: int = 1) -> Payload:
    """GET /gateway/bot; ``shards`` is the count Discord recommends."""
    limits = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
    return {"url": url, "shards": shards, "session_start_limit": limits}


def ready(
    bot: Payload,
    guild_ids: list[int],
    session_id: str,
    resume_url: str,
    application: Payload,
    shard: tuple[int, int] = (0, 1),
) -> Payload:
    """The READY event of one shard: its guilds follow, unavailable until their GUILD_CREATE."""
    return {
        "v": 10,
        "user": bot,
        "guilds": [{"id": str(guild_id), "unavailable": True} for guild_id in guild_ids],
        "shard": list(shard),
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "application": {"id": application["id"], "flags": application["flags"]},
        "private_channels": [],
        "relationships": [],
        "presences": [],
    }


def user(user_id: int, name: str, *, bot: bool = False) -> Payload:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def member(user_payload: Payload, *, permissions: int | None = None) -> Payload:
    data: Payload = {
        "user": user_payload,
        "roles": [],
        "joined_at": now_iso(),
        "deaf": False,
        "mute": False,
        "flags": 0,  # discord.py reads it unconditionally
        "pending": False,
        "nick": None,
        "avatar": None,
        "premium_since": None,
        "communication_disabled_until": None,
    }
    if permissions is not None:  # only interaction payloads carry computed permissions
        data["permissions"] = str(permissions)
    return data


def text_channel(channel_id: int, guild_id: int, name: str, position: int = 0) -> Payload:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def thread_channel(thread_id: int, parent: Payload, owner_id: int, name: str) -> Payload:
    return {
        "id": str(thread_id),
        "type": 11,
        "guild_id": parent["guild_id"],
        "parent_id": parent["id"],
        "owner_id": str(owner_id),
        "name": name,
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": now_iso(),
            "locked": False,
        },
    }


def guild(guild_id: int, owner_id: int, channels: list[Payload], members: list[Payload]) -> Payload:
    everyone = {
        "id": str(guild_id),
        "name": "@everyone",
        "permissions": str(MEMBER_PERMISSIONS),
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
    return {
        "id": str(guild_id),
        "name": "Newsroom",
        "icon": None,
        "owner_id": str(owner_id),
        "member_count": len(members),
        "large": False,
        "unavailable": False,
        "joined_at": now_iso(),
        "channels": channels,
        "threads": [],
        "members": members,
        "roles": [everyone],
        "emojis": [],
        "stickers": [],
        "features": [],
        "voice_states": [],
        "presences": [],
        "guild_scheduled_events": [],
        "stage_instances": [],
        "soundboard_sounds": [],
        "preferred_locale": "en-US",
        "premium_tier": 0,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
    }


def message(
    channel_id: int | str,
    author: Payload,
    content: str = "",
    *,
    guild_id: int | None = None,
    embeds: list[Payload] | None = None,
    mentions: list[Payload] | None = None,
    flags: int = 0,
    nonce: str | None = None,
    extra: Payload | None = None,
) -> Payload:
    data: Payload = {
        "id": str(snowflake()),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "pinned": False,
        "type": 0,
        "flags": flags,
        "components": [],
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if nonce is not None:
        data["nonce"] = nonce
    data.update(extra or {})
    return data


def interaction(
    *,
    application_id: int,
    kind: int,
    data: Payload,
    guild_id: int,
    channel: Payload,
    member_payload: Payload,
    app_permissions: int = BOT_PERMISSIONS,
) -> Payload:
    """An INTERACTION_CREATE payload: type 2 (command) or 4 (autocomplete)."""
    return {
        "id": str(snowflake()),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "guild_id": str(guild_id),
        "guild": {"id": str(guild_id), "locale": "en-US", "features": []},
        "channel_id": channel["id"],
        "channel": channel,
        "member": member_payload,
        "token": f"itoken-{snowflake()}",
        "version": 1,
        "app_permissions": str(app_permissions),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
