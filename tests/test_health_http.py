"""/healthz, /readyz and /metrics through a real HTTP client against the bot's health server."""

from __future__ import annotations

import asyncio

import aiohttp

from adapters.health_http import HealthServer
from bot import metrics
from bot.health import Health


async def _get(port: int, path: str) -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, response.headers["Content-Type"], await response.text()


async def test_healthz_answers_while_readyz_reports_each_failing_check() -> None:
    health = Health()
    store_ok = {"value": True}
    health.add("store", lambda: (store_ok["value"], "open"))

    async def platform() -> tuple[bool, str]:
        return False, "slack: not connected"

    health.add("platform:slack", platform)
    server = HealthServer(health, "127.0.0.1", 0)
    await server.start()
    try:
        assert server.port
        status, _, body = await _get(server.port, "/healthz")
        assert status == 200 and '"ok"' in body
        status, content_type, body = await _get(server.port, "/readyz")
        assert status == 503 and content_type.startswith("application/json")
        assert "slack: not connected" in body and '"not ready"' in body

        async def connected() -> tuple[bool, str]:
            return True, "slack: connected"

        health.add("platform:slack", connected)
        status, _, body = await _get(server.port, "/readyz")
        assert status == 200 and '"ready"' in body
        store_ok["value"] = False
        status, _, _ = await _get(server.port, "/readyz")
        assert status == 503
    finally:
        await server.aclose()


async def test_a_probe_that_raises_or_hangs_is_a_failed_check_not_a_crash(monkeypatch) -> None:
    monkeypatch.setattr("bot.health.PROBE_TIMEOUT_S", 0.2)
    health = Health()

    def broken() -> tuple[bool, str]:
        raise RuntimeError("database is locked")

    async def hanging() -> tuple[bool, str]:
        await asyncio.sleep(30)
        return True, "never"

    health.add("store", broken)
    health.add("scheduler", hanging)
    server = HealthServer(health, "127.0.0.1", 0)
    await server.start()
    try:
        assert server.port
        status, _, body = await _get(server.port, "/readyz")
        assert status == 503
        assert "RuntimeError: database is locked" in body and "no answer within" in body
    finally:
        await server.aclose()


async def test_metrics_are_prometheus_text_with_the_bot_counters() -> None:
    before = metrics.SUMMARIES.labels(outcome="ok")._value.get()
    metrics.SUMMARIES.labels(outcome="ok").inc()
    metrics.PLATFORM_RATE_LIMITED.labels(platform="slack").inc()
    server = HealthServer(Health(), "127.0.0.1", 0)
    await server.start()
    try:
        assert server.port
        status, content_type, body = await _get(server.port, "/metrics")
    finally:
        await server.aclose()
    assert status == 200 and content_type.startswith("text/plain")
    assert f'newsbrief_summaries_total{{outcome="ok"}} {before + 1:.1f}' in body
    assert 'newsbrief_platform_rate_limited_total{platform="slack"}' in body
    for name in ("newsbrief_fetch_seconds", "newsbrief_deliveries", "newsbrief_ack_seconds"):
        assert f"# HELP {name}" in body
