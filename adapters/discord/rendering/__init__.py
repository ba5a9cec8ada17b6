"""Summaries, digests and updates as Discord messages and embeds, within Discord's limits,
with mentions defused (safety)."""
