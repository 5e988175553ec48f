"""`python -m preflight`: the offline `pulumi preview --policy-pack` (see preflight/cli.py)."""

import os
import signal
import sys

# Bound now: while a program runs, `os._exit` is replaced by one that refuses to end the process (preflight.record).
_exit_now = os._exit


def _stop(signum: int, frame: object) -> None:
    """Ctrl-C, or a CI job cancelled (SIGTERM): stop the pack processes and exit 128+signal at once.

    The program runs inside the SDK's event loop, which would turn a KeyboardInterrupt into a program error or
    swallow it (so do imports that guard themselves with a bare `except`); nothing here is worth finishing, so
    the command stops where it is.
    """
    pack_process = sys.modules.get("preflight.pack_process")
    if pack_process is not None:  # not imported yet: no pack process to stop
        pack_process.terminate_all()
    # The real stderr: the program's own output is being captured when the signal may come.
    stderr = sys.__stderr__
    if stderr is not None:  # None only without a console (pythonw)
        stderr.write(f"\ninterrupted ({signal.Signals(signum).name})\n")
        stderr.flush()
    _exit_now(128 + signum)


# Before anything else is imported, so an interrupt at any moment takes this path.
for _signal in (signal.SIGINT, signal.SIGTERM):
    if signal.getsignal(_signal) is not signal.SIG_IGN:  # `nohup` or a background job keeps ignoring it
        signal.signal(_signal, _stop)

from preflight.cli import main  # noqa: E402 (after the signal handlers, on purpose)

try:
    sys.exit(main())
except BrokenPipeError:
    # The reader (`| head`) left: stop quietly, as a shell tool does.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
