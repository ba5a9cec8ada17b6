"""GET /healthz, /readyz and /metrics over aiohttp: on the Slack events server or on their own."""

from __future__ import annotations

import json
import time

from aiohttp import web

from bot.errors import ConfigurationError
from bot.health import Health
from bot.metrics import exposition

HEALTH_PATHS = ("/healthz", "/readyz", "/metrics")


def add_health_routes(app: web.Application, health: Health) -> None:
    """Serve the three endpoints from ``app``: the Slack events server, or one of their own."""

    async def healthz(request: web.Request) -> web.Response:
        # Answering at all means the process and its event loop are alive.
        uptime = time.monotonic() - health.started_at
        return web.json_response({"status": "ok", "uptime_s": round(uptime, 1)})

    async def readyz(request: web.Request) -> web.Response:
        checks = await health.readiness()
        ready = all(check.ok for check in checks)
        body = {
            "status": "ready" if ready else "not ready",
            "checks": [
                {"name": check.name, "ok": check.ok, "detail": check.detail} for check in checks
            ],
        }
        return web.Response(
            status=200 if ready else 503,
            text=json.dumps(body, ensure_ascii=False),
            content_type="application/json",
        )

    async def metrics(request: web.Request) -> web.Response:
        payload, content_type = exposition()
        response = web.Response(body=payload)
        response.headers["Content-Type"] = content_type
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


class HealthServer:
    """A small server of their own, for Socket Mode and Discord-only deployments."""

    def __init__(self, health: Health, host: str, port: int) -> None:
        self._health = health
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> None:
        app = web.Application()
        add_health_routes(app, self._health)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        try:
            await site.start()
        except OSError as err:
            await self._runner.cleanup()
            raise ConfigurationError(
                f"Cannot serve /readyz on {self._host}:{self._port} ({err.strerror or err}); "
                "set NEWSBRIEF_HTTP_HOST and NEWSBRIEF_HTTP_PORT to a free address."
            ) from None
        self.port = self._runner.addresses[0][1]

    async def aclose(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
