"""The secure-aws policy pack's policies, grouped by concern. Importing this never starts the analyzer."""

from . import encryption, network, region, tagging

ALL_POLICIES = [*encryption.POLICIES, *tagging.POLICIES, *network.POLICIES, *region.POLICIES]

__all__ = ["ALL_POLICIES"]
