"""`python -m preflight`: the offline `pulumi preview --policy-pack` (see preflight/cli.py)."""

import os
import sys

from preflight.cli import main

try:
    sys.exit(main())
except KeyboardInterrupt:
    sys.exit(130)
except BrokenPipeError:
    # The reader (`| head`) left: stop quietly, as a shell tool does.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
