"""The More / Figures / Sources buttons under a Slack summary, and their answers as messages.

Each button's ``value`` is the summary's key and nothing else; the core (``Commands.expand``)
only looks it up, and checks that the click comes from the summary's own workspace and channel.
"""

from __future__ import annotations

import re
from dataclasses import replace

from adapters.slack.rendering.render import MAX_BLOCKS, SlackMessage, reply_messages
from adapters.slack.rendering.safety import own_text, plain, quote
from bot.chat.replies.expand import VIEWS
from bot.chat.requests import Reply

ACTION_ID = re.compile(r"^newsbrief_(more|figures|sources)$")  # bolt's app.action matcher
BLOCK_ID = "newsbrief_summary_controls"
LABELS = {
    "en": {"more": "More", "figures": "Figures", "sources": "Sources"},
    "es": {"more": "Más", "figures": "Cifras", "sources": "Fuentes"},
}
SECTION_CHARS = 3000
MAX_ANSWER_MESSAGES = 5  # a response_url takes 5 posts


def controls_block(key: str, language: str = "en") -> dict[str, object]:
    """An actions block with the three buttons, each carrying only ``key``."""
    labels = LABELS.get(language, LABELS["en"])
    return {
        "type": "actions",
        "block_id": BLOCK_ID,
        "elements": [
            {
                "type": "button",
                "action_id": f"newsbrief_{view}",
                "text": {"type": "plain_text", "text": plain(labels[view]), "emoji": False},
                "value": key,
            }
            for view in VIEWS
        ],
    }


def view_of(action_id: str) -> str | None:
    """ "more", "figures" or "sources" for one of our buttons' action ids."""
    match = ACTION_ID.fullmatch(action_id)
    return match[1] if match else None


def summary_messages(reply: Reply) -> list[SlackMessage]:
    """``render.reply_messages``, with the buttons under a summary that has a key."""
    messages = reply_messages(reply)
    if reply.summary is None or not reply.controls or len(messages) != 1:
        return messages
    (message,) = messages
    if len(message.blocks) >= MAX_BLOCKS:
        return messages
    block = controls_block(reply.controls, reply.language)
    return [replace(message, blocks=(*message.blocks, block))]


def answer_messages(reply: Reply) -> list[SlackMessage]:
    """A button's answer: the longer summary as a summary, a list (figures, sources) line by
    line in as many sections and messages as it needs, a failure as one sentence."""
    if reply.summary is not None or reply.error or not reply.text:
        return reply_messages(reply)
    # Every line quotes article text: escaped like a summary's sentences (quote), not like the
    # bot's own words, so no mention, entity or mrkdwn marker in it does anything.
    lines = [quote(line, SECTION_CHARS) for line in reply.text.splitlines() if line.strip()]
    messages: list[SlackMessage] = []
    blocks: list[dict[str, object]] = []
    section: list[str] = []
    size = 0
    for line in lines:
        if section and size + 1 + len(line) > SECTION_CHARS:
            blocks.append(_section("\n".join(section)))
            section, size = [], 0
        if len(blocks) == MAX_BLOCKS:
            messages.append(_message(reply.text, blocks))
            blocks = []
        section.append(line)
        size += len(line) + (1 if size else 0)
    if section:
        blocks.append(_section("\n".join(section)))
    if blocks:
        messages.append(_message(reply.text, blocks))
    return messages[:MAX_ANSWER_MESSAGES]


def _message(text: str, blocks: list[dict[str, object]]) -> SlackMessage:
    first = text.splitlines()[0] if text else ""
    return SlackMessage(text=own_text(first, 300), blocks=tuple(blocks))


def _section(mrkdwn: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn, "verbatim": True}}
