"""The stack's outputs: from `pulumi stack output --json` when the Pulumi CLI is on PATH, or from a file."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from verify.errors import VerifyUsageError

SAVE_OUTPUTS_HINT = "pulumi stack output --json --show-secrets=false --stack {stack} > outputs.json"


class MissingOutput(Exception):
    """The stack has no such output: it was deployed by an older program, or the deployment did not finish."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class StackOutputs:
    """Read access to the outputs; `require` names the missing key so a check can say which one."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def require(self, key: str) -> Any:
        value = self._values.get(key)
        # A secret output reads "[secret]" with --show-secrets=false: as good as missing for a check.
        if value in (None, "", "[secret]"):
            raise MissingOutput(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)


def load_outputs(stack: str, outputs_file: Path | None, cwd: Path) -> StackOutputs:
    """The outputs from `outputs_file`, else from the Pulumi CLI; VerifyUsageError when neither works."""
    if outputs_file is not None:
        try:
            text = outputs_file.read_text()
        except OSError as error:
            raise VerifyUsageError(f"--outputs {outputs_file}: {error.strerror or error}") from error
        return StackOutputs(_parse(text, f"--outputs {outputs_file}"))
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        raise VerifyUsageError(
            "the Pulumi CLI is not on PATH, so the stack's outputs cannot be read: give them with --outputs FILE "
            f"(save them where the CLI is: {SAVE_OUTPUTS_HINT.format(stack=stack)})"
        )
    command = [pulumi, "stack", "output", "--json", "--show-secrets=false", "--stack", stack]
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise VerifyUsageError(
            f"`pulumi stack output --stack {stack}` failed: {completed.stderr.strip() or completed.stdout.strip()} "
            "(is `pulumi login` done and the stack deployed?)"
        )
    return StackOutputs(_parse(completed.stdout, f"`pulumi stack output --stack {stack}`"))


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        values = json.loads(text)
    except json.JSONDecodeError as error:
        raise VerifyUsageError(f"{source} is not JSON ({error}): {SAVE_OUTPUTS_HINT.format(stack='prod')}") from error
    if not isinstance(values, dict) or not values:
        raise VerifyUsageError(f"{source} holds no stack outputs: has `pulumi up` run on this stack?")
    return values
