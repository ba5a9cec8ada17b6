"""The ``watch``, ``watches`` and ``unwatch`` commands: a channel's figure alerts (bot.alerts)."""

from __future__ import annotations

import re
from datetime import datetime

from bot.alerts.message import watch_label
from bot.chat.requests import Caller, Reply
from bot.errors import InputError
from bot.store import Store
from bot.store.records.alerts import Condition, Watch

MAX_WATCHES_PER_CHANNEL = 20
MAX_WORDS_CHARS = 60
USAGE = (
    "Use watch <what it counts> [place] [above N | below N | change P%], "
    "for example watch deaths Mediterranean or watch apprehensions above 200000."
)
_CONDITIONS: dict[str, Condition] = {
    "above": "above",
    "over": "above",
    "encima": "above",
    "below": "below",
    "under": "below",
    "debajo": "below",
    "change": "change",
    "cambio": "change",
}
# 200000, 200,000, 200.000, 200k, 1.5m, 10%: thousands separators of either language.
_NUMBER = re.compile(r"^(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*([km]?)\s*%?$", re.IGNORECASE)


def parse_number(text: str) -> float:
    match = _NUMBER.match(text.strip())
    if match is None:
        raise InputError(f"{text!r} is not a number I can read; write it like 200000 or 10%.")
    digits, scale = match.groups()
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
        value = float(re.sub(r"[.,]", "", digits))
    else:
        value = float(digits.replace(",", "."))
    return value * {"": 1, "k": 1_000, "m": 1_000_000}[scale.lower()]


def parse_watch(words: list[str]) -> tuple[str, str | None, Condition | None, float | None]:
    """(what, place, condition, threshold) from ``deaths Mediterranean above 100``."""
    if not words:
        raise InputError(USAGE)
    condition: Condition | None = None
    threshold: float | None = None
    cut = next((i for i, w in enumerate(words) if w.lower() in _CONDITIONS), len(words))
    if cut < len(words):
        rest = words[cut + 1 :]
        if len(rest) != 1:
            raise InputError(USAGE)
        condition = _CONDITIONS[words[cut].lower()]
        threshold = parse_number(rest[0])
        if condition == "change" and threshold <= 0:
            raise InputError("A change must be more than 0%, such as change 10%.")
    if cut == 0:
        raise InputError(USAGE)
    what, place = words[0], " ".join(words[1:cut]) or None
    if not any(ch.isalpha() for ch in what):
        raise InputError(USAGE)
    if len(what) > MAX_WORDS_CHARS or (place and len(place) > MAX_WORDS_CHARS):
        raise InputError(f"Keep what and where under {MAX_WORDS_CHARS} characters each.")
    return what, place, condition, threshold


def _require_manage(caller: Caller) -> None:
    if not caller.can_manage:
        raise InputError("Only people who can manage this channel can change that.")


async def watch_reply(store: Store, caller: Caller, words: list[str], now: datetime) -> Reply:
    _require_manage(caller)
    what, place, condition, threshold = parse_watch(words)
    mine = await store.list_watches(caller.tenant_key, caller.platform, caller.channel)
    if len(mine) >= MAX_WATCHES_PER_CHANNEL:
        raise InputError(
            f"This channel has {MAX_WATCHES_PER_CHANNEL} figure alerts already; "
            "remove one with unwatch <id>."
        )
    watch = await store.add_watch(
        Watch(
            platform=caller.platform,
            channel=caller.channel,
            tenant=caller.tenant_key,
            what=what,
            place=place,
            condition=condition,
            threshold=threshold,
            created_by=caller.user,
            created_at=now,
        )
    )
    return Reply(
        text=f"Watching {watch_label(watch)}: new articles with that figure will be posted "
        "here (articles from now on only)."
    )


async def watches_reply(store: Store, caller: Caller) -> Reply:
    mine = await store.list_watches(caller.tenant_key, caller.platform, caller.channel)
    if not mine:
        return Reply(text="No figure alerts here; add one with watch deaths.", ephemeral=True)
    lines = "\n".join(watch_label(watch) for watch in mine)
    return Reply(text=f"Figure alerts here:\n{lines}", ephemeral=True)


async def unwatch_reply(store: Store, caller: Caller, words: list[str]) -> Reply:
    _require_manage(caller)
    if len(words) != 1 or not words[0].lstrip("#").isdigit():
        raise InputError("Use unwatch <id>; watches lists the ids.")
    watch_id = int(words[0].lstrip("#"))
    if not await store.remove_watch(caller.tenant_key, caller.platform, caller.channel, watch_id):
        raise InputError(f"There is no figure alert #{watch_id} in this channel.")
    return Reply(text=f"Removed figure alert #{watch_id}.")
