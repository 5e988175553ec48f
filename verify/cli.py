"""`python -m verify`: check a deployed stack; exit 0 (all pass, warnings allowed), 1 (a failure), 2 (cannot start)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from verify.context import Context
from verify.errors import VerifyUsageError
from verify.outputs import load_outputs
from verify.report import exit_code, json_report, text_report
from verify.runner import run_checks
from verify.session import caller_account, open_session

USAGE_ERROR = 2
PROJECT_DIR = Path(__file__).resolve().parent.parent


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m verify",
        description="After `pulumi up`: checks the live account with read-only AWS calls (the trail, flow logs, "
        "alert subscription, alarms, load balancer access logs, database, security groups, auditor).",
    )
    parser.add_argument("--stack", default="prod", help="the stack whose outputs to read (default: prod)")
    parser.add_argument(
        "--outputs",
        type=Path,
        metavar="FILE",
        help="the stack's outputs as JSON (`pulumi stack output --json --show-secrets=false`), "
        "instead of asking the Pulumi CLI",
    )
    parser.add_argument("--profile", help="the AWS profile to use (default: the usual credential chain)")
    parser.add_argument("--region", help="override the region (default: the stack's `region` output)")
    parser.add_argument("--json", action="store_true", help="print a JSON report for CI instead of the checklist")
    parser.add_argument(
        "--invoke",
        action="store_true",
        help="also run the compliance auditor now and require no findings (NOT read-only: it runs an audit, "
        "puts its metric and mails any findings)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exit_:  # argparse: --help is 0, a usage error 2
        return int(exit_.code or 0)
    try:
        outputs = load_outputs(args.stack, args.outputs, PROJECT_DIR)
        region = args.region or outputs.get("region")
        if not region:
            raise VerifyUsageError("the stack's outputs have no `region`: give --region")
        session = open_session(region, args.profile)
        account_id = caller_account(session)
    except VerifyUsageError as error:
        print(f"verify: {error}", file=sys.stderr)
        return USAGE_ERROR
    results = run_checks(Context(outputs, session, account_id, invoke_auditor=args.invoke))
    render = json_report if args.json else text_report
    print(render(results, args.stack, account_id, region))
    return exit_code(results)
