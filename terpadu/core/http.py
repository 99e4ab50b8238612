"""The client's address, for rate limits, login throttling and audit.

Behind a reverse proxy every request comes from the proxy's address, so a rate
limit per ``REMOTE_ADDR`` would throttle the whole regency at once. With
``TERPADU_TRUSTED_PROXIES`` (addresses or networks, comma-separated) a request
from one of those proxies is attributed to the last address in
``X-Forwarded-For`` that is not a trusted proxy: the one the outermost trusted
proxy saw. Without the setting ``X-Forwarded-For`` is ignored (anyone can
write it).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 172.16.0.0/12"`` → networks; ValueError naming the bad entry."""
    networks = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"TERPADU_TRUSTED_PROXIES: {part!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: Any, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: Any) -> str:
    """The client's IP address (at most 45 characters, as stored)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))[:45]
    networks: tuple[Network, ...] = getattr(settings, "TRUSTED_PROXIES", ())
    if not networks:
        return remote
    peer = _address(remote)
    if peer is None or not _trusted(peer, networks):
        return remote
    hops = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote  # a malformed header: do not guess
        if not _trusted(address, networks):
            return str(address)[:45]
    return remote
