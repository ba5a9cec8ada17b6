"""Slack adapter: slash command, pasted links, message shortcut and digests via slack-bolt."""

from adapters.slack.app import EVENTS_PATH, SlackAdapter
from adapters.slack.handlers import COMMAND, SHORTCUT_CALLBACK_ID

__all__ = ["COMMAND", "EVENTS_PATH", "SHORTCUT_CALLBACK_ID", "SlackAdapter"]
