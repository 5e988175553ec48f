"""secure-aws: a secure, compliant AWS environment in us-east-1.

config -> settings -> provider -> tiers -> outputs. Each tier is one component in components/.
"""

import pulumi

from components.encryption import Encryption, EncryptionArgs
from provider import aws_provider, component_opts
from settings import load_settings

settings = load_settings()
provider = aws_provider(settings)

encryption = Encryption("encryption", EncryptionArgs(settings=settings), opts=component_opts(provider))

pulumi.export("region", settings.region)
pulumi.export("kmsKeyArn", encryption.key_arn)
