"""`python -m preflight.diagram` (see preflight/diagram/cli.py)."""

from preflight.diagram.cli import main

raise SystemExit(main())
