"""The secure-aws policy pack's policies, grouped by concern. Importing this never starts the analyzer."""

from . import encryption, iam, monitoring, network, region, resilience, tagging, transit

ALL_POLICIES = [
    *encryption.POLICIES, *tagging.POLICIES, *network.POLICIES, *region.POLICIES,
    *transit.POLICIES, *monitoring.POLICIES, *resilience.POLICIES, *iam.POLICIES,
]  # fmt: skip

__all__ = ["ALL_POLICIES"]
