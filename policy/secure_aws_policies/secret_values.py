"""Does this plaintext look like a secret? One reader for every "secrets never in plaintext" policy.

A value is secret-looking when its key name says so (password, secret, token, api_key, private_key, ...; not names
that point at or describe a secret: `DB_PASSWORD_SECRET_ARN`, `TOKEN_TTL`), when it has the shape of a known
credential (an AWS access key id, a Slack or GitHub token, a PEM private key), or when it is a long run of high
entropy characters. The answer names *why*, never the value: messages must not leak what they guard. An unknown
value at preview is a reference to another resource, not a secret.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

SECRET_NAME = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential|auth", re.IGNORECASE
)
NOT_A_SECRET_NAME = re.compile(r"_(ARN|ID|FILE|PATH|NAME|LENGTH|URL|ENABLED|TTL|HEADER|PARAMETER)$", re.IGNORECASE)
TOKEN_FORMATS = (
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[0-9A-Za-z-]{10,}")),
    ("a GitHub token", re.compile(r"\b(gh[pousr]_[0-9A-Za-z]{36}|github_pat_[0-9A-Za-z_]{22,})")),
    ("a private key", re.compile(r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")),
)
# Names that hold a credential whatever their suffix says: the keys FSBP ECS.8 and CodeBuild.2 check
# (AWS_ACCESS_KEY_ID would otherwise read as an id).
CREDENTIAL_NAMES = frozenset(
    {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ECS_ENGINE_AUTH_DATA"}
)
_HIGH_ENTROPY_RUN = re.compile(r"[A-Za-z0-9+/=_\-]{32,}")
_MIN_BITS_PER_CHAR = 4.5


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _high_entropy(text: str) -> bool:
    """A 32+ character run of base64-like characters mixing upper case, lower case and digits, of 4.5+ bits per
    character (random keys and passwords; not names, ARNs, URLs, paths or hex ids such as UUIDs, whose 16 symbols
    give at most 4 bits per character)."""
    if text.startswith(("arn:", "http://", "https://", "/")):
        return False
    for run in _HIGH_ENTROPY_RUN.findall(text):
        mixed = all(any(test(c) for c in run) for test in (str.isdigit, str.islower, str.isupper))
        if mixed and _entropy(run) >= _MIN_BITS_PER_CHAR:
            return True
    return False


def secret_reason(key: str | None, found: Any) -> str | None:
    """Why `found` (stored under `key`) looks like a secret, or None. Never includes the value."""
    if not isinstance(found, str) or not found.strip():
        return None
    if found.startswith("arn:"):
        return None  # a reference to where the secret lives (a Secrets Manager or SSM ARN), not the secret
    for what, pattern in TOKEN_FORMATS:
        if pattern.search(found):
            return f"holds what looks like {what}"
    if key and (key.upper() in CREDENTIAL_NAMES or (SECRET_NAME.search(key) and not NOT_A_SECRET_NAME.search(key))):
        return f"is named like a secret ({key})"
    if _high_entropy(found):
        return "holds a long high-entropy string, like a key or password"
    return None


# `KEY=value` (shell, .env, `--flag=value`), `KEY: value` (YAML) and `"KEY": "value"` (JSON) as they appear in
# scripts and config files; the value quoted, or a single unquoted word.
_ASSIGNMENT = re.compile(
    r"""(?:^|(?<=[\s,{]))(?:export\s+|-{1,2})?["']?(?P<key>[A-Za-z_][\w.-]*)["']?\s*(?P<op>=|:)\s*"""
    r"""(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s"',;&|]+)"""
)
# Values that are not literals: a shell expansion or command, a template placeholder, a CloudFormation dynamic
# reference, a YAML tag, an expression in a programming language.
_NOT_A_LITERAL = re.compile(r"[$`]|\{\{|^!|[()\[\]]")
_NOT_A_VALUE = frozenset({"", "none", "null", "nil", "true", "false", "~", "-", "''", '""', "{", "["})


def _literal(raw: str) -> str | None:
    """The literal a `KEY=value` line assigns, or None when it assigns something computed at run time."""
    quoted = len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'"
    found = raw[1:-1] if quoted else raw
    if found.strip().lower() in _NOT_A_VALUE or _NOT_A_LITERAL.search(found):
        return None
    return found


def text_secret_reasons(text: str) -> list[str]:
    """Why a script or config file (user data, a buildspec) holds secrets in plaintext: one reason per finding,
    naming the line and the key, never the value. Assignments are judged like environment variables (key name,
    token format, entropy); a known token format anywhere else on a line counts too."""
    reasons: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found_on_line = False
        for match in _ASSIGNMENT.finditer(line):
            if match["op"] == ":" and match["value"].startswith("//"):
                continue  # a URL's scheme, not a YAML key
            literal = _literal(match["value"])
            reason = secret_reason(match["key"], literal) if literal is not None else None
            if reason:
                reasons.append(f"line {number}: {match['key']} {reason}")
                found_on_line = True
        if not found_on_line:
            for what, pattern in TOKEN_FORMATS:
                if pattern.search(line):
                    reasons.append(f"line {number} holds what looks like {what}")
                    break
    return reasons
