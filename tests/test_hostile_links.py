"""Hostile links through the path a chat user takes: each refused in one sentence, none reached.

Every URL goes through ``Commands.handle(Request(caller, "summarize <url>"))`` with a real
Summarizer and Fetcher built with ``allow_private_networks=False``; refusals are also tried as
a pasted link addressed to the bot and as a pasted link in an auto-summarize channel.

Proof that no request reaches a target: every ``socket.connect`` in this module is recorded
(and any address other than 127.0.0.1/::1 is refused before a packet leaves, so a guard bug
could never make a test touch a real network). A refused URL must leave the record empty:
no TCP connection at all was attempted. Targets that are really the local server also check
the server's request log. Where the local server must play "the public internet", the fake DNS
maps ``news.example`` to 127.0.0.1 and the fetcher allows only 127.0.0.1/32 (as test_netguard).
"""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from webserver import WebServer

from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.requests import Caller, Reply, Request
from bot.config import Settings
from bot.errors import FetchError
from bot.service import Summarizer
from bot.store import ChannelSettings, Store, open_store
from bot.web.fetch import Fetcher

LOOPBACK = {"127.0.0.1", "::1"}
USER = Caller("slack", "C0HOSTILE", "U0STRANGER")
PRIVATE = r"points to a private or local network address.*, which the bot may not visit\."
SCHEME = r"^Only http and https links can be fetched\.$"
CREDENTIALS = r"^Links with a user name or password in them are not fetched\.$"
ONE_SENTENCE = re.compile(r"[.!?;]\s+[A-Z]")  # a second sentence would start like this
DNS = {
    "localhost": ["127.0.0.1", "::1"],
    "news.example": ["127.0.0.1"],  # the "public" site: our local server
    "private.example": ["127.0.0.1"],  # a public-looking name for our server, not allowed
    "intranet.example": ["10.20.30.40"],
    "metadata.example": ["169.254.169.254"],
    "v6intranet.example": ["fd00::7"],
    "rebind.example": ["93.184.216.34", "127.0.0.1"],  # one public answer, one private
}


@dataclass(frozen=True)
class Hostile:
    """A URL (``{port}`` is the local server's port) and what the refusal must say."""

    url: str
    expect: str

    def __str__(self) -> str:
        return self.url.replace("{port}", "P")


# Private networks off; our server's port allowed so that only the address rule can refuse.
REFUSED_ADDRESSES = [
    Hostile("http://127.0.0.1:{port}/fetch/article.html", PRIVATE),
    Hostile("HTTP://127.0.0.1:{port}/fetch/article.html", PRIVATE),
    Hostile("http://127.0.0.1.:{port}/fetch/article.html", PRIVATE),
    Hostile("http://localhost:{port}/fetch/article.html", r"^localhost " + PRIVATE),
    Hostile("http://[::1]:{port}/fetch/article.html", PRIVATE),
    Hostile("http://0.0.0.0:{port}/fetch/article.html", PRIVATE),
    Hostile("http://0:{port}/fetch/article.html", PRIVATE),
    Hostile("http://[::]:{port}/fetch/article.html", PRIVATE),
    Hostile("http://169.254.169.254/latest/meta-data/", PRIVATE),
    Hostile("http://10.0.0.1/", PRIVATE),
    Hostile("http://10.255.255.254/", PRIVATE),
    Hostile("http://172.16.0.1/", PRIVATE),
    Hostile("http://172.31.255.254/", PRIVATE),
    Hostile("http://192.168.0.1/", PRIVATE),
    Hostile("http://192.168.255.254/", PRIVATE),
    Hostile("http://100.64.0.1/", PRIVATE),
    Hostile("http://100.127.255.254/", PRIVATE),
    Hostile("http://[fc00::1]/", PRIVATE),
    Hostile("http://[fdff:ffff::1]/", PRIVATE),
    Hostile("http://[fe80::1]/", PRIVATE),
    Hostile("http://[febf:ffff::1]/", PRIVATE),
    Hostile("http://[::ffff:127.0.0.1]:{port}/fetch/article.html", PRIVATE),
    Hostile("http://[::ffff:7f00:1]:{port}/fetch/article.html", PRIVATE),
    Hostile("http://[::ffff:169.254.169.254]/latest/meta-data/", PRIVATE),
    Hostile("http://[2002:7f00:1::1]:{port}/", PRIVATE),  # 6to4 around 127.0.0.1
    Hostile("http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", PRIVATE),  # NAT64, 169.254.169.254
    Hostile("http://2130706433:{port}/fetch/article.html", PRIVATE),  # decimal
    Hostile("http://0x7f.1:{port}/fetch/article.html", PRIVATE),  # hex
    Hostile("http://0x7f000001:{port}/fetch/article.html", PRIVATE),
    Hostile("http://017700000001:{port}/fetch/article.html", PRIVATE),  # octal
    Hostile("http://0177.0.0.1:{port}/fetch/article.html", PRIVATE),
    Hostile("http://127.1:{port}/fetch/article.html", PRIVATE),
    Hostile("http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/", PRIVATE),
    Hostile("http://private.example:{port}/fetch/article.html", r"^private\.example " + PRIVATE),
    Hostile("http://intranet.example/", r"^intranet\.example " + PRIVATE),
    Hostile("http://metadata.example/latest/meta-data/", r"^metadata\.example " + PRIVATE),
    Hostile("http://v6intranet.example/", r"^v6intranet\.example " + PRIVATE),
    Hostile("http://rebind.example:{port}/fetch/article.html", r"^rebind\.example " + PRIVATE),
    Hostile("file:///etc/passwd", SCHEME),
    Hostile("ftp://ftp.example.org/pub/story.txt", SCHEME),
    Hostile("gopher://127.0.0.1:6379/_FLUSHALL", SCHEME),
]

# 127.0.0.1 plays the public internet: refusals that are not about the address.
REFUSED_ON_THE_INTERNET = [
    Hostile("http://user:pass@news.example:{port}/story", CREDENTIALS),
    Hostile("http://user@news.example:{port}/story", CREDENTIALS),
    Hostile("http://:token@news.example:{port}/story", CREDENTIALS),
    Hostile("http://news.example:{port}@10.0.0.1/", CREDENTIALS),
    *(
        Hostile(f"http://news.example:{port}/", f"^Links to port {port} are not fetched; ")
        for port in (22, 25, 2375, 6379, 11211)
    ),
]

# A public page that redirects somewhere it must not go: one request (to /start), no more.
REDIRECTS = [
    Hostile("http://127.0.0.2:{port}/secret", PRIVATE),
    Hostile("http://[::1]:{port}/secret", PRIVATE),
    Hostile("http://0x7f000002:{port}/secret", PRIVATE),
    Hostile("http://169.254.169.254/latest/meta-data/", PRIVATE),
    Hostile("http://10.0.0.1/admin", PRIVATE),
    Hostile("http://intranet.example/admin", r"^intranet\.example " + PRIVATE),
    Hostile("http://[::ffff:192.168.1.1]/", PRIVATE),
    Hostile("file:///etc/passwd", SCHEME),
    Hostile("gopher://127.0.0.1:{port}/_x", SCHEME),
    Hostile("http://user:pass@news.example:{port}/story", CREDENTIALS),
]

# The site answers, and what it sends is refused: size, time, type, no article.
CONTENT = [
    Hostile("/endless", r"^The page is larger than the 256 KB limit\.$"),
    Hostile("/trickle", r"^news\.example did not send the page within 0\.5 seconds\.$"),
    Hostile("/bomb", r"^The page is larger than the 256 KB limit\.$"),
    Hostile("/fetch/sample.pdf", r"^That link is a PDF, not a web page\.$"),
    Hostile("/untyped.pdf", r"^That link is a PDF, not a web page\.$"),
    Hostile("/fetch/pixel.png", r"^That link is an image, not a web page\.$"),
    Hostile("/nav-only", r"^That page has no article text I can summarize\.$"),
    Hostile("/loop", r"^The link redirected more than 5 times\.$"),
    Hostile("/chain", r"^The link redirected more than 5 times\.$"),
]

ALL_CASES = [
    *REFUSED_ADDRESSES,
    *REFUSED_ON_THE_INTERNET,
    *REDIRECTS,
    *CONTENT,
]


@dataclass
class HostileRig:
    """A bot wired as in production, the local server, and what the network saw."""

    commands: Commands
    web: WebServer
    connections: list[tuple[str, int]]
    lookups: list[str] = field(default_factory=list)

    def url(self, template: str) -> str:
        return template.replace("{port}", str(self.web.port))

    def reached_only_the_site(self) -> bool:
        return all(address == ("127.0.0.1", self.web.port) for address in self.connections)


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """Every outgoing TCP connect in the test; anything but loopback is refused unsent."""
    attempts: list[tuple[str, int]] = []
    plain_connect, plain_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(address: object) -> None:
        if isinstance(address, tuple):
            host, port = str(address[0]), int(address[1])
            attempts.append((host, port))
            if host not in LOOPBACK:
                raise ConnectionRefusedError(f"test safety net: no connection to {host}")

    def connect(self: socket.socket, address: object) -> None:
        check(address)
        plain_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        check(address)
        return plain_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield attempts


async def _rig(
    settings: Settings, tmp_path: Path, web: WebServer, connections: list, *, internet: bool
) -> AsyncIterator[HostileRig]:
    lookups: list[str] = []

    async def fake_dns(host: str) -> list[str]:
        lookups.append(host)
        if host.rstrip(".") not in DNS:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return DNS[host.rstrip(".")]

    closed = settings.model_copy(update={"allow_private_networks": False, "fetch_timeout_s": 0.5})
    fetcher = Fetcher(
        closed,
        resolver=fake_dns,
        allowed_ports=[80, 443, 8080, 8443, web.port],
        allowed_networks=["127.0.0.1/32"] if internet else (),
    )
    async with await open_store(tmp_path / "nb.db") as store, fetcher:
        await _auto_summarize(store)
        commands = Commands(Summarizer(closed, fetcher), store, limits=SummarizeLimits())
        yield HostileRig(commands, web, connections, lookups)


async def _auto_summarize(store: Store) -> None:
    await store.save_channel_settings(
        ChannelSettings(USER.platform, USER.channel, auto_summarize=True)
    )


@pytest.fixture
async def guard(settings, tmp_path, web, connections) -> AsyncIterator[HostileRig]:
    async for rig in _rig(settings, tmp_path, web, connections, internet=False):
        yield rig


@pytest.fixture
async def internet(settings, tmp_path, web, connections) -> AsyncIterator[HostileRig]:
    web.respond("/story", "<html><body><p>A story.</p></body></html>")
    async for rig in _rig(settings, tmp_path, web, connections, internet=True):
        yield rig


def assert_refusal(reply: Reply, expect: str) -> None:
    """An error, shown only to the caller, in one sentence naming what happened."""
    assert reply.error and reply.ephemeral, reply
    assert reply.summary is None and reply.digest is None
    assert "\n" not in reply.text and reply.text.endswith("."), reply.text
    assert not ONE_SENTENCE.search(reply.text), reply.text
    assert "went wrong" not in reply.text and "Traceback" not in reply.text
    assert re.search(expect, reply.text), (expect, reply.text)


async def every_chat_path(rig: HostileRig, url: str, expect: str) -> None:
    """The typed command (and context menu), an @mention, and a link pasted where auto is on."""
    assert_refusal(await rig.commands.handle(Request(USER, f"summarize {url}")), expect)
    if url.lower().startswith("http"):  # only web links are picked out of chat messages
        (addressed,) = await rig.commands.on_message(USER, f"hey <{url}> ?", addressed=True)
        assert_refusal(addressed, expect)
        assert await rig.commands.on_message(USER, f"see {url}") == []  # bystanders: silence


@pytest.mark.parametrize("case", REFUSED_ADDRESSES, ids=str)
async def test_private_and_local_targets_are_refused_before_any_connection(
    guard: HostileRig, case: Hostile
) -> None:
    await every_chat_path(guard, guard.url(case.url), case.expect)
    assert guard.connections == []  # no TCP connection was even attempted
    assert guard.web.requests == []


@pytest.mark.parametrize("case", REFUSED_ON_THE_INTERNET, ids=str)
async def test_credentials_and_odd_ports_are_refused_before_dns(
    internet: HostileRig, case: Hostile
) -> None:
    await every_chat_path(internet, internet.url(case.url), case.expect)
    assert internet.lookups == [] and internet.connections == []
    assert internet.web.requests == []


@pytest.mark.parametrize("case", REDIRECTS, ids=str)
async def test_a_public_page_redirecting_inward_is_refused_at_the_hop(
    internet: HostileRig, case: Hostile
) -> None:
    internet.web.redirect("/start", internet.url(case.url))
    start = internet.url("http://news.example:{port}/start")
    assert_refusal(await internet.commands.handle(Request(USER, f"summarize {start}")), case.expect)
    assert [request.path for request in internet.web.requests] == ["/start"]
    assert internet.reached_only_the_site() and len(internet.connections) == 1


@pytest.mark.parametrize("case", CONTENT, ids=str)
async def test_what_a_public_site_sends_is_capped_and_refused(
    internet: HostileRig, case: Hostile
) -> None:
    web = internet.web
    web.endless("/endless")
    web.trickle("/trickle", interval=1.0)  # a byte a second
    web.gzip_bomb("/bomb", decoded_bytes=16 * 1024 * 1024)
    web.respond(
        "/untyped.pdf", (web.fixtures / "fetch" / "sample.pdf").read_bytes(), content_type=None
    )
    web.respond("/nav-only", "<html><body><nav><a href='/'>Home</a> | About</nav></body></html>")
    web.redirect("/loop", "/loop")
    web.redirect_chain("/chain", hops=6, target="/story")
    url = internet.url(f"http://news.example:{{port}}{case.url}")
    reply = await internet.commands.handle(Request(USER, f"summarize {url}"))
    assert_refusal(reply, case.expect)
    assert internet.reached_only_the_site()
    assert web.hits["/story"] == 0  # a redirect chain never got to its end


async def test_the_safety_net_records_and_stops_connections(
    connections: list[tuple[str, int]], web: WebServer, settings: Settings
) -> None:
    """The proof above is only as good as this record: it sees real connects, and blocks."""
    assert settings.allow_private_networks  # no guard: only the safety net stands in the way
    async with Fetcher(settings) as fetcher:
        web.respond("/ok", "<html>ok</html>")
        await fetcher.fetch(web.url("/ok"))
        with pytest.raises(FetchError, match=r"^Could not reach 10\.0\.0\.1\.$"):
            await fetcher.fetch("http://10.0.0.1:8080/")
    assert connections == [("127.0.0.1", web.port), ("10.0.0.1", 8080)]


def test_the_matrix_covers_the_issue(record_property: pytest.RecordProperty) -> None:
    urls = [case.url for case in ALL_CASES]
    for needed in [
        "http://127.0.0.1:", "http://localhost:", "http://[::1]:", "http://0.0.0.0:",
        "http://169.254.169.254/latest/meta-data/", "http://10.", "http://172.16.",
        "http://192.168.", "http://100.64.", "http://[fc00::", "http://[fe80::",
        "[::ffff:127.0.0.1]", "http://2130706433:", "http://0x7f.1:", "private.example",
        "file://", "ftp://", "gopher://", "user:pass@", "news.example:22/",
    ]:  # fmt: skip
        assert any(needed in url for url in urls), needed
    record_property("hostile_urls_refused", len(ALL_CASES))
    print(f"hostile URLs tried and refused: {len(ALL_CASES)}")
