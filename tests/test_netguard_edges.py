"""Edges of the SSRF guard that mutation testing found unpinned (docs/testing.md).

Tunnelled IPv6 addresses, reserved ranges, the port bounds, the exact sentences users see, and
what ``GuardedResolver`` hands aiohttp. The fetch-level tests are in test_netguard.py and
test_hostile_links.py.
"""

from __future__ import annotations

import socket

import pytest
from yarl import URL

from bot.errors import UnsafeURLError
from bot.web.netguard import GuardedResolver, NetworkPolicy, Resolver, parse_ip_literal

CLOSED = NetworkPolicy.build(allow_private=False)
OPEN = NetworkPolicy.build(allow_private=True)


def dns(*addresses: str) -> Resolver:
    async def resolve(host: str) -> list[str]:
        return list(addresses)

    return resolve


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo, client 192.0.2.45
        ("4000::1", False),  # reserved, though Python calls it global
        ("240.0.0.1", False),
        ("224.0.0.1", False),  # multicast, which is_global lets through
    ],
)
def test_tunnelled_reserved_and_multicast_addresses(address: str, allowed: bool) -> None:
    ip = parse_ip_literal(address)
    assert ip is not None
    assert CLOSED.address_allowed(ip) is allowed


@pytest.mark.parametrize(
    ("port", "allowed"), [(0, False), (1, True), (65535, True), (65536, False)]
)
def test_with_private_networks_on_every_real_port_is_allowed(port: int, allowed: bool) -> None:
    assert OPEN.port_allowed(port) is allowed


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http:///path", "That link has no host name."),
        ("http://999.1.1.1/", "That link is not a valid web address."),
    ],
)
def test_refused_links_say_why_in_one_sentence(url: str, message: str) -> None:
    with pytest.raises(UnsafeURLError) as refused:
        CLOSED.check_url(URL(url))
    assert refused.value.message == message


async def test_a_name_with_a_trailing_dot_is_named_without_it() -> None:
    resolver = GuardedResolver(dns("127.0.0.1"), CLOSED)
    with pytest.raises(UnsafeURLError) as refused:
        await resolver.resolve("intranet.example.", 80)
    assert refused.value.message.startswith("intranet.example points to a private")


async def test_the_resolver_keeps_the_addresses_of_the_family_asked_for() -> None:
    resolver = GuardedResolver(dns("2606:4700::1111", "1.1.1.1", "2606:4700::1001"), CLOSED)
    v4 = await resolver.resolve("news.example", 443, socket.AF_INET)
    assert [result["host"] for result in v4] == ["1.1.1.1"]
    v6 = await resolver.resolve("news.example", 443, socket.AF_INET6)
    assert [result["host"] for result in v6] == ["2606:4700::1111", "2606:4700::1001"]
    both = await resolver.resolve("news.example", 443, socket.AF_UNSPEC)
    assert len(both) == 3


async def test_the_resolver_hands_aiohttp_the_name_and_a_numeric_address() -> None:
    # aiohttp checks the TLS certificate against "hostname", and must not resolve "host" again.
    [result] = await GuardedResolver(dns("1.1.1.1"), CLOSED).resolve("news.example", 443)
    assert result == {
        "hostname": "news.example",
        "host": "1.1.1.1",
        "port": 443,
        "family": socket.AF_INET,
        "proto": 0,
        "flags": socket.AI_NUMERICHOST,
    }
