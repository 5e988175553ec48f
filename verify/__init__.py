"""Post-deploy verification (`make verify`): proves with boto3 what no preview can see.

After `pulumi up`, reads the stack's outputs and checks the live account: the trail delivers, the flow logs
deliver, someone confirmed the alert subscription, every alarm reaches the topic, the load balancer's access logs
arrive, the web ACL, GuardDuty and Config run, the database is what the stack declared, the security groups hold
exactly the declared rules, and (with `--invoke`) the compliance auditor runs clean. Every call is read-only
except that opt-in invocation.

Parts: `outputs.py` (the stack outputs), `session.py` (AWS credentials), `checks/` (one module per area),
`runner.py` (runs them), `report.py` (checklist and JSON), `cli.py` (`python -m verify`).
"""
