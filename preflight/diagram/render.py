"""Drawing a diagram's graph: Mermaid text, Graphviz DOT, an SVG/PNG image, and the README's copy.

`mermaid(graph)` renders it as a Mermaid `flowchart` a code host shows; `dot(graph)` as Graphviz DOT;
`render_image(graph, path)` an SVG or PNG with Graphviz's `dot` when it is installed (Debian's `graphviz`), and
`write_diagram(recording, path)` lays out a recording and picks the format from the file suffix.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from preflight import files
from preflight.diagram.graph import (
    DATA,
    DATABASE,
    EGRESS,
    EXTERNAL,
    FLOW,
    GATEWAY,
    KEY,
    SERVICE,
    STORAGE,
    SUBNET,
    TRAFFIC,
    Graph,
)
from preflight.diagram.layout import architecture
from preflight.record import Recording

IMAGE_SUFFIXES = (".svg", ".png")
TEXT_SUFFIXES = (".mmd", ".md", ".dot", ".gv")
SUFFIXES = IMAGE_SUFFIXES + TEXT_SUFFIXES


class DiagramError(Exception):
    """The diagram cannot be written as asked (an unknown format, or no renderer for an image)."""


# --- Mermaid -----------------------------------------------------------------------------------------------------

_MERMAID_SHAPES = {
    EXTERNAL: ('(["', '"])'),
    DATABASE: ('[("', '")]'),
    STORAGE: ('[("', '")]'),
    GATEWAY: ('{{"', '"}}'),
    KEY: ('>"', '"]'),
}
_MERMAID_ARROWS = {TRAFFIC: "==>", DATA: "-->", EGRESS: "-.->"}


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def mermaid(graph: Graph) -> str:
    """A Mermaid `flowchart`: clusters as subgraphs, traffic as thick arrows, egress dotted."""
    lines = ["flowchart LR"]

    def emit(cluster_id: str, indent: str) -> None:
        for node in graph.nodes:
            if node.cluster == cluster_id:
                opening, closing = _MERMAID_SHAPES.get(node.kind, ('["', '"]'))
                lines.append(f"{indent}{node.id}{opening}{_mermaid_text(node.label)}{closing}")
        for cluster in graph.clusters:
            if cluster.parent == cluster_id:
                lines.append(f'{indent}subgraph {cluster.id}["{_mermaid_text(cluster.label)}"]')
                emit(cluster.id, indent + "  ")
                lines.append(f"{indent}end")

    emit("", "  ")
    for edge in graph.edges:
        arrow = _MERMAID_ARROWS[edge.kind]
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"  {edge.source} {arrow}{label} {edge.target}")
    return "\n".join(lines) + "\n"


# --- Graphviz ----------------------------------------------------------------------------------------------------

_DOT_SHAPES = {
    EXTERNAL: 'shape=oval, style="filled", fillcolor="#f2f2f2"',
    SERVICE: 'shape=box, style="rounded,filled", fillcolor="#fff2cc"',
    DATABASE: 'shape=cylinder, style="filled", fillcolor="#dae8fc"',
    STORAGE: 'shape=cylinder, style="filled", fillcolor="#d5e8d4"',
    SUBNET: 'shape=box, style="filled", fillcolor="#ffffff"',
    GATEWAY: 'shape=hexagon, style="filled", fillcolor="#e1d5e7"',
    FLOW: 'shape=box, style="rounded,filled", fillcolor="#f8cecc"',
    KEY: 'shape=note, style="filled", fillcolor="#fff2cc"',
}
_DOT_EDGES = {
    TRAFFIC: 'penwidth=2.2, color="#1f5fbf"',
    DATA: 'color="#555555"',
    EGRESS: 'style=dashed, color="#888888"',
}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<br/>", "\\n")


def dot(graph: Graph) -> str:
    """Graphviz DOT with the same clusters, nodes and edges as the Mermaid text."""
    lines = [
        "digraph architecture {",
        f'  label="{_dot_text(graph.title)}"; labelloc=t; fontname="Helvetica"; fontsize=18;',
        "  rankdir=LR; newrank=true; nodesep=0.3; ranksep=0.6;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]

    def emit(cluster_id: str, indent: str) -> None:
        for node in graph.nodes:
            if node.cluster == cluster_id:
                lines.append(f'{indent}{node.id} [label="{_dot_text(node.label)}", {_DOT_SHAPES[node.kind]}];')
        for cluster in graph.clusters:
            if cluster.parent == cluster_id:
                lines.append(f"{indent}subgraph cluster_{cluster.id} {{")
                lines.append(f'{indent}  label="{_dot_text(cluster.label)}"; style="rounded"; color="#999999";')
                emit(cluster.id, indent + "  ")
                lines.append(f"{indent}}}")

    emit("", "  ")
    for edge in graph.edges:
        label = f'label="{_dot_text(edge.label)}", ' if edge.label else ""
        lines.append(f"  {edge.source} -> {edge.target} [{label}{_DOT_EDGES[edge.kind]}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def renderer() -> str | None:
    """Graphviz's `dot`, if installed (Debian: `apt-get install graphviz`)."""
    return shutil.which("dot")


def render_image(graph: Graph, path: Path) -> None:
    """Renders the graph to an SVG or PNG with Graphviz `dot`. Raises DiagramError without it."""
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise DiagramError(f"{path}: an image must be .svg or .png")
    program = renderer()
    if program is None:
        raise DiagramError(
            f"{path}: rendering an image needs Graphviz's `dot` (Debian/Ubuntu: apt-get install graphviz; "
            "macOS: brew install graphviz); the Mermaid text is written anyway"
        )
    with files.replacing(path) as temporary:
        result = subprocess.run(
            [program, f"-T{suffix[1:]}", "-o", str(temporary)],
            input=dot(graph).encode(),
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise DiagramError(f"{path}: dot failed: {result.stderr.decode(errors='replace').strip()}")


def write_diagram(recording: Recording, path: Path | str) -> list[Path]:
    """Writes the diagram in the format the suffix names; an image gets its Mermaid text beside it (`.mmd`).

    Returns the files written. `.mmd`/`.md`: Mermaid (`.md` fenced, for a page); `.dot`/`.gv`: Graphviz DOT;
    `.svg`/`.png`: an image rendered by Graphviz (DiagramError, after writing the Mermaid, without `dot`).
    """
    path = Path(path)
    graph = architecture(recording)
    suffix = path.suffix.lower()
    if suffix == ".md":
        files.write_text(path, f"```mermaid\n{mermaid(graph)}```\n")
        return [path]
    if suffix in (".dot", ".gv"):
        files.write_text(path, dot(graph))
        return [path]
    if suffix == ".mmd":
        files.write_text(path, mermaid(graph))
        return [path]
    if suffix not in IMAGE_SUFFIXES:
        raise DiagramError(f"{path}: unknown diagram format {suffix or '(none)'}; use .svg, .png, .mmd, .md or .dot")
    text_path = path.with_suffix(".mmd")
    files.write_text(text_path, mermaid(graph))
    render_image(graph, path)
    return [path, text_path]


README_START, README_END = "<!-- diagram:start -->", "<!-- diagram:end -->"


def readme_block(graph: Graph) -> str:
    """What README.md holds between its diagram markers."""
    return f"{README_START}\n```mermaid\n{mermaid(graph)}```\n{README_END}"


def update_readme(readme: Path, graph: Graph) -> bool:
    """Replaces the diagram between the markers; returns whether the file changed."""
    text = readme.read_text()
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise DiagramError(f"{readme} has no {README_START} ... {README_END} markers")
    updated = text[:start] + readme_block(graph) + text[end + len(README_END) :]
    if updated != text:
        readme.write_text(updated)
    return updated != text
