"""A local aiohttp web server on 127.0.0.1 for tests: fixture files plus routes a test registers.

Typical use (the ``web`` fixture in conftest.py starts one per test)::

    async def test_page(web, fetcher):
        web.respond("/hello", "<html>hi</html>")          # fixed answer
        web.redirect_chain("/r", hops=3, target="/hello")  # /r -> /r/1 -> /r/2 -> /hello
        result = await fetcher.fetch(web.url("/r"))
        assert web.hits["/hello"] == 1

Files under ``tests/fixtures/`` are served at their relative path (``/fetch/article.html``) with
a content type guessed from the extension. A ``.gz`` file is served raw as application/gzip, or
with ``?encoding=gzip`` as its inner type with ``Content-Encoding: gzip``.

Every request is recorded (``requests``, ``hits``) before it is answered, so a test can prove
that NO request reached the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import TracebackType

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

FIXTURES = Path(__file__).parent / "fixtures"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    query: str
    headers: CIMultiDictProxy[str]


class WebServer:
    """HTTP server on 127.0.0.1 with a random port; use ``async with`` or start()/close()."""

    def __init__(self, fixtures: Path = FIXTURES, host: str = "127.0.0.1") -> None:
        self.fixtures = fixtures
        self.host = host
        self.port = 0
        self.requests: list[RecordedRequest] = []
        self.hits: Counter[str] = Counter()
        self._routes: dict[str, Handler] = {}
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handle_signals=False)

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        await self._runner.cleanup()

    async def __aenter__(self) -> WebServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def url(self, path: str = "/", host: str | None = None) -> str:
        """Full URL of ``path`` on this server (``host`` overrides the address in the URL)."""
        return f"http://{host or self.host}:{self.port}{path}"

    # --- registering routes -------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` (any method, any query) with ``handler``."""
        self._routes[path] = handler

    def respond(
        self,
        path: str,
        body: str | bytes = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/html",
        charset: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Fixed answer; ``content_type=None`` sends no Content-Type header at all."""
        payload = body.encode(charset or "utf-8") if isinstance(body, str) else body
        response_headers = CIMultiDict(headers or {})
        if content_type is not None:
            suffix = f"; charset={charset}" if charset else ""
            response_headers["Content-Type"] = content_type + suffix

        async def handler(request: web.Request) -> web.StreamResponse:
            if content_type is None:
                return await _send_untyped(request, status, payload, response_headers)
            return web.Response(status=status, body=payload, headers=response_headers)

        self.route(path, handler)

    def redirect(self, path: str, location: str, *, status: int = 302) -> None:
        """``path`` redirects to ``location`` (absolute or relative, sent as given)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, headers={"Location": location})

        self.route(path, handler)

    def redirect_chain(self, path: str, *, hops: int, target: str, status: int = 302) -> None:
        """``path`` -> ``path/1`` -> ... -> ``target``: exactly ``hops`` redirects."""
        steps = [path, *(f"{path}/{i}" for i in range(1, hops))]
        for step, following in zip(steps, [*steps[1:], target], strict=True):
            self.redirect(step, following, status=status)

    def trickle(self, path: str, *, interval: float = 0.1, content_type: str = "text/html") -> None:
        """Headers at once, then one byte every ``interval`` seconds, forever."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": content_type})
            await response.prepare(request)
            with contextlib.suppress(ConnectionError):  # the client hangs up: that is the point
                while True:
                    await response.write(b"x")
                    await asyncio.sleep(interval)
            return response

        self.route(path, handler)

    def endless(self, path: str, *, chunk_size: int = 16 * 1024) -> None:
        """A text/html body that never ends (chunked, as fast as the client reads)."""
        chunk = b"<p>" + b"a" * (chunk_size - 3)

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            await response.prepare(request)
            with contextlib.suppress(ConnectionError):
                while True:
                    await response.write(chunk)
            return response

        self.route(path, handler)

    def gzip_bomb(self, path: str, *, decoded_bytes: int = 64 * 1024 * 1024) -> int:
        """Small gzip body that decodes to ``decoded_bytes`` of zeros; returns its wire size."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = bytes(1024 * 1024)
        parts = [compressor.compress(block) for _ in range(decoded_bytes // len(block))]
        payload = b"".join([*parts, compressor.flush()])
        self.respond(path, payload, headers={"Content-Encoding": "gzip"})
        return len(payload)

    def conditional(
        self, path: str, body: str, *, etag: str, last_modified: str, content_type: str
    ) -> None:
        """Answers 304 when If-None-Match or If-Modified-Since says the client is current."""
        modified = parsedate_to_datetime(last_modified)
        validators = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}

        async def handler(request: web.Request) -> web.StreamResponse:
            if_none_match = request.headers.get("If-None-Match")
            if_modified_since = request.headers.get("If-Modified-Since")
            fresh = (
                etag in (if_none_match or "").split(", ")
                if if_none_match is not None
                else if_modified_since is not None
                and parsedate_to_datetime(if_modified_since) >= modified
            )
            if fresh:
                return web.Response(status=304, headers=validators)
            headers = {**validators, "Content-Type": content_type}
            return web.Response(body=body.encode(), headers=headers)

        self.route(path, handler)

    # --- serving ------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            RecordedRequest(request.method, request.path, request.query_string, request.headers)
        )
        self.hits[request.path] += 1
        handler = self._routes.get(request.path)
        if handler is not None:
            return await handler(request)
        return self._serve_file(request)

    def _serve_file(self, request: web.Request) -> web.StreamResponse:
        root = self.fixtures.resolve()
        file = (root / request.path.lstrip("/")).resolve()
        if not file.is_file() or not file.is_relative_to(root):
            raise web.HTTPNotFound(text="no such fixture")
        data = file.read_bytes()
        if file.suffix == ".gz" and request.query.get("encoding") == "gzip":
            inner_type = mimetypes.guess_type(file.stem)[0] or "application/octet-stream"
            headers = {"Content-Type": inner_type, "Content-Encoding": "gzip"}
            return web.Response(body=data, headers=headers)
        if file.suffix == ".gz":
            return web.Response(body=data, content_type="application/gzip")
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return web.Response(body=data, content_type=content_type)


async def _send_untyped(
    request: web.Request, status: int, payload: bytes, headers: CIMultiDict[str]
) -> web.StreamResponse:
    """Write a response by hand: aiohttp would otherwise add application/octet-stream."""
    assert request.transport is not None
    reason = web.Response(status=status).reason
    lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(payload)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append("Connection: close")
    request.transport.write("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + payload)
    request.transport.close()
    # The handler must still return something; nothing more reaches the closed transport.
    response = web.StreamResponse()
    response.force_close()
    return response
