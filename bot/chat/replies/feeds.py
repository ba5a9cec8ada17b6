"""The ``feeds`` command: list, add or remove feeds of the caller's tenant only."""

from __future__ import annotations

from bot.chat.parsing import find_links
from bot.chat.requests import Caller, Reply
from bot.digests.feeds import FeedCatalog
from bot.errors import InputError

MANAGE_ONLY = "Only people who can manage this channel can change that."


async def feeds_reply(
    catalog: FeedCatalog, caller: Caller, action: str = "list", url: str | None = None
) -> Reply:
    """``feeds list``, ``feeds add <url>``, ``feeds remove <url>`` for the caller's tenant."""
    action = action.lower()
    tenant = caller.tenant_key
    if action == "list":
        feeds = await catalog.list(tenant)
        if not feeds:
            return Reply(text="No feeds yet; add one with: feeds add <url>.")
        lines = [f"{len(feeds)} feeds:"]
        for feed in feeds:
            state = f" — failing: {feed.last_error}" if feed.consecutive_failures else ""
            name = f"{feed.name} <{feed.url}>" if feed.name else feed.url
            lines.append(f"• {name}{state}")
        return Reply(text="\n".join(lines))
    if action not in {"add", "remove"}:
        raise InputError("Use feeds list, feeds add <url> or feeds remove <url>.")
    if not caller.can_manage:
        raise InputError(MANAGE_ONLY)
    if not url:
        raise InputError(f"Give the feed's address: feeds {action} <url>.")
    url = find_links(url)[0] if find_links(url) else url
    if action == "remove":
        removed = await catalog.remove(tenant, url)
        return Reply(
            text=f"Removed the feed {url}." if removed else f"{url} is not one of the feeds.",
            ephemeral=not removed,
        )
    parsed = await catalog.add(tenant, url)
    return Reply(text=f"Added the feed {parsed.title or url} ({len(parsed.items)} items now).")
