"""Network primitives: CIDRs, protocols and port ranges as security group rules and network ACL entries state them.

Protocol `-1` ("all") opens every port, and a port range opens every port inside it, so `0-65535` opens SSH. The
provider and the engine accept protocols by name or number (`6`, `"6"`, `6.0`, `"TCP"`) and ports as numbers or
strings; `protocol_name` and `PortRange.of` read each in one spelling.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .props import as_int, value

WORLD_CIDRS = ("0.0.0.0/0", "::/0")
ALL_PROTOCOLS = ("-1", "all")
PORTED_PROTOCOLS = ("tcp", "udp")  # after protocol_name: 6 and 17 are spelled tcp and udp


PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def protocol_name(protocol: Any) -> str:
    """A protocol in one spelling: 6, 6.0 and "6" are "tcp" (17 "udp"), -1.0 is "-1", "TCP" is "tcp"."""
    text = str(protocol).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    code = str(int(number)) if number.is_integer() else text
    return PROTOCOL_NAMES.get(code, code)


def is_world(cidr: str) -> bool:
    try:
        return ipaddress.ip_network(str(cidr).strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def within(cidr: str, allowed: Iterable[str]) -> bool:
    """The CIDR lies inside one of the allowed networks (same IP version)."""
    try:
        network = ipaddress.ip_network(str(cidr).strip(), strict=False)
    except ValueError:
        return False
    for candidate in allowed:
        try:
            allowed_network = ipaddress.ip_network(str(candidate).strip(), strict=False)
        except ValueError:
            continue
        if network.version == allowed_network.version and network.subnet_of(allowed_network):  # type: ignore[arg-type]
            return True
    return False


@dataclass(frozen=True)
class PortRange:
    """What a rule opens: a protocol and an inclusive port range (all ports for protocol -1)."""

    protocol: str
    from_port: int
    to_port: int

    @classmethod
    def of(cls, protocol: Any, from_port: Any, to_port: Any) -> PortRange:
        proto = protocol_name(protocol)
        if proto in ALL_PROTOCOLS:
            return cls(proto, 0, 65535)
        low = as_int(from_port, 0 if from_port in (None, "") else -1)  # not a number: every port (fail closed)
        high = as_int(to_port, low if to_port in (None, "") else -1)
        if low < 0 or high < 0:  # -1 means "all ports" for tcp/udp in some APIs
            low, high = 0, 65535
        return cls(proto, low, high)

    @classmethod
    def read(cls, props: Mapping[str, Any], protocol_key: str = "protocol") -> PortRange:
        """The range a rule or ACL entry opens; its ports are not read for protocol -1 (they may be unknown)."""
        protocol = value(props, protocol_key)
        if protocol_name(protocol) in ALL_PROTOCOLS:
            return cls.of(protocol, None, None)
        # from_port and to_port are required on security group rules and NACL entries (no default to judge); an empty
        # one reads as in `of` above.
        return cls.of(protocol, value(props, "fromPort"), value(props, "toPort"))

    @property
    def all_traffic(self) -> bool:
        return self.protocol in ALL_PROTOCOLS

    def includes(self, port: int) -> bool:
        """The rule lets traffic reach this TCP/UDP port."""
        if self.all_traffic:
            return True
        return self.protocol in PORTED_PROTOCOLS and self.from_port <= port <= self.to_port

    def only_tcp_ports(self, allowed: Iterable[int]) -> bool:
        """TCP, and every port of the range is an allowed one."""
        allowed_set = {int(p) for p in allowed}
        if self.protocol != "tcp" or self.to_port - self.from_port + 1 > len(allowed_set):
            return False
        return all(port in allowed_set for port in range(self.from_port, self.to_port + 1))

    def __str__(self) -> str:
        if self.all_traffic:
            return "all traffic"
        ports = str(self.from_port) if self.from_port == self.to_port else f"{self.from_port}-{self.to_port}"
        return f"{self.protocol} {ports}"


# Config schemas shared by the security group and network ACL policies.
WORLD_OPEN_PORTS = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0, "maximum": 65535},
    "default": [80, 443],
    "description": "TCP ports that may be open to 0.0.0.0/0 and ::/0 (only on load balancer security groups).",
}
ADMIN_PORTS = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0, "maximum": 65535},
    "default": [22, 3389],
    "description": "Remote administration ports (SSH, RDP).",
}


# Reachability ###################################################################################################

# IPv4 ranges the internet cannot reach, or that are not unicast (RFC 6890 special-purpose registry: "this network",
# private, shared CGN space, loopback, link local, IETF protocol assignments, the documentation TEST-NETs,
# benchmarking, multicast and reserved). Every other IPv4 address is public.
NON_PUBLIC_IPV4 = (
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
)
# Every public IPv6 address is global unicast, which IANA allocates from 2000::/3 only.
PUBLIC_IPV6 = ("2000::/3",)
# Ranges that may only ever be private to a network: RFC 1918, RFC 6598 shared space (used for VPC secondary
# CIDRs), and IPv6 unique local addresses.
PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")

Interval = tuple[int, int]


def _network(cidr: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(str(cidr).strip(), strict=False)
    except ValueError:
        return None


def _merged_intervals(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for first, last in sorted(intervals):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _merged(networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> list[Interval]:
    """The networks as sorted, non-overlapping, non-adjacent [first, last] address intervals."""
    return _merged_intervals([(int(n.network_address), int(n.broadcast_address)) for n in networks])


def _subtract(space: list[Interval], removed: list[Interval]) -> list[Interval]:
    """`space` without the addresses in `removed` (both merged)."""
    result: list[Interval] = []
    for first, last in space:
        start = first
        for r_first, r_last in removed:
            if r_last < start or r_first > last:
                continue
            if r_first > start:
                result.append((start, r_first - 1))
            start = max(start, r_last + 1)
            if start > last:
                break
        if start <= last:
            result.append((start, last))
    return result


def _space(version: int) -> list[Interval]:
    if version == 4:
        everything = _merged([ipaddress.ip_network("0.0.0.0/0")])
        return _subtract(everything, _merged(_network(c) for c in NON_PUBLIC_IPV4))  # type: ignore[misc]
    return _merged(_network(c) for c in PUBLIC_IPV6)  # type: ignore[misc]


PUBLIC_SPACE = {4: _space(4), 6: _space(6)}


def covered_public_space(cidrs: Iterable[Any]) -> list[str]:
    """Which public address spaces ("IPv4", "IPv6") the union of these CIDRs covers entirely, however it is split
    (`0.0.0.0/0`; `0.0.0.0/1` + `128.0.0.0/1`; many smaller public blocks). Unparseable CIDRs count for nothing."""
    networks = [n for n in (_network(c) for c in cidrs) if n is not None]
    covered = []
    for version in (4, 6):
        union = _merged(n for n in networks if n.version == version)
        if union and not _subtract(PUBLIC_SPACE[version], union):
            covered.append(f"IPv{version}")
    return covered


def world_sources(cidrs: Iterable[Any]) -> list[str]:
    """The CIDRs, in their given order, that take part in covering a whole public address space; [] when together
    they cover neither the public IPv4 nor the public IPv6 space."""
    given = [str(c) for c in cidrs]
    covered = covered_public_space(given)
    return [
        c
        for c in given
        if (n := _network(c)) is not None
        and f"IPv{n.version}" in covered
        and _subtract([(int(n.network_address), int(n.broadcast_address))], _non_public(n.version))
    ]


def _non_public(version: int) -> list[Interval]:
    everything = (0, 2**32 - 1) if version == 4 else (0, 2**128 - 1)
    return _subtract([everything], PUBLIC_SPACE[version])


def is_private(cidr: Any) -> bool:
    """The CIDR lies entirely inside a private range (RFC 1918, RFC 6598, IPv6 ULA): no public address at all."""
    network = _network(cidr)
    return network is not None and within(str(network), PRIVATE_RANGES)


def first_match_allows_public_space(rules: Iterable[tuple[bool, Any]]) -> list[str]:
    """Which public address spaces ("IPv4", "IPv6") rules evaluated first-match-wins, as a network ACL evaluates
    its entries, let in entirely. `rules` are (allows, cidr) in evaluation order; the implicit final deny is not
    listed. An address is let in when the first rule whose CIDR holds it allows."""
    covered = []
    for version in (4, 6):
        decided: list[Interval] = []
        allowed: list[Interval] = []
        for allows, cidr in rules:
            network = _network(cidr)
            if network is None or network.version != version:
                continue
            interval = [(int(network.network_address), int(network.broadcast_address))]
            if allows:
                allowed = _merged_intervals(allowed + _subtract(interval, decided))
            decided = _merged_intervals(decided + interval)
        if allowed and not _subtract(PUBLIC_SPACE[version], allowed):
            covered.append(f"IPv{version}")
    return covered
