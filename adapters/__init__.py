"""Chat-platform adapters (console, Slack, Discord) that translate to and from the core."""
