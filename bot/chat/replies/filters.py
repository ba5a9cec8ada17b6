"""The ``filters`` and ``filter`` commands: show and change a channel's digest filters."""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.requests import Caller, Reply
from bot.digests.filters import figure_nouns, parse_terms
from bot.errors import InputError
from bot.store import Store
from bot.store.records.filters import ChannelFilter

MAX_FILTERS = 25  # per channel and topic: a longer list is a search, not a digest filter
USAGE = (
    'Use filter include <words, "phrases", /regex/ or figure deaths>, filter exclude <...>, '
    "filter remove <number> or filter clear."
)
RULE = "A story is shown when it matches one include term (if there are any) and no exclude term."


async def filters_reply(store: Store, caller: Caller) -> Reply:
    """``filters``: every filter of the channel, by topic."""
    found = await store.channel_filters(caller.platform, caller.channel)
    if not found:
        return Reply(
            text="This channel's digests have no filters; add one with filter include <words> "
            "or filter exclude <words>.",
            ephemeral=True,
        )
    lines: list[str] = []
    for topic in dict.fromkeys(item.topic for item in found):
        lines.append(f"Filters of this channel's {topic} digest:")
        lines += [_line(item) for item in found if item.topic == topic]
    lines.append(RULE)
    return Reply(text="\n".join(lines), ephemeral=True)


ACTIONS = frozenset({"include", "exclude", "remove", "clear"})


async def filter_reply(store: Store, caller: Caller, rest: str, topics: Sequence[str]) -> Reply:
    """``filter [topic] include|exclude <terms>``, ``filter remove <n>``, ``filter clear``.

    The topic is the channel's first subscription's (as for ``digest``) unless named first.
    """
    words = rest.split(maxsplit=2)
    subs = await store.list_subscriptions(platform=caller.platform, channel=caller.channel)
    topic = subs[0].topic if subs else "migration"
    if len(words) >= 2 and words[0].lower() in topics:  # "filter economy include oil"
        topic, rest = words[0].lower(), rest.split(maxsplit=1)[1]
        words = rest.split(maxsplit=2)
    elif len(words) >= 2 and words[1].lower() in ACTIONS:  # a topic that does not exist
        raise InputError(f"There is no topic {words[0]!r}; topics: {', '.join(topics)}.")
    action = words[0].lower() if words else ""
    if action in {"", "list"}:
        return await filters_reply(store, caller)
    if action not in ACTIONS:
        raise InputError(USAGE)
    if not caller.can_manage:
        raise InputError("Only people who can manage this channel can change that.")
    argument = rest.split(maxsplit=1)[1] if len(words) > 1 else ""
    if action == "remove":
        return await _remove(store, caller, argument)
    if action == "clear":
        count = await store.clear_channel_filters(caller.platform, caller.channel, topic)
        noun = "filter" if count == 1 else "filters"
        return Reply(text=f"Removed {count} {noun} from this channel's {topic} digest.")
    terms = parse_terms(argument)
    if not terms:
        raise InputError(USAGE)
    existing = await store.channel_filters(caller.platform, caller.channel, topic)
    if len(existing) + len(terms) > MAX_FILTERS:
        raise InputError(f"A digest can have at most {MAX_FILTERS} filters; remove some first.")
    added = []
    for kind, value in terms:
        item = ChannelFilter(
            caller.platform, caller.channel, topic, action, kind, value, created_by=caller.user
        )
        stored, _new = await store.add_channel_filter(item)
        added.append(_line(stored))
    verb = "shown only if they match" if action == "include" else "left out if they match"
    header = f"Stories in this channel's {topic} digest are {verb}:"
    return Reply(text="\n".join([header, *added, RULE]))


async def _remove(store: Store, caller: Caller, argument: str) -> Reply:
    number = argument.strip().lstrip("#")
    if not number.isdigit() or len(number) > 12:
        raise InputError("Give the filter's number, as filters shows it: filter remove 3.")
    if not await store.remove_channel_filter(caller.platform, caller.channel, int(number)):
        raise InputError(f"There is no filter #{number} in this channel; see filters.")
    return Reply(text=f"Removed filter #{number}.")


def _line(item: ChannelFilter) -> str:
    line = f"#{item.id} {item.mode} {item.describe()}"
    if item.kind == "figure":
        nouns = sorted(figure_nouns(item.value) - {item.value.lower()})[:6]
        if nouns:
            line += f" (also {', '.join(nouns)})"
    return line
