"""The secure-aws policy pack's policies. Importing this never starts the analyzer.

Policies live in `services/`, one module per AWS service area; each registers itself where it is defined
(`registry.resource_policy` / `registry.stack_policy`). Importing this package imports every module of
`services/`, so `ALL_POLICIES` is every policy defined there: none can be left out of a list.
"""

import importlib
import pkgutil

from . import services
from .registry import registered

SERVICE_MODULES = tuple(
    importlib.import_module(f"{services.__name__}.{module.name}")
    for module in sorted(pkgutil.iter_modules(services.__path__), key=lambda m: m.name)
)
# exemptions-name-a-resource reads what every other policy was configured with: the SDK runs stack policies in
# this order, so it goes last.
ALL_POLICIES = sorted(registered(), key=lambda policy: policy.name == "exemptions-name-a-resource")

__all__ = ["ALL_POLICIES", "SERVICE_MODULES"]
