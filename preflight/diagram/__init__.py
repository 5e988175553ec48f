"""Architecture diagram: drawn from a recorded resource graph, never by hand.

Cut along its seams:

- `graph`: the `Graph` that is drawn, and `Resources`, which reads what the program registered (types,
  inputs, parents and the property dependencies the SDK sends with each registration);
- `layout`: `architecture(recording)`, what of it the diagram shows and where (components as clusters, the
  network by zone, the traffic, egress and audit paths);
- `render`: Mermaid, Graphviz DOT, an SVG/PNG image, the README's copy; `write_diagram(recording, path)` picks
  the format from the file's suffix;
- `cli`: `python -m preflight.diagram`, which keeps README.md's copy and docs/architecture.svg up to date.
"""

from preflight.diagram.graph import DATA, EGRESS, TRAFFIC, Cluster, Edge, Graph, Node
from preflight.diagram.layout import architecture
from preflight.diagram.render import (
    IMAGE_SUFFIXES,
    SUFFIXES,
    TEXT_SUFFIXES,
    DiagramError,
    dot,
    mermaid,
    readme_block,
    render_image,
    renderer,
    update_readme,
    write_diagram,
)

__all__ = [
    "DATA",
    "EGRESS",
    "IMAGE_SUFFIXES",
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "TRAFFIC",
    "Cluster",
    "DiagramError",
    "Edge",
    "Graph",
    "Node",
    "architecture",
    "dot",
    "mermaid",
    "readme_block",
    "render_image",
    "renderer",
    "update_readme",
    "write_diagram",
]
