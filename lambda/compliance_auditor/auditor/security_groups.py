"""Security groups: what the internet and the world outside the corporate ranges can reach.

Two rules, so that each exposure is reported once:
- `security-group-admin-ingress`: SSH (22) or RDP (3389) reachable from a range that is not inside one of the
  allowed CIDRs (the stack's `corporateCidrs`). Covers TCP, UDP and all-protocol (`-1`) rules, IPv4 and IPv6.
- `security-group-world-ingress`: `0.0.0.0/0` or `::/0` reaching anything but the web ports 80 and 443 (SSH and
  RDP excepted: the admin rule reports those). ICMP carries no ports and is not counted.

Rules that name a security group or a prefix list as their source are not CIDR exposures and are skipped.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from auditor.findings import CheckResult

CHECK = "security-groups"
WORLD_INGRESS = "security-group-world-ingress"
ADMIN_INGRESS = "security-group-admin-ingress"
RULES = (WORLD_INGRESS, ADMIN_INGRESS)

WEB_PORTS = frozenset({80, 443})
ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
WORLD = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
# EC2 returns everything in one response when MaxResults is absent; a bounded page keeps responses small.
PAGE_SIZE = 1000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "-1": "all"}
_ICMP = frozenset({"icmp", "icmpv6"})


@dataclass(frozen=True)
class PortRange:
    """What one ingress permission opens: a protocol and an inclusive port range (0-65535 for all/other)."""

    protocol: str
    first: int
    last: int

    @classmethod
    def of(cls, permission: dict[str, Any]) -> PortRange:
        raw = str(permission.get("IpProtocol", "-1")).lower()
        protocol = _PROTOCOL_NAMES.get(raw, raw)
        if protocol in ("tcp", "udp"):
            first, last = permission.get("FromPort", 0), permission.get("ToPort", 65535)
            if first is None or first < 0:
                first, last = 0, 65535
            return cls(protocol, int(first), int(last))
        return cls(protocol, 0, 65535)

    @property
    def has_ports(self) -> bool:
        """TCP, UDP and all-traffic rules open ports; other protocols (ESP, GRE, ICMP, ...) have none."""
        return self.protocol in ("tcp", "udp", "all")

    def covers(self, port: int) -> bool:
        return self.has_ports and self.first <= port <= self.last

    def opens_ports_other_than(self, excepted: Iterable[int]) -> bool:
        """True if the rule admits traffic other than to the `excepted` ports.

        ICMP is not counted (it carries no ports and path MTU discovery needs it); any other port-less
        protocol opened to a range is all of that protocol.
        """
        if self.protocol in _ICMP:
            return False
        if not self.has_ports:
            return True
        inside = sum(1 for port in set(excepted) if self.covers(port))
        return self.last - self.first + 1 > inside

    def __str__(self) -> str:
        if self.protocol == "all":
            return "all traffic"
        if self.protocol not in ("tcp", "udp"):
            return f"protocol {self.protocol}"
        ports = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.protocol} {ports}"


def parse_allowed_cidrs(cidrs: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def is_within(network: Network, allowed: Sequence[Network]) -> bool:
    """True if every address of `network` is inside one allowed range (an IPv6 range is never inside IPv4)."""
    return any(network.version == a.version and network.subnet_of(a) for a in allowed)  # type: ignore[arg-type]


def _sources(permission: dict[str, Any]) -> Iterator[Network]:
    for entry in permission.get("IpRanges", []):
        yield ipaddress.ip_network(entry["CidrIp"], strict=False)
    for entry in permission.get("Ipv6Ranges", []):
        yield ipaddress.ip_network(entry["CidrIpv6"], strict=False)


def evaluate_group(group: dict[str, Any], allowed_ssh: Sequence[Network]) -> list[tuple[str, str]]:
    """The (rule, detail) pairs one security group (a DescribeSecurityGroups item) breaks. Pure."""
    violations: list[tuple[str, str]] = []
    label = f"{group.get('GroupName', '?')} in {group.get('VpcId', 'EC2-Classic')}"
    for permission in group.get("IpPermissions", []):
        ports = PortRange.of(permission)
        for source in _sources(permission):
            admin = [f"{name} ({port})" for port, name in ADMIN_PORTS.items() if ports.covers(port)]
            if admin and not is_within(source, allowed_ssh):
                detail = (
                    f"{label}: {' and '.join(admin)} open to {source} ({ports}), outside the allowed SSH/RDP ranges"
                )
                violations.append((ADMIN_INGRESS, detail))
            if source in WORLD and ports.opens_ports_other_than(WEB_PORTS | ADMIN_PORTS.keys()):
                detail = f"{label}: {ports} open to {source}; only 80 and 443 may be open to the internet"
                violations.append((WORLD_INGRESS, detail))
    return violations


def check_security_groups(ec2: Any, allowed_ssh: Sequence[Network]) -> CheckResult:
    result = CheckResult()
    result.count(*RULES, resources=0)
    pages = ec2.get_paginator("describe_security_groups").paginate(PaginationConfig={"PageSize": PAGE_SIZE})
    for page in pages:
        for group in page["SecurityGroups"]:
            result.count(*RULES)
            for rule, detail in evaluate_group(group, allowed_ssh):
                result.add(rule, group["GroupId"], detail)
    return result
