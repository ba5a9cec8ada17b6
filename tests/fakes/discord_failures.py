"""Failures on demand for the fake Discord: 429s as Discord sends them, errors, hang-ups, stalls."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Failure:
    """Fail ``times`` requests matching ``method`` and ``path`` once ``after`` went through."""

    method: str
    path: re.Pattern[str]
    status: int  # 429: rate limited, with retry_after; 0 with hang_up
    times: int
    retry_after: float = 0.05
    after_store: bool = False  # do the work, then fail: the answer is lost
    hang_up: bool = False  # close the connection without answering
    after: int = 0
    hold: float = 0.0  # seconds to keep the request first (past the client's timeout)


class Failures:
    """The failure rules of one fake; the first matching rule with requests left applies."""

    def __init__(self) -> None:
        self.rules: list[Failure] = []
        self._release_held = asyncio.Event()

    def release_held(self) -> None:
        """Let every held request go now (the fake is closing)."""
        self._release_held.set()

    def add(self, failure: Failure) -> None:
        self.rules.append(failure)

    async def answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Fail the request if a rule says so, else let ``handler`` answer it."""
        failure = self._pick(request)
        if failure is None:
            return await handler(request)
        if failure.after_store:
            await handler(request)
        if failure.hold:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._release_held.wait(), failure.hold)
        if failure.hang_up:
            if request.transport is not None:  # None: the client already gave up
                request.transport.close()
            return web.Response()
        if failure.status == 429:
            # discord.py takes a 429 without Via for a Cloudflare ban and does not retry it.
            body = {"message": "You are being rate limited.", "retry_after": failure.retry_after}
            headers = {"Via": "1.1 google", "Retry-After": str(failure.retry_after)}
            return json_response(body | {"global": False, "code": 0}, status=429, headers=headers)
        return json_response({"message": "Injected failure", "code": 0}, status=failure.status)

    def _pick(self, request: web.Request) -> Failure | None:
        for failure in self.rules:
            matches = failure.method == request.method and failure.path.search(request.path)
            if not (failure.times and matches):
                continue
            if failure.after:
                failure.after -= 1
                return None
            failure.times -= 1
            return failure
        return None


def json_response(
    data: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response whose Content-Type is exactly application/json (no charset): discord.py
    decodes nothing else."""
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
