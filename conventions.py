"""The program's facts, stated once: what settings.py validates config against and the components build with.

settings.py imports these to refuse bad config; a component imports them to check its own args and to build (it
never imports settings itself). Plain values only, no Pulumi. The policy pack keeps its own copies on purpose
(it must judge the program independently); tests/test_contracts.py holds those copies equal to these.
"""

from __future__ import annotations

# Section: the stack ------------------------------------------------------------------------------------------------

REQUIRED_REGION = "us-east-1"
PRODUCTION_ENVIRONMENT = "Production"

# Section: logs and backups -----------------------------------------------------------------------------------------

MIN_PRODUCTION_LOG_RETENTION_DAYS = 365
# The values CloudWatch Logs accepts for retentionInDays (0, "never expire", is refused: logs must age out).
CLOUDWATCH_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
MIN_BACKUP_RETENTION_DAYS = 7

# Section: the network ----------------------------------------------------------------------------------------------

# Every tier runs in at least two availability zones, so one AZ down is no outage.
MIN_AZ_COUNT = 2
# The subnet plan (components/network.py): the VPC range is cut into 2**SUBNET_PREFIX_DIFF equal slots, and each
# of the three tiers owns a fixed block of SUBNET_SLOTS_PER_TIER of them, one per AZ (16 slots: three blocks of
# five), so adding an AZ later never renumbers existing subnets. Hence at most five AZs.
SUBNET_PREFIX_DIFF = 4
SUBNET_SLOTS_PER_TIER = 5
MAX_AZ_COUNT = SUBNET_SLOTS_PER_TIER
# A load balancer's subnet needs at least a /27 (ELB's documented minimum, so it has room to scale): with subnets
# SUBNET_PREFIX_DIFF bits longer than the VPC's prefix, a /23 VPC is the smallest.
MIN_LOAD_BALANCER_SUBNET_PREFIX = 27
MAX_VPC_PREFIX = MIN_LOAD_BALANCER_SUBNET_PREFIX - SUBNET_PREFIX_DIFF
NAT_PER_AZ = "perAz"
NAT_SINGLE = "single"
NAT_GATEWAY_MODES = (NAT_PER_AZ, NAT_SINGLE)
HTTPS_PORT = 443
HTTP_PORT = 80
SSH_PORT = 22

# Section: the web tier ---------------------------------------------------------------------------------------------

# The ELB security policies a listener may use: TLS 1.3 with TLS 1.2 only with forward-secret AEAD ciphers (or TLS
# 1.3 only), their FIPS and post-quantum (PQ) variants: the ones FSBP ELB.17 passes. The same list as the policy
# pack's lb-listener-tls-policy (tests/test_contracts.py), which refuses any other, e.g. the TLS 1.2-only
# ELBSecurityPolicy-FS-1-2-Res-2020-10. Names from the ALB security policy table:
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
ALLOWED_TLS_POLICIES = (
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
)

# Section: the database ---------------------------------------------------------------------------------------------

SUPPORTED_POSTGRES_MAJOR_VERSIONS = ("16", "17")
# Reserved by RDS for PostgreSQL or trivially guessable (FSBP RDS.25 wants a custom administrator name).
RESERVED_DB_USERNAMES = ("postgres", "admin", "administrator", "root", "rdsadmin", "master", "user")
