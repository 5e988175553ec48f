"""`python -m preflight.diagram`: the prod stack's diagram into README.md and docs/architecture.svg.

`python -m preflight --diagram FILE` draws it for any stack as one of the preview's reports.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from preflight.diagram.layout import architecture
from preflight.diagram.render import DiagramError, update_readme, write_diagram
from preflight.record import ProgramError, run_program


def main(argv: list[str] | None = None) -> int:
    """`python -m preflight.diagram`: the prod stack's diagram into README.md and docs/architecture.svg."""
    parser = argparse.ArgumentParser(prog="python -m preflight.diagram", description=main.__doc__)
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the Pulumi project (default: .)")
    parser.add_argument("--stack", default="prod", help="the stack (default: prod)")
    parser.add_argument("--readme", type=Path, default=None, help="update this file between the diagram markers")
    parser.add_argument("output", nargs="*", type=Path, help="files to write (.svg, .png, .mmd, .md, .dot)")
    options = parser.parse_args(argv)
    try:
        recording = run_program(options.cwd, options.stack, preview=True)
    except ProgramError as error:
        print(f"error: {error}")
        return 2
    try:
        if options.readme is not None:
            changed = update_readme(options.readme, architecture(recording))
            print(f"{'Updated' if changed else 'Unchanged'} {options.readme}")
        for path in options.output:
            for written in write_diagram(recording, path):
                print(f"Wrote {written}")
    except DiagramError as error:
        print(f"error: {error}")
        return 2
    return 0
