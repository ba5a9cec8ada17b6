"""Summaries, digests and updates as Slack Block Kit messages, within Slack's limits, with
mrkdwn and mentions made inert (safety)."""
