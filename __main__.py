"""secure-aws: a secure, compliant AWS environment in us-east-1.

config -> settings -> provider -> tiers -> outputs. Each tier is one component in components/.
"""

import pulumi

from provider import aws_provider
from settings import load_settings

settings = load_settings()
provider = aws_provider(settings)

pulumi.export("region", settings.region)
