"""secure-aws: a secure, compliant AWS environment in us-east-1.

config -> settings -> provider -> tiers -> outputs. Each tier is one component in components/.
"""

import pulumi

from components.audit import Audit, AuditArgs
from components.encryption import Encryption, EncryptionArgs, default_trail_name
from components.network import Network, NetworkArgs
from components.storage import Storage, StorageArgs
from provider import aws_provider, component_opts
from settings import load_settings

settings = load_settings()
provider = aws_provider(settings)

encryption = Encryption("encryption", EncryptionArgs(settings=settings), opts=component_opts(provider))
network = Network(
    "network", NetworkArgs(settings=settings, kms_key_arn=encryption.key_arn), opts=component_opts(provider)
)
# The trail's name is fixed up front: the key policy and the trail bucket's policy name it before it exists.
trail_name = default_trail_name(settings)
storage = Storage(
    "storage",
    StorageArgs(
        kms_key_arn=encryption.key_arn,
        trail_name=trail_name,
        bucket_name_prefix=f"{settings.project}-{settings.stack}".lower(),
        region=settings.region,
        is_production=settings.is_production,
    ),
    opts=component_opts(provider),
)
audit = Audit(
    "audit",
    AuditArgs(
        kms_key_arn=encryption.key_arn,
        trail_name=trail_name,
        trail_bucket_name=storage.trail_bucket_name,
        trail_bucket_policy=storage.trail_bucket_policy,
        alert_email=settings.alert_email,
        log_retention_days=settings.log_retention_days,
        region=settings.region,
        is_production=settings.is_production,
    ),
    opts=component_opts(provider),
)

pulumi.export("region", settings.region)
pulumi.export("kmsKeyArn", encryption.key_arn)
pulumi.export("vpcId", network.vpc_id)
pulumi.export("publicSubnetIds", network.public_subnet_ids)
pulumi.export("appSubnetIds", network.app_subnet_ids)
pulumi.export("dataSubnetIds", network.data_subnet_ids)
pulumi.export("logBucketName", storage.log_bucket_name)
pulumi.export("trailBucketName", storage.trail_bucket_name)
pulumi.export("dataBucketName", storage.data_bucket_name)
pulumi.export("trailArn", audit.trail_arn)
pulumi.export("alertTopicArn", audit.alert_topic_arn)
