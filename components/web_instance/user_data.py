"""The web tier's user data: a cloud-init shell script that installs the files beside this module on an instance.

The script creates the unprivileged `app` user, writes server.py to /opt/app and app.service (with the app port,
health path and log file filled in) to /etc/systemd/system, starts the service, then installs the CloudWatch agent
with cloudwatch-agent.json (the application log file and its log group filled in). The files are read here, at
program time, so what the tests lint and run is byte for byte what the instances get.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path, PurePosixPath

FILES = Path(__file__).resolve().parent
SERVER = FILES / "server.py"
UNIT = FILES / "app.service"
AGENT_CONFIG = FILES / "cloudwatch-agent.json"
# Where the app is installed: what app.service runs.
SERVER_INSTALL_PATH = "/opt/app/server.py"
# app.service appends the server's output here (the one directory it may write to); the CloudWatch agent ships it
# to the app log group.
APP_LOG_FILE = "/var/log/app/app.log"
# The namespace the agent puts its metrics into (cloudwatch-agent.json): the instance role allows no other.
AGENT_METRIC_NAMESPACE: str = json.loads(AGENT_CONFIG.read_text())["metrics"]["namespace"]
# Package installs retry with a growing pause (PACKAGE_RETRY_PAUSE_SECONDS times the attempt number): a NAT route
# or a repository mirror that does not answer yet at first boot must not leave an instance without its agent.
PACKAGE_INSTALL_ATTEMPTS = 5
PACKAGE_RETRY_PAUSE_SECONDS = 15
# EC2: "User data is limited to 16 KB, in raw form, before it is base64-encoded" (EC2 User Guide, "Work with
# instance user data"); a launch template with more is refused at deploy time.
MAX_USER_DATA_BYTES = 16 * 1024


def render_unit(app_port: int, health_check_path: str) -> str:
    """app.service with the port, health path, server and log file filled in."""
    # systemd expands %-specifiers in Environment=; a literal % in the path must be doubled.
    return UNIT.read_text().format(
        port=app_port,
        health_path=health_check_path.replace("%", "%%"),
        server_path=SERVER_INSTALL_PATH,
        log_file=APP_LOG_FILE,
        log_dir=PurePosixPath(APP_LOG_FILE).parent,
    )


def render_agent_config(log_group: str) -> str:
    """cloudwatch-agent.json with the application log file and the log group it goes to filled in."""
    config = json.loads(AGENT_CONFIG.read_text())
    (app_log,) = config["logs"]["logs_collected"]["files"]["collect_list"]
    app_log["file_path"] = APP_LOG_FILE
    app_log["log_group_name"] = log_group
    return json.dumps(config, indent=2)


def _heredoc(path: str, content: str, delimiter: str) -> str:
    """A `cat > path` of `content`, verbatim: a quoted delimiter turns off every shell expansion inside it."""
    if delimiter in content.splitlines():
        raise ValueError(f"{path}: a line of the file is the here-document's delimiter {delimiter!r}")
    return f"cat > {path} <<'{delimiter}'\n{content.rstrip(chr(10))}\n{delimiter}\n"


def install_packages_function() -> str:
    """A shell function `install_packages PKG...`: dnf install, retried with a linear backoff; it fails (and with
    `set -e` stops the script, so cloud-init reports the boot as failed) only after PACKAGE_INSTALL_ATTEMPTS tries.
    dnf's own `retries` covers one download; this covers a whole install that fails (no route yet, a repository
    metadata error). Exported for testing."""
    return (
        "install_packages() {\n"
        "  local attempt\n"
        f"  for attempt in $(seq 1 {PACKAGE_INSTALL_ATTEMPTS}); do\n"
        '    if dnf install -y "$@"; then return 0; fi\n'
        f'    echo "dnf install $* failed (attempt $attempt of {PACKAGE_INSTALL_ATTEMPTS})" >&2\n'
        f'    if [ "$attempt" -lt {PACKAGE_INSTALL_ATTEMPTS} ]; then '
        f"sleep $((attempt * {PACKAGE_RETRY_PAUSE_SECONDS})); fi\n"
        "  done\n"
        "  return 1\n"
        "}\n"
    )


def render_script(app_port: int, health_check_path: str, log_group: str) -> str:
    """The cloud-init shell script, in plain text."""
    script = (
        "#!/bin/bash\n"
        "set -euo pipefail\n"
        "useradd --system --no-create-home --shell /sbin/nologin app || true\n"
        f"install -d -o app -g app -m 0755 {PurePosixPath(APP_LOG_FILE).parent}\n"
        f"install -d -m 0755 {PurePosixPath(SERVER_INSTALL_PATH).parent}\n"
        + _heredoc(SERVER_INSTALL_PATH, SERVER.read_text(), "PY")
        + _heredoc("/etc/systemd/system/app.service", render_unit(app_port, health_check_path), "UNIT")
        + "systemctl daemon-reload\n"
        "systemctl enable --now app.service\n"
        "\n"
        + install_packages_function()
        + "install_packages amazon-cloudwatch-agent\n"
        + _heredoc("/opt/aws/amazon-cloudwatch-agent/etc/app.json", render_agent_config(log_group), "JSON")
        + "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \\\n"
        "  -c file:/opt/aws/amazon-cloudwatch-agent/etc/app.json\n"
    )
    size = len(script.encode())
    if size > MAX_USER_DATA_BYTES:
        raise ValueError(f"WebTier: the user data is {size} bytes; EC2 accepts at most {MAX_USER_DATA_BYTES}")
    return script


def render_user_data(app_port: int, health_check_path: str, log_group: str) -> str:
    """The script, base64-encoded, as a launch template's user_data must be."""
    return base64.b64encode(render_script(app_port, health_check_path, log_group).encode()).decode()
