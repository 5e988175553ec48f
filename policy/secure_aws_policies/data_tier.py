"""The data tier as a stack declares it, for the policies that judge paths into it.

The data tier is what the stack itself says holds data: the subnets of a database subnet group (RDS, ElastiCache,
Redshift, DocumentDB, Neptune), the VPCs those subnets are in, and the database resources. Every link is the
engine's property dependencies (a `subnetIds` or `vpcId` input that depends on the resource), so it is known at a
first preview, when every id is still unknown. A subnet named only by a literal id is outside what the pack can
see: it is not counted.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .props import value
from .types import DATA_SUBNET_GROUPS, DATABASES, SUBNET


@dataclass
class DataTier:
    """The stack's data subnets (URN -> resource), the VPCs that hold them, and its databases (URN -> resource)."""

    subnets: dict[str, Any] = field(default_factory=dict)
    vpcs: dict[str, Any] = field(default_factory=dict)
    databases: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.subnets or self.databases)

    def subnet_of_address(self, address: str) -> Any | None:
        """The data subnet whose IPv4 or IPv6 block holds `address`, or None. A subnet whose block is unknown at
        preview raises (the SDK's undecided note): the address may be in it."""
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return None
        for subnet in self.subnets.values():
            for key in ("cidrBlock", "ipv6CidrBlock"):
                block = value(subnet.props, key)
                if block and ip in ipaddress.ip_network(str(block), strict=False):
                    return subnet
        return None


def data_tier(resources: Iterable[Any]) -> DataTier:
    """The stack's data tier, joined through property dependencies."""
    resources = list(resources)
    by_urn = {r.urn: r for r in resources}
    tier = DataTier()
    for group in (r for r in resources if r.resource_type in DATA_SUBNET_GROUPS):
        for dependency in group.property_dependencies.get("subnetIds", []):
            subnet = by_urn.get(dependency.urn)
            if subnet is not None and subnet.resource_type == SUBNET:
                tier.subnets[subnet.urn] = subnet
    for subnet in tier.subnets.values():
        for dependency in subnet.property_dependencies.get("vpcId", []):
            if dependency.urn in by_urn:
                tier.vpcs[dependency.urn] = by_urn[dependency.urn]
    tier.databases = {r.urn: r for r in resources if r.resource_type in DATABASES}
    return tier


def depends_on(resource: Any, key: str, urns: Iterable[str]) -> list[str]:
    """The URNs among `urns` that the resource's `key` input depends on."""
    wanted = set(urns)
    return [d.urn for d in resource.property_dependencies.get(key, []) if d.urn in wanted]
