"""SSRF guard for outbound fetches: which URLs, ports and IP addresses the bot may reach.

Two checks, both built from one ``NetworkPolicy``:

* ``NetworkPolicy.check_url`` runs on the first URL and on every redirect hop before a request
  is made: scheme, credentials, port, and hosts that are IP literals (including the legacy
  decimal/octal/hex IPv4 spellings ``2130706433``, ``0x7f.1``, ``017700000001``).
* ``GuardedResolver`` is the aiohttp resolver of the fetcher's connector: it resolves a host
  name, refuses it if ANY of its addresses is not allowed, and hands the connector only the
  addresses it checked, so the connection goes to exactly what was checked (no DNS-rebinding
  gap; the connector's DNS cache must be off).

Ports: with private networks off only the usual web ports 80, 443, 8080 and 8443 are allowed
(a link to ``:22`` or ``:6379`` is how an SSRF probes internal services); with private networks
on, any port is.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.errors import UnsafeURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str], Awaitable[list[str]]]
"""Host name -> IP address strings (the seam tests replace to fake DNS)."""

WEB_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = frozenset({80, 443, 8080, 8443})

_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
# A host made only of number-like labels is an IPv4 address to inet_aton and to browsers
# (WHATWG URL "ends in a number"), even when spelled in decimal, octal or hex.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address tunnels to (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64_PREFIX:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True for a globally routable unicast address; False for private, loopback, CGNAT, ..."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None and not is_public_address(embedded):
            return False
        if ip.is_site_local:
            return False
    # ``is_global`` alone lets multicast through (Python 3.11), hence the explicit list.
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a URL host spells, or None for a host name; ValueError if malformed.

    IPv6 literals may carry a zone (``fe80::1%eth0``), which is ignored for the check.
    """
    if ":" in host:
        return ipaddress.IPv6Address(host.split("%", 1)[0])
    if not _NUMERIC_HOST.match(host):
        return None
    # socket.inet_aton knows the legacy forms; the regex above already refused the trailing
    # junk some C libraries' inet_aton would ignore.
    try:
        packed = socket.inet_aton(host.rstrip("."))
    except OSError as exc:
        raise ValueError(f"{host!r} is not a valid IPv4 address") from exc
    return ipaddress.IPv4Address(packed)


@dataclass(frozen=True, slots=True)
class NetworkPolicy:
    """What the fetcher may reach.

    ``allowed_ports`` None means DEFAULT_PORTS, or any port when private networks are allowed.
    ``allowed_networks`` are reachable even with private networks off (an intranet server).
    """

    allow_private: bool = False
    allowed_ports: frozenset[int] | None = None
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def build(
        cls,
        *,
        allow_private: bool,
        allowed_ports: Iterable[int] | None = None,
        allowed_networks: Iterable[str] = (),
    ) -> NetworkPolicy:
        """A policy from plain values (network strings such as ``"10.1.2.0/24"``)."""
        return cls(
            allow_private=allow_private,
            allowed_ports=None if allowed_ports is None else frozenset(allowed_ports),
            allowed_networks=tuple(ipaddress.ip_network(n) for n in allowed_networks),
        )

    def address_allowed(self, ip: IPAddress) -> bool:
        """May a connection go to this address?"""
        if self.allow_private or is_public_address(ip):
            return True
        candidates = [ip]
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            candidates.append(ip.ipv4_mapped)
        return any(c in net for c in candidates for net in self.allowed_networks)

    def port_allowed(self, port: int) -> bool:
        """May a connection go to this TCP port?"""
        if not 0 < port < 65536:
            return False
        if self.allowed_ports is not None:
            return port in self.allowed_ports
        return self.allow_private or port in DEFAULT_PORTS

    def check_url(self, url: URL) -> URL:
        """The URL to request (IP literals in canonical form); UnsafeURLError if refused."""
        if url.scheme not in WEB_SCHEMES:
            raise UnsafeURLError("Only http and https links can be fetched.")
        if url.user is not None or url.password is not None:
            raise UnsafeURLError("Links with a user name or password in them are not fetched.")
        host = url.raw_host
        if not host:
            raise UnsafeURLError("That link has no host name.")
        port = url.port
        if port is None or not self.port_allowed(port):
            allowed = ", ".join(str(p) for p in sorted(self.allowed_ports or DEFAULT_PORTS))
            raise UnsafeURLError(f"Links to port {port} are not fetched; only ports {allowed} are.")
        try:
            ip = parse_ip_literal(host)
        except ValueError:
            raise UnsafeURLError("That link is not a valid web address.") from None
        if ip is None:
            return url
        if not self.address_allowed(ip):
            raise UnsafeURLError(
                f"That link points to a private or local network address ({ip}), "
                "which the bot may not visit."
            )
        if isinstance(ip, ipaddress.IPv4Address) and str(ip) != host:
            # Hand aiohttp the dotted quad we checked, not a spelling it might read otherwise.
            return url.with_host(str(ip))
        return url


async def system_resolver(host: str) -> list[str]:
    """Resolve a host name with the operating system (``loop.getaddrinfo``)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that returns only addresses the policy allows, or refuses the host."""

    def __init__(self, resolver: Resolver, policy: NetworkPolicy) -> None:
        self._resolver = resolver
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in await self._resolver(host)]
        if not addresses:
            raise OSError(f"{host} has no addresses")
        # One refused address refuses the host: a name that mixes public and private answers
        # is a rebinding trick, and trying "the public ones" would still leak timing.
        if not all(self._policy.address_allowed(ip) for ip in addresses):
            raise UnsafeURLError(
                f"{host.rstrip('.')} points to a private or local network address, "
                "which the bot may not visit."
            )
        results: list[ResolveResult] = []
        for ip in addresses:
            ip_family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            if family not in (socket.AF_UNSPEC, ip_family):
                continue
            results.append(
                ResolveResult(
                    hostname=host,
                    host=str(ip),
                    port=port,
                    family=ip_family,
                    proto=0,
                    flags=socket.AI_NUMERICHOST,
                )
            )
        if not results:
            raise OSError(f"{host} has no addresses of the requested family")
        return results

    async def close(self) -> None:
        """Nothing to release: the wrapped resolver holds no resources."""
