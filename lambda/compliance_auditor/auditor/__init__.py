"""The compliance auditor's building blocks: configuration, one module per check area, alerting and logging.

Lambda unpacks `lambda/compliance_auditor/` at the root of its task directory, so this package and `handler.py`
are top-level there; the package keeps the checks' names out of that shared top-level namespace.
"""
