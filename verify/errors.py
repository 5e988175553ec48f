"""The one error that stops verification before any check runs (exit 2): no outputs, no credentials, bad usage."""


class VerifyUsageError(Exception):
    """Verification cannot start; the message says what is missing and how to give it."""
