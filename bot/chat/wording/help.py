"""The help every platform shows, and the usage lines a platform adds under it (a footer)."""

from __future__ import annotations

__all__ = ["HELP", "help_text", "split_help"]

HELP = """\
Newsbrief summarizes news articles and posts a daily migration-news digest.
  summarize [N] <link or pasted text>   summary (N sentences, 1-10) and key figures of an article
  more | figures | sources          the last summary here: 5 sentences, every figure, where from
  digest                            today's digest for this channel, now
  digest <date>                     the digest this channel got that day (digest 2026-12-01)
  search <words> [since 7d]         the best 5 stored stories (this workspace's feeds)
  subscribe [topic] [time] [time zone]   daily digest here: 07:00, 7am or 7:30pm, any IANA zone
  subscriptions                     this channel's daily digests and when each runs next
  unsubscribe [topic]               stop the daily digest here
  feeds list | feeds add <url> | feeds remove <url>   the news feeds digests are built from
  filters | filter remove <n> | filter clear   this channel's digest filters
  filter include|exclude <words, "phrase", /regex/, figure deaths>   what its digest shows
  watch <what it counts> [place] [above N | below N | change P%]   alert here on a new figure
  watches | unwatch <id>            this channel's figure alerts
  settings [sentences N] [autosummarize on|off] [language en|es]   this channel's settings
  help                              this message"""


def help_text(default_zone: str = "UTC", footer: str | None = None) -> str:
    """HELP, the default subscription, then the platform's own usage lines (if any)."""
    parts = [HELP, f"A subscribe without a time is migration at 07:00 {default_zone}."]
    if footer:
        parts.append(footer)
    return "\n\n".join(parts)


def split_help(text: str) -> tuple[str, str] | None:
    """(the command table, what follows it) when ``text`` is a help answer, else None."""
    if not text.startswith(HELP):
        return None
    return HELP, text[len(HELP) :].strip()
