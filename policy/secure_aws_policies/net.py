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
