"""SSRF guard: address and URL rules, and end to end proof that refused URLs reach no server."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from webserver import WebServer
from yarl import URL

from bot.config import Settings
from bot.errors import FetchError, UnsafeURLError
from bot.web.fetch import Fetcher, Resolver
from bot.web.netguard import GuardedResolver, NetworkPolicy, is_public_address, parse_ip_literal

PUBLIC = ["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"]
NOT_PUBLIC = [
    "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "100.64.0.1", "100.127.255.254", "169.254.169.254", "0.0.0.0", "0.1.2.3", "224.0.0.1",
    "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.2.1", "198.18.0.1",
    "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 wrapping 10.0.0.1
]  # fmt: skip


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_private_and_special_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0X7F.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("fe80::1%eth0", "fe80::1"),
        ("example.com", None),
        ("0x7f.example", None),
        ("news.1password.example", None),
    ],
)
def test_parse_ip_literal_reads_legacy_spellings(host: str, expected: str | None) -> None:
    parsed = parse_ip_literal(host)
    assert (None if parsed is None else str(parsed)) == expected


@pytest.mark.parametrize("host", ["256.0.0.1", "08.0.0.1", "0x1ffffffff"])
def test_parse_ip_literal_rejects_malformed_numbers(host: str) -> None:
    with pytest.raises(ValueError):
        parse_ip_literal(host)


CLOSED = NetworkPolicy.build(allow_private=False)
OPEN = NetworkPolicy.build(allow_private=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "Only http and https"),
        ("ftp://example.com/a", "Only http and https"),
        ("gopher://example.com:70/_x", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("example.com/story", "Only http and https"),
        ("http://user:pass@example.com/", "user name or password"),
        ("http://user@example.com/", "user name or password"),
        ("http://127.0.0.1:8080@example.com/", "user name or password"),
        ("http:///story", "no host name"),
        ("http://example.com:0/", "port 0"),
        ("http://08.0.0.1/", "not a valid web address"),
    ],
)
def test_refused_even_with_private_networks_allowed(url: str, message: str) -> None:
    for policy in (OPEN, CLOSED):
        with pytest.raises(UnsafeURLError, match=message):
            policy.check_url(URL(url))


def test_port_rules() -> None:
    for port in (80, 443, 8080, 8443):
        CLOSED.check_url(URL(f"http://example.com:{port}/"))
    for port in (22, 25, 6379, 8000):
        with pytest.raises(UnsafeURLError, match=f"port {port} .* 80, 443, 8080, 8443"):
            CLOSED.check_url(URL(f"http://example.com:{port}/"))
        OPEN.check_url(URL(f"http://example.com:{port}/"))
    only_8000 = NetworkPolicy.build(allow_private=True, allowed_ports=[8000])
    only_8000.check_url(URL("http://example.com:8000/"))
    with pytest.raises(UnsafeURLError, match="only ports 8000"):
        only_8000.check_url(URL("http://example.com/"))


def test_ip_literals_are_canonicalised_for_the_connector() -> None:
    assert OPEN.check_url(URL("http://0x7f.1:8080/a?b=1")) == URL("http://127.0.0.1:8080/a?b=1")
    assert CLOSED.check_url(URL("https://134744072/")) == URL("https://8.8.8.8/")
    with pytest.raises(UnsafeURLError, match=r"\(127\.0\.0\.1\)"):
        CLOSED.check_url(URL("http://0x7f.1/"))


def test_allowed_networks_open_only_themselves() -> None:
    intranet = NetworkPolicy.build(allow_private=False, allowed_networks=["10.1.2.0/24"])
    intranet.check_url(URL("http://10.1.2.3/"))
    intranet.check_url(URL("http://[::ffff:10.1.2.3]/"))
    with pytest.raises(UnsafeURLError):
        intranet.check_url(URL("http://10.1.3.1/"))


async def test_guarded_resolver_returns_only_checked_addresses() -> None:
    async def dns(host: str) -> list[str]:
        return {"a.example": ["93.184.216.34", "2606:2800:220:1::1"], "b.example": []}[host]

    resolver = GuardedResolver(dns, CLOSED)
    both = await resolver.resolve("a.example", 443, family=socket.AF_UNSPEC)
    v4 = await resolver.resolve("a.example", 443, family=socket.AF_INET)

    assert [(r["host"], r["port"], r["family"]) for r in both] == [
        ("93.184.216.34", 443, socket.AF_INET),
        ("2606:2800:220:1::1", 443, socket.AF_INET6),
    ]
    assert [r["host"] for r in v4] == ["93.184.216.34"]
    with pytest.raises(OSError):
        await resolver.resolve("b.example", 80)


# --- end to end: private networks OFF, and the local server must see no request -----------


def fake_dns(table: dict[str, list[str]]) -> Resolver:
    """A resolver that knows only ``table``; other names fail like real DNS."""

    async def resolve(host: str) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


@pytest.fixture
def closed_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"allow_private_networks": False})


LITERAL_HOSTS = [
    "127.0.0.1", "localhost", "[::1]", "0.0.0.0", "169.254.169.254", "10.0.0.1", "172.16.0.1",
    "192.168.0.1", "100.64.0.1", "[fc00::1]", "[fe80::1]", "[::ffff:127.0.0.1]", "2130706433",
    "0x7f.1", "017700000001", "127.1",
]  # fmt: skip


@pytest.mark.parametrize("host", LITERAL_HOSTS)
async def test_private_hosts_are_refused_before_any_request(
    web: WebServer, closed_settings: Settings, host: str
) -> None:
    # The server's own port is allowed so that only the address rule can refuse.
    async with Fetcher(closed_settings, allowed_ports=[web.port]) as fetcher:
        with pytest.raises(UnsafeURLError, match="private or local network"):
            await fetcher.fetch(web.url("/fetch/article.html", host=host))
    assert web.requests == []


async def test_name_resolving_to_loopback_is_refused(
    web: WebServer, closed_settings: Settings
) -> None:
    dns = fake_dns({"public.example": ["127.0.0.1"]})
    async with Fetcher(closed_settings, resolver=dns, allowed_ports=[web.port]) as fetcher:
        with pytest.raises(UnsafeURLError, match=r"public\.example points to a private"):
            await fetcher.fetch(web.url("/fetch/article.html", host="public.example"))
    assert web.requests == []


async def test_name_with_one_private_answer_among_public_ones_is_refused(
    web: WebServer, closed_settings: Settings
) -> None:
    dns = fake_dns({"mixed.example": ["93.184.216.34", "127.0.0.1"]})
    async with Fetcher(closed_settings, resolver=dns, allowed_ports=[web.port]) as fetcher:
        with pytest.raises(UnsafeURLError):
            await fetcher.fetch(web.url("/", host="mixed.example"))
    assert web.requests == []


async def test_connects_to_the_address_the_guard_checked(
    web: WebServer, closed_settings: Settings
) -> None:
    # public.example exists only in the fake DNS, so reaching the server proves the connector
    # used the guarded resolver's answer and nothing else.
    dns = fake_dns({"public.example": ["127.0.0.1"]})
    async with Fetcher(
        closed_settings, resolver=dns, allowed_ports=[web.port], allowed_networks=["127.0.0.1/32"]
    ) as fetcher:
        result = await fetcher.fetch(web.url("/fetch/article.html", host="public.example"))
    assert result.status == 200
    assert web.requests[0].headers["Host"] == f"public.example:{web.port}"


@pytest.mark.parametrize(
    "target",
    [
        "http://internal.example:{port}/secret",
        "http://127.0.0.2:{port}/secret",
        "http://0x7f.0.0.2:{port}/secret",
        "http://[::ffff:127.0.0.2]:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/secret",
    ],
)
async def test_redirect_from_an_allowed_host_to_a_private_one_is_refused(
    web: WebServer, closed_settings: Settings, target: str
) -> None:
    web.redirect("/start", target.format(port=web.port))
    dns = fake_dns({"public.example": ["127.0.0.1"], "internal.example": ["127.0.0.2"]})
    async with Fetcher(
        closed_settings,
        resolver=dns,
        allowed_ports=[web.port, 80],
        allowed_networks=["127.0.0.1/32"],  # plays the part of the public internet here
    ) as fetcher:
        with pytest.raises(UnsafeURLError, match="private or local network"):
            await fetcher.fetch(web.url("/start", host="public.example"))
    assert [r.path for r in web.requests] == ["/start"]


async def test_default_ports_are_enforced_before_resolving(
    web: WebServer, closed_settings: Settings
) -> None:
    looked_up: list[str] = []

    async def dns(host: str) -> list[str]:
        looked_up.append(host)
        return ["127.0.0.1"]

    async with Fetcher(closed_settings, resolver=dns) as fetcher:
        with pytest.raises(UnsafeURLError, match=f"port {web.port}"):
            await fetcher.fetch(web.url("/", host="public.example"))
    assert looked_up == []
    assert web.requests == []


@pytest.mark.parametrize("userinfo", ["user:pass@", "user@", ":token@"])
async def test_credentials_are_refused_with_private_networks_allowed(
    web: WebServer, fetcher: Fetcher, userinfo: str
) -> None:
    with pytest.raises(UnsafeURLError, match="user name or password"):
        await fetcher.fetch(web.url("/fetch/article.html", host=f"{userinfo}127.0.0.1"))
    assert web.requests == []


@pytest.mark.parametrize(
    "url",
    ["", "   ", "http://exa mple.com/", "http://[::1/", "http://example.com:99999/", "http://%zz/",
     "https://münchen.example/ä?q=ü", "http:\\\\example.com", "//example.com/x", "http://.:80/"],
)  # fmt: skip
async def test_odd_input_only_ever_raises_fetch_errors(settings: Settings, url: str) -> None:
    async def no_dns(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async with Fetcher(settings, resolver=no_dns) as fetcher:
        with pytest.raises(FetchError):
            await fetcher.fetch(url)
