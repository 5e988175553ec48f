"""The policies, one module per AWS service area (`s3.py`, `rds.py`, `elb.py`, ...; `tagging.py` and `region.py`
judge every service). Each policy registers itself where it is defined; `secure_aws_policies` imports every module
of this package, so a new module is in the pack as soon as it exists."""
