"""secure-aws: a secure, compliant AWS environment in us-east-1.

config -> settings -> provider -> tiers -> outputs. Each tier is one component in components/.
"""

import pulumi

from components.encryption import Encryption, EncryptionArgs
from components.network import Network, NetworkArgs
from provider import aws_provider, component_opts
from settings import load_settings

settings = load_settings()
provider = aws_provider(settings)

encryption = Encryption("encryption", EncryptionArgs(settings=settings), opts=component_opts(provider))
network = Network(
    "network", NetworkArgs(settings=settings, kms_key_arn=encryption.key_arn), opts=component_opts(provider)
)

pulumi.export("region", settings.region)
pulumi.export("kmsKeyArn", encryption.key_arn)
pulumi.export("vpcId", network.vpc_id)
pulumi.export("publicSubnetIds", network.public_subnet_ids)
pulumi.export("appSubnetIds", network.app_subnet_ids)
pulumi.export("dataSubnetIds", network.data_subnet_ids)
