"""How the fake Discord injects a slash or message command as INTERACTION_CREATE (a mixin of
FakeDiscord, which holds the commands, channels, users, gateway and interaction records)."""

from __future__ import annotations

from typing import Any

from fakes import discord_payloads as p
from fakes.discord_interactions import FakeInteraction

Payload = dict[str, Any]


class SlashCommandInjection:
    """``invoke`` and ``invoke_message_command``; the attributes below are FakeDiscord's."""

    commands: dict[str, list[Payload]]
    channels: dict[str, Payload]
    app_id: int
    editor: Payload
    reader: Payload
    interactions: Any
    gateway: Any

    async def invoke(
        self,
        name: str,
        options: dict[str, str | int | bool] | None = None,
        *,
        manager: bool = True,
        channel: str = "news",
        focused: str | None = None,
        bot_permissions: int = p.BOT_PERMISSIONS,
        user: Payload | None = None,
    ) -> FakeInteraction:
        """A slash command ("feeds add" for a subcommand), or its autocomplete with ``focused``;
        from ``user`` (a user payload) instead of the editor or the reader if given."""
        command, _, sub = name.partition(" ")
        values = [
            {"name": k, "type": _option_type(v), "value": v}
            | ({"focused": True} if k == focused else {})
            for k, v in (options or {}).items()
        ]
        if sub:
            values = [{"name": sub, "type": 1, "options": values}]
        data = self._command_data(command, 1) | {"options": values}
        kind = 4 if focused else 2
        return await self._interact(
            data, kind, manager=manager, channel=channel, bot_permissions=bot_permissions, user=user
        )

    async def invoke_message_command(
        self, name: str, target: Payload, *, manager: bool = False, channel: str = "news"
    ) -> FakeInteraction:
        """A message context-menu command on ``target`` (a message payload)."""
        data = self._command_data(name, 3) | {
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        return await self._interact(data, 2, manager=manager, channel=channel)

    def _command_data(self, name: str, kind: int) -> Payload:
        for scope, commands in self.commands.items():
            for command in commands:
                if command["name"] == name and command.get("type", 1) == kind:
                    guild = {"guild_id": scope} if scope != "global" else {}
                    return {"id": command["id"], "name": name, "type": kind} | guild
        return {"id": str(p.snowflake()), "name": name, "type": kind}

    async def _interact(
        self,
        data: Payload,
        kind: int,
        *,
        manager: bool,
        channel: str,
        bot_permissions: int = p.BOT_PERMISSIONS,
        user: Payload | None = None,
    ) -> FakeInteraction:
        permissions = p.MEMBER_PERMISSIONS | (p.MANAGE_CHANNELS if manager else 0)
        who = user or (self.editor if manager else self.reader)
        payload = p.interaction(
            application_id=self.app_id,
            kind=kind,
            data=data,
            guild_id=int(self.channels[channel]["guild_id"]),
            channel=self.channels[channel],
            member_payload=p.member(who, permissions=permissions),
            app_permissions=bot_permissions,
        )
        record = self.interactions.track(payload)
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return record


def _option_type(value: object) -> int:
    return 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
