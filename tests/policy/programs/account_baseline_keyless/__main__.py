"""EBS encryption by default turned on with no aws.ebs.DefaultKmsKey: AWS then encrypts new volumes with its managed
key aws/ebs (tests/policy/test_account_baseline.py)."""

import pulumi_aws as aws

aws.ebs.EncryptionByDefault("ebs-default-on", enabled=True)
