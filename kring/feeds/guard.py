"""Guard: feed requests never reach inside the network (SSRF).

Every connection of the feed client, for the feed's own URL and after every
redirect, goes through ``GuardedBackend``: it resolves the host itself, checks
each address, and connects to the address it checked (so a second DNS answer
cannot swap in an internal one). Internal addresses (loopback, private,
link-local, CGNAT, multicast, unspecified, reserved; IPv4 inside IPv6 too) are
refused unless ``KRING_FEED_ALLOW_HOSTS`` lists the host, the address or a
network holding it. Cloud metadata addresses pass only when listed one by one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Iterable

import httpcore
from httpcore._backends.auto import AutoBackend

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Answer with instance credentials on most clouds: AWS (v4, v6, ECS), GCP, Azure, Alibaba, Oracle.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23", "100.100.100.200")
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class InternalAddress(Exception):
    """A connection the guard refused; the message names host and address (terminal only)."""

    def __init__(self, host: str, address: str, why: str):
        super().__init__(f"{host} resolves to {why} {address}")
        self.host, self.address, self.why = host, address, why


@dataclass(frozen=True)
class AllowList:
    names: frozenset[str] = frozenset()
    addresses: frozenset[IPAddress] = frozenset()
    networks: tuple = ()


def allow_list(values: Iterable[str] | str | None) -> AllowList:
    """KRING_FEED_ALLOW_HOSTS: host names, addresses and networks (a list, or one comma-separated string)."""
    if isinstance(values, str):
        values = values.split(",")
    names, addresses, networks = set(), set(), []
    for raw in values or ():
        value = str(raw).strip().lower().rstrip(".").strip("[]")
        if not value:
            continue
        try:
            if "/" in value:
                networks.append(ipaddress.ip_network(value, strict=False))
            else:
                addresses.add(ipaddress.ip_address(value))
        except ValueError:
            names.add(value)
    return AllowList(frozenset(names), frozenset(addresses), tuple(networks))


def embedded(ip: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address (else ip itself)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return ip.ipv4_mapped
        if ip.sixtofour:
            return ip.sixtofour
        if ip in NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_internal(ip: IPAddress) -> bool:
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
        or (ip.version == 4 and ip in CGNAT)
    )


def refusal(host: str, ip: IPAddress, allow: AllowList) -> str | None:
    """Why connecting to `ip` for `host` is refused, or None when it is allowed."""
    inner = embedded(ip)
    if ip in METADATA or inner in METADATA:
        return None if (ip in allow.addresses or inner in allow.addresses) else "a cloud metadata address"
    if not is_internal(inner):  # an IPv6 wrapper is judged by the IPv4 address it carries
        return None
    name = host.lower().rstrip(".").strip("[]")
    if name in allow.names or ip in allow.addresses or inner in allow.addresses:
        return None
    if any(candidate in net for net in allow.networks for candidate in {ip, inner} if candidate.version == net.version):
        return None
    return "an internal address"


async def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    found = []
    for *_rest, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if ip not in found:
            found.append(ip)
    return found


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking before every TCP connection."""

    def __init__(self, allow: AllowList):
        self.allow = allow
        self.inner = AutoBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        async with asyncio.timeout(timeout):
            addresses = await resolve(host, port)
        allowed = [ip for ip in addresses if refusal(host, ip, self.allow) is None]
        if not allowed:
            first = addresses[0]
            raise InternalAddress(host, str(first), refusal(host, first, self.allow) or "")
        error = None
        for ip in allowed:  # connect to the address we checked, never to the name again
            try:
                return await self.inner.connect_tcp(
                    str(ip), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover
        raise httpcore.ConnectError("feeds are fetched over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
