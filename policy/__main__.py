"""The secure-aws CrossGuard pack: `pulumi preview --policy-pack policy`. Only builds the pack (it never returns)."""

from pulumi_policy import EnforcementLevel, PolicyPack
from secure_aws_policies import ALL_POLICIES, decode_once

# Each resource decoded once per analysis instead of once per policy (see decode_once.py).
decode_once.install()

# Every policy sets its own level; the pack default only guards a policy that would forget to.
PolicyPack(name="secure-aws", policies=ALL_POLICIES, enforcement_level=EnforcementLevel.MANDATORY)
