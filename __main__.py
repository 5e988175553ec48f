"""secure-aws: a secure, compliant AWS environment in us-east-1.

config -> settings -> provider -> tiers -> outputs. Each tier is one component in components/.
"""

import pulumi

from components.audit import Audit, AuditArgs
from components.baseline import AccountBaseline, AccountBaselineArgs
from components.database import Database, DatabaseArgs, DatabaseEngineArgs, DatabaseNetworkArgs
from components.detection import Detection, DetectionArgs, finding_rule_prefix
from components.encryption import Encryption, EncryptionArgs, stack_trail_name
from components.function import (
    ComplianceAuditor,
    ComplianceAuditorArgs,
    ComplianceAuditorNetworkArgs,
    ComplianceAuditorRunArgs,
)
from components.network import Network, NetworkArgs
from components.storage import Storage, StorageArgs
from components.web import (
    WebCertificateArgs,
    WebFirewallArgs,
    WebInstanceArgs,
    WebLogArgs,
    WebNetworkArgs,
    WebScalingArgs,
    WebTier,
    WebTierArgs,
)
from provider import aws_provider, component_opts
from settings import load_settings

settings = load_settings()
provider = aws_provider(settings)
name_prefix = f"{settings.project}-{settings.stack}"
# Where another owner (an organization, Control Tower) holds the one-per-account settings, this stack leaves them.
owns_account_baseline = settings.detection.manage_account_baseline
# AWS Config delivers under this prefix of the (KMS-encrypted, access-logged) CloudTrail bucket.
config_delivery_prefix = "config"

# The trail's name is fixed up front: the key policy and the trail bucket's policy name it before it exists.
trail_name = stack_trail_name(settings.project, settings.stack)
encryption = Encryption(
    "encryption",
    EncryptionArgs(
        project=settings.project,
        stack=settings.stack,
        region=settings.region,
        trail_name=trail_name,
        is_production=settings.is_production,
        config_delivery=owns_account_baseline,
    ),
    opts=component_opts(provider),
)
if owns_account_baseline:
    AccountBaseline("baseline", AccountBaselineArgs(kms_key_arn=encryption.key_arn), opts=component_opts(provider))
network = Network(
    "network",
    NetworkArgs(
        project=settings.project,
        stack=settings.stack,
        region=settings.region,
        vpc_cidr=settings.vpc_cidr,
        az_count=settings.az_count,
        nat_gateways=settings.nat_gateways,
        log_retention_days=settings.log_retention_days,
        is_production=settings.is_production,
        kms_key_arn=encryption.key_arn,
        instance_type=settings.web.instance_type,
    ),
    opts=component_opts(provider),
)
storage = Storage(
    "storage",
    StorageArgs(
        kms_key_arn=encryption.key_arn,
        trail_name=trail_name,
        bucket_name_prefix=f"{settings.project}-{settings.stack}".lower(),
        region=settings.region,
        is_production=settings.is_production,
        config_delivery_prefix=config_delivery_prefix if owns_account_baseline else None,
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
        event_rule_name_prefix=finding_rule_prefix(name_prefix),
    ),
    opts=component_opts(provider),
)
detection = Detection(
    "detection",
    DetectionArgs(
        name_prefix=name_prefix,
        manage_account_singletons=owns_account_baseline,
        kms_key_arn=encryption.key_arn,
        alert_topic_arn=audit.alert_topic_arn,
        config_bucket_name=storage.trail_bucket_name,
        config_key_prefix=config_delivery_prefix,
        config_bucket_policy=storage.trail_bucket_policy,
        required_tags={key: settings.tags[key] for key in ("Environment", "Project", "ManagedBy")},
        region=settings.region,
        is_production=settings.is_production,
    ),
    opts=component_opts(provider),
)

web = WebTier(
    "web",
    WebTierArgs(
        network=WebNetworkArgs(
            vpc_id=network.vpc_id,
            public_subnet_ids=network.public_subnet_ids,
            app_subnet_ids=network.app_subnet_ids,
            corporate_cidrs=settings.corporate_cidrs,
            egress_routes=network.app_egress_routes,
        ),
        certificate=WebCertificateArgs(
            certificate_arn=settings.web.certificate_arn,
            domain_name=settings.web.domain_name,
            hosted_zone_id=settings.web.hosted_zone_id,
            tls_policy=settings.web.tls_policy,
        ),
        instances=WebInstanceArgs(
            instance_type=settings.web.instance_type,
            app_port=settings.web.app_port,
            health_check_path=settings.web.health_check_path,
            tags=settings.tags,
        ),
        scaling=WebScalingArgs(
            min_size=settings.web.min_size,
            max_size=settings.web.max_size,
            desired_capacity=settings.web.desired_capacity,
        ),
        logs=WebLogArgs(
            access_log_bucket_name=storage.log_bucket_name,
            access_log_prefix=storage.alb_log_prefix,
            # AWS test-writes to the bucket when access logs are turned on: its policy must exist first.
            access_logs_depends_on=[storage],
            app_log_retention_days=settings.log_retention_days,
        ),
        kms_key_arn=encryption.key_arn,
        alert_topic_arn=audit.alert_topic_arn,
        firewall=WebFirewallArgs(
            web_acl_name=f"{name_prefix}-web", rate_limit=settings.detection.waf_rate_limit, region=settings.region
        ),
        is_production=settings.is_production,
    ),
    opts=component_opts(provider),
)
# Catches drift the policy pack cannot see (console and other tools) and reports it to the alert topic.
auditor = ComplianceAuditor(
    "function",
    ComplianceAuditorArgs(
        function_name=f"{settings.project}-{settings.stack}-compliance-auditor",
        network=ComplianceAuditorNetworkArgs(
            vpc_id=network.vpc_id,
            app_subnet_ids=network.app_subnet_ids,
            egress_routes=network.app_egress_routes,
        ),
        run=ComplianceAuditorRunArgs(
            schedule=settings.function.audit_schedule,
            reserved_concurrency=settings.function.reserved_concurrency,
        ),
        kms_key_arn=encryption.key_arn,
        alert_topic_arn=audit.alert_topic_arn,
        allowed_ssh_cidrs=settings.corporate_cidrs,
        region=settings.region,
        log_retention_days=settings.log_retention_days,
        is_production=settings.is_production,
    ),
    opts=component_opts(provider),
)
database = Database(
    "database",
    DatabaseArgs(
        identifier=f"{settings.project}-{settings.stack}-db".lower(),
        network=DatabaseNetworkArgs(
            vpc_id=network.vpc_id,
            data_subnet_ids=network.data_subnet_ids,
            port=settings.database.port,
            # The only security groups that may reach PostgreSQL. The app instances connect (this tier also opens
            # their egress); the auditor is admitted, but its own group sends nothing but HTTPS.
            connecting_security_group_ids={"app": web.app_security_group_id},
            admitted_security_group_ids={"auditor": auditor.security_group_id},
        ),
        engine=DatabaseEngineArgs(
            engine_version=settings.database.engine_version,
            instance_class=settings.database.instance_class,
            allocated_storage_gb=settings.database.allocated_storage_gb,
            max_allocated_storage_gb=settings.database.max_allocated_storage_gb,
            master_username=settings.database.master_username,
            db_name=settings.database.db_name,
        ),
        kms_key_arn=encryption.key_arn,
        alert_topic_arn=audit.alert_topic_arn,
        backup_retention_days=settings.database.backup_retention_days,
        log_retention_days=settings.log_retention_days,
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
pulumi.export("loadBalancerDnsName", web.load_balancer_dns_name)
if web.site_url is not None:
    pulumi.export("siteUrl", web.site_url)
pulumi.export("targetGroupArn", web.target_group_arn)
pulumi.export("databaseEndpoint", database.endpoint)
pulumi.export("databasePort", database.port)
pulumi.export("databaseMasterSecretArn", database.master_user_secret_arn)
pulumi.export("auditorFunctionName", auditor.function_name)
pulumi.export("webAclArn", web.web_acl_arn)
# Only where this stack owns them (manageAccountBaseline).
if detection.detector_id is not None:
    pulumi.export("guardDutyDetectorId", detection.detector_id)
if detection.recorder_name is not None:
    pulumi.export("configRecorderName", detection.recorder_name)
# What `make verify` compares the live security groups with (verify/checks/security_groups.py).
pulumi.export(
    "securityGroupIds",
    {
        "loadBalancer": web.load_balancer_security_group_id,
        "app": web.app_security_group_id,
        "database": database.security_group_id,
        "auditor": auditor.security_group_id,
    },
)
pulumi.export("appPort", settings.web.app_port)
pulumi.export("corporateCidrs", list(settings.corporate_cidrs))
