"""Discord adapter: discord.py events in, core commands out, embeds back (see docs/discord.md)."""

from adapters.discord.client import DiscordAdapter

__all__ = ["DiscordAdapter"]
