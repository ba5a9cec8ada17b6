"""Prometheus metrics of the running bot: summaries, fetches, feeds, deliveries, platform answers.

One registry of our own (not prometheus_client's global one), so /metrics shows exactly these
and tests can read them. The names follow Prometheus conventions (``_total`` is added to
counters by the client, ``_seconds`` for durations).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

from bot.errors import NewsbriefError

REGISTRY = CollectorRegistry()

SUMMARIES = Counter(
    "newsbrief_summaries",
    "Summary requests answered, by outcome (ok, refused, failed, rate_limited).",
    ["outcome"],
    registry=REGISTRY,
)
FETCH_SECONDS = Histogram(
    "newsbrief_fetch_seconds",
    "Time to fetch one page or feed, redirects included.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30),
    registry=REGISTRY,
)
FEED_FAILURES = Counter("newsbrief_feed_failures", "Feed polls that failed.", registry=REGISTRY)
DELIVERIES = Counter(
    "newsbrief_deliveries",
    "Digest deliveries by state (sent, found_sent, skipped, in_progress, failed).",
    ["state"],
    registry=REGISTRY,
)
PLATFORM_RATE_LIMITED = Counter(
    "newsbrief_platform_rate_limited",
    "Answers of 429 (rate limited) from a chat platform.",
    ["platform"],
    registry=REGISTRY,
)
PLATFORM_RETRIES = Counter(
    "newsbrief_platform_retries",
    "Requests to a chat platform sent again after a failure.",
    ["platform"],
    registry=REGISTRY,
)
ACK_SECONDS = Histogram(
    "newsbrief_ack_seconds",
    "Time from receiving a platform request to acknowledging it.",
    ["platform"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3),
    registry=REGISTRY,
)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


@contextlib.contextmanager
def counting_summary() -> Iterator[None]:
    """Count the summary made inside by its outcome: ok; refused, for a user-facing error (a
    dead link, a PDF, a paywall) or the error's own ``metric_outcome`` (rate_limited); failed."""
    try:
        yield
    except Exception as err:
        outcome = getattr(err, "metric_outcome", None)
        if outcome is None:
            outcome = "refused" if isinstance(err, NewsbriefError) else "failed"
        SUMMARIES.labels(outcome=outcome).inc()
        raise
    SUMMARIES.labels(outcome="ok").inc()
