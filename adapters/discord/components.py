"""The More / Figures / Sources buttons under a Discord summary, as discord.py items.

Each button's custom_id is ``nb:<view>:<key>``; ``SummaryButton`` is a dynamic item registered
on the client (``add_dynamic_items``), so a click on a summary posted before a restart still
reaches the bot: no view has to be kept in memory, and ``timeout=None`` never expires them.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.chat.replies.expand import VIEWS

TEMPLATE = r"nb:(?P<view>more|figures|sources):(?P<key>[A-Za-z0-9_-]{8,64})"
LABELS = {
    "en": {"more": "More", "figures": "Figures", "sources": "Sources"},
    "es": {"more": "Más", "figures": "Cifras", "sources": "Fuentes"},
}


class SummaryButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=TEMPLATE,
):
    """One button; its custom_id names the answer and the summary's key, nothing else."""

    def __init__(self, view_name: str, key: str, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or LABELS["en"].get(view_name, view_name),
                style=discord.ButtonStyle.secondary,
                custom_id=f"nb:{view_name}:{key}",
            )
        )
        self.view_name = view_name
        self.key = key

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> SummaryButton:
        return cls(match["view"], match["key"], getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        # The client carries the handler (adapters.discord.buttons.ButtonPresses): items are
        # rebuilt by discord.py from the custom_id, so they cannot be handed one.
        presses = getattr(interaction.client, "summary_buttons", None)
        if presses is not None:
            await presses.press(interaction, self.view_name, self.key)


def summary_view(key: str, language: str = "en") -> discord.ui.View:
    """The row of three buttons for the summary registered under ``key``."""
    labels = LABELS.get(language, LABELS["en"])
    view = discord.ui.View(timeout=None)  # never expires: the store decides what is answered
    for name in VIEWS:
        view.add_item(SummaryButton(name, key, labels[name]))
    return view
