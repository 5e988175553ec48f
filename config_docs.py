"""README.md's "Configuration" table, generated from the settings registry (settings.KEYS), never typed by hand.

.venv/bin/python -m config_docs README.md          # rewrites the table between the markers
.venv/bin/python -m config_docs --check README.md  # exit 1 when the README's table is stale (CI, tests)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from settings import KEYS, REGION_KEY

START = "<!-- config-table:start -->"
END = "<!-- config-table:end -->"


def config_table() -> str:
    """One row per key: name, type, default, and the rule the program enforces."""
    rows = ["| key | type | default | rule |", "|---|---|---|---|"]
    for key in (REGION_KEY, *KEYS):
        rows.append(f"| `{key.name}` | {key.type} | {key.default_shown} | {key.description} |")
    return "\n".join(rows)


def with_config_table(readme: str) -> str:
    """The README text with the table between the markers replaced by the current one."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README has no {START} ... {END} section")
    return f"{head}{START}\n{config_table()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config_docs", description=__doc__.splitlines()[0])
    parser.add_argument("readme", type=Path, help="the README to update (README.md)")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the table is stale")
    args = parser.parse_args(argv)
    current = args.readme.read_text()
    expected = with_config_table(current)
    if args.check:
        if current != expected:
            print(
                f"{args.readme}: the Configuration table is stale; run: .venv/bin/python -m config_docs {args.readme}",
                file=sys.stderr,
            )
            return 1
        return 0
    if current != expected:
        args.readme.write_text(expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
