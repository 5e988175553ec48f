"""What AWS refuses, as plain data and checks: settings.py's validators use these so a value AWS would refuse at
deploy time (after the key, buckets and trail exist) is refused before any resource is registered.

Each limit cites where it comes from. Plain Python plus pulumi-aws's own enums (the provider's list of instance
types and RDS instance classes), no resources.
"""

from __future__ import annotations

import re
import unicodedata

import pulumi_aws as aws

# Section: tags. "Tagging AWS resources" (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html) and
# every service's tag restrictions: at most 50 user tags per resource; letters, numbers and spaces representable in
# UTF-8 plus `+ - = . _ : / @`; the `aws:` prefix (any case) is reserved for keys and values. EC2's Tag API caps keys
# at 127 characters (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html), other services at 128,
# so 127 holds everywhere; values at 256. IAM treats tag keys case-insensitively (two keys differing only in case
# are refused on a role), and the provider's default tags reach every IAM role of this stack.
MAX_TAGS_PER_RESOURCE = 50
MAX_TAG_KEY_LENGTH = 127
MAX_TAG_VALUE_LENGTH = 256
TAG_SYMBOLS = frozenset("+-=._:/@ ")
# The tags the provider adds to everything (settings.Settings.tags) and the ones a tier adds to some resources
# (Name everywhere in the network tier and on instances, Tier on subnets): extraTags may not repeat them in any case.
DERIVED_TAG_KEYS = ("Environment", "Project", "ManagedBy")
TIER_TAG_KEYS = ("Name", "Tier")
MAX_EXTRA_TAGS = MAX_TAGS_PER_RESOURCE - len(DERIVED_TAG_KEYS) - len(TIER_TAG_KEYS)


def tag_text_problem(text: str, what: str, max_length: int) -> str | None:
    """Why AWS would refuse `text` as a tag key or value, or None."""
    if len(text) > max_length:
        return f"{what} {text[:20]!r}... is {len(text)} characters; AWS allows at most {max_length}"
    bad = sorted({char for char in text if char not in TAG_SYMBOLS and unicodedata.category(char)[0] not in "LNZ"})
    if bad:
        return (
            f"{what} {text!r} has characters AWS refuses in tags ({''.join(bad)!r}); allowed: letters, numbers, "
            "spaces and + - = . _ : / @"
        )
    if text.lower().startswith("aws:"):
        return f"{what} {text!r} starts with 'aws:', which AWS reserves for its own tags"
    return None


# Section: instance types. pulumi-aws's enums (pulumi_aws/ec2/_enums.py InstanceType, pulumi_aws/rds/_enums.py
# InstanceType) are the provider's own lists. The RDS one stops at older families (no db.m7g, db.r7g, ...), and an
# RDS class is `db.` plus the EC2 instance type of the same family, so a class is also accepted when it names an
# existing EC2 type of a family RDS offers for PostgreSQL (burstable t, general purpose m, memory optimized r, x, z:
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Types.html).
EC2_INSTANCE_TYPES = frozenset(member.value for member in aws.ec2.InstanceType)
_RDS_FAMILY = re.compile(r"^(t|m|r|x|z)\d")
# Mac instances run only on Dedicated Hosts, which an Auto Scaling group of default-tenancy instances cannot use.
_NEEDS_DEDICATED_HOST = re.compile(r"^mac")
RDS_INSTANCE_CLASSES = frozenset(member.value for member in aws.rds.InstanceType) | frozenset(
    f"db.{instance_type}" for instance_type in EC2_INSTANCE_TYPES if _RDS_FAMILY.match(instance_type)
)


def instance_type_problem(instance_type: str) -> str | None:
    """Why the Auto Scaling group could not launch `instance_type`, or None."""
    if instance_type not in EC2_INSTANCE_TYPES:
        return f"{instance_type!r} is not an EC2 instance type (pulumi-aws's aws.ec2.InstanceType lists them)"
    if _NEEDS_DEDICATED_HOST.match(instance_type):
        return f"{instance_type!r} runs only on a Dedicated Host; the app instances use default tenancy"
    return None


def db_instance_class_problem(instance_class: str) -> str | None:
    """Why RDS would refuse `instance_class`, or None."""
    if instance_class not in RDS_INSTANCE_CLASSES:
        return (
            f"{instance_class!r} is not an RDS instance class (db. plus a t, m, r, x or z instance type, e.g. "
            "db.t4g.medium, db.m7g.large)"
        )
    return None


# Section: PostgreSQL names. RDS CreateDBInstance: MasterUsername and DBName are 1 to 63 letters, digits or
# underscores starting with a letter, and "can't be a reserved word for the chosen database engine"
# (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html). PostgreSQL's reserved key
# words are the RESERVED_KEYWORD and TYPE_FUNC_NAME_KEYWORD entries of src/include/parser/kwlist.h (postgres/postgres;
# system_user since PostgreSQL 16), which a role or database name cannot be without quoting.
POSTGRES_RESERVED_WORDS = frozenset(
    """
    all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
    current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc
    distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral
    leading limit localtime localtimestamp not null offset on only or order placing primary references returning
    select session_user some symmetric system_user table then to trailing true union unique user using variadic when
    where window with
    authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like
    natural notnull outer overlaps right similar tablesample verbose
    """.split()  # noqa: SIM905 - the words as kwlist.h lists them, one block to compare
)
# PostgreSQL refuses CREATE ROLE for names starting with pg_ ("role name ... is reserved"), and RDS keeps rds_ and
# rdsadmin for its own roles.
RESERVED_ROLE_PREFIXES = ("pg_", "rds")
# Databases every RDS for PostgreSQL instance already has.
EXISTING_DATABASES = ("template0", "template1", "rdsadmin")


# Section: security group and Lambda quotas. "Inbound or outbound rules per security group": 60 by default, IPv4
# and IPv6 counted separately (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html). The app
# instances' group has one more inbound rule than the SSH ones (the app port from the load balancer).
SECURITY_GROUP_INBOUND_RULES = 60
APP_GROUP_OTHER_INBOUND_RULES = 1
MAX_CORPORATE_CIDRS = SECURITY_GROUP_INBOUND_RULES - APP_GROUP_OTHER_INBOUND_RULES
# The auditor gets the ranges as ALLOWED_SSH_CIDRS; Lambda refuses environment variables over 4 KB in total
# (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). 59 ranges of the longest form
# (255.255.255.255/32, 18 characters plus a comma) need 1,121 bytes, so the rule quota is the limit that binds; a
# test holds the recorded function's environment under 4 KB at MAX_CORPORATE_CIDRS.
LAMBDA_ENVIRONMENT_BYTES = 4096

# Section: VPC. CreateVpc: "The allowed block size is between a /16 netmask (65,536 IP addresses) and /28 netmask
# (16 IP addresses)" (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
VPC_WIDEST_PREFIX = 16

# Section: RDS storage autoscaling. RDS refuses a ceiling less than 10 % above the allocated storage ("Invalid max
# storage size"): "Set the maximum storage threshold to be at least 10% more than the currently allocated storage"
# (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html; AWS suggests 26 % to avoid
# the event that the ceiling is near).
MIN_STORAGE_HEADROOM_PERCENT = 10
# The largest gp3 volume RDS for PostgreSQL offers, in GiB (64 TiB).
MAX_RDS_STORAGE_GB = 65536


def min_max_allocated_storage_gb(allocated_gb: int) -> int:
    """The smallest storage autoscaling ceiling RDS accepts for `allocated_gb` (10 % above it, rounded up)."""
    return -(-allocated_gb * (100 + MIN_STORAGE_HEADROOM_PERCENT) // 100)
