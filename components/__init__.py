"""The stack's tiers: one `pulumi.ComponentResource` per module, wired together by `__main__.py`."""
