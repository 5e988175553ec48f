"""Reports of an offline preview: JSON, SARIF 2.1.0, Markdown, and the architecture diagram.

`write_reports(outcome, requested)` is what `python -m preflight --json/--sarif/--markdown/--diagram FILE`
calls: `requested` maps "json", "sarif", "markdown" or "diagram" to the file to write; it returns the files
written. The diagram's format follows the file's suffix (see `preflight.diagram.write_diagram`).
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Mapping
from pathlib import Path

from preflight import diagram, files
from preflight.outcome import Outcome
from preflight.reports import json_report, markdown, sarif

RENDERERS = {"json": json_report.render, "sarif": sarif.render, "markdown": markdown.render}


def write_reports(outcome: Outcome, requested: Mapping[str, Path | str]) -> list[Path]:
    """Writes each requested report; returns the paths written.

    An image asked for without Graphviz installed is a warning on stderr: its Mermaid text (`.mmd`) is written.
    """
    written: list[Path] = []
    if "diagram" in requested and Path(requested["diagram"]).suffix.lower() not in diagram.SUFFIXES:
        # Before anything is written, and reported by the CLI like any file it cannot write (exit status 2).
        suffix = Path(requested["diagram"]).suffix or "(none)"
        raise OSError(
            errno.EINVAL,
            f"unknown diagram format {suffix}; use {', '.join(diagram.SUFFIXES)}",
            str(requested["diagram"]),
        )
    for kind, render in RENDERERS.items():
        if kind in requested:
            path = Path(requested[kind])
            files.write_text(path, render(outcome))
            written.append(path)
    if "diagram" in requested:
        path = Path(requested["diagram"])
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            written += diagram.write_diagram(outcome.preview, path)
        except diagram.DiagramError as error:
            # The image is optional: its Mermaid text is written beside it whatever happens.
            print(f"warning: {error}", file=sys.stderr)
            mermaid_text = path.with_suffix(".mmd")
            if mermaid_text.exists():
                written.append(mermaid_text)
    return written


__all__ = ["RENDERERS", "write_reports"]
