"""What every check gets: the stack's outputs, one cached client per service, the account and the options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from verify.outputs import StackOutputs

# Throttling in a busy account is retried before it can turn into a failed check.
_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})


@dataclass
class Context:
    outputs: StackOutputs
    session: boto3.Session
    account_id: str
    invoke_auditor: bool = False
    """--invoke: run the compliance auditor now (the one call that is not read-only)."""
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, config=_CLIENT_CONFIG)
        return self._clients[service]
