"""What the web tier's instances run: the server, its systemd unit, the CloudWatch agent config, the user data.

The files in components/web_instance/ are read at program time; these tests run, parse and verify the very files
the instances get (tests/test_web.py checks that the launch template carries them).
"""

from __future__ import annotations

import ast
import base64
import configparser
import http.client
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from components.web_instance import server, user_data
from components.web_instance.user_data import (
    AGENT_CONFIG,
    APP_LOG_FILE,
    MAX_USER_DATA_BYTES,
    SERVER,
    SERVER_INSTALL_PATH,
    render_agent_config,
    render_script,
    render_unit,
    render_user_data,
)

LOG_GROUP = "/secure-aws/web/app-20260101000000000000000001"


# Section: the server ---------------------------------------------------------------------------------------------


@pytest.fixture
def running_server() -> Iterator[server.AppServer]:
    # Port 0: the OS picks a free port, so parallel runs never collide.
    app = server.AppServer(("127.0.0.1", 0), "/healthz")
    thread = threading.Thread(target=app.serve_forever, daemon=True)
    thread.start()
    yield app
    app.shutdown()
    app.server_close()
    thread.join(timeout=5)


def _request(app: server.AppServer, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", app.server_address[1], timeout=5)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_the_server_answers_ok_on_the_health_path(running_server):
    status, headers, body = _request(running_server, "GET", "/healthz")
    assert (status, body) == (200, b"ok\n")
    assert headers["Content-Type"] == "text/plain"
    assert headers["Cache-Control"] == "no-store"


def test_the_health_check_ignores_the_query_string(running_server):
    assert _request(running_server, "GET", "/healthz?probe=elb")[2] == b"ok\n"


def test_the_server_answers_the_page_anywhere_else(running_server):
    status, headers, body = _request(running_server, "GET", "/anything")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"secure-aws" in body


def test_head_answers_without_a_body(running_server):
    status, headers, body = _request(running_server, "HEAD", "/healthz")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == "3"


def test_the_server_does_not_reveal_its_software(running_server):
    # http.server would say "BaseHTTP/0.6 Python/3.9.x"; the page says nothing an attacker could look up.
    assert _request(running_server, "GET", "/")[1]["Server"].strip() == "app"


def test_the_server_runs_on_amazon_linux_2023_python_3_9_with_the_standard_library_only():
    tree = ast.parse(SERVER.read_text(), feature_version=(3, 9))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


# Section: the systemd unit ---------------------------------------------------------------------------------------


def _unit(app_port: int = 8080, health_check_path: str = "/health") -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(render_unit(app_port, health_check_path))
    return parser


def test_the_unit_runs_the_installed_server_as_the_app_user_and_restarts_it():
    service = _unit()["Service"]
    assert service["ExecStart"] == f"/usr/bin/python3 {SERVER_INSTALL_PATH}"
    assert service["User"] == "app"
    assert service["Restart"] == "always"
    assert service["Environment"] == "APP_PORT=8080 HEALTH_PATH=/health"
    assert _unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_unit_appends_output_to_the_log_file_the_agent_ships():
    service = _unit()["Service"]
    assert service["StandardOutput"] == service["StandardError"] == f"append:{APP_LOG_FILE}"
    assert service["ReadWritePaths"] == str(Path(APP_LOG_FILE).parent)
    (shipped,) = json.loads(render_agent_config(LOG_GROUP))["logs"]["logs_collected"]["files"]["collect_list"]
    assert shipped["file_path"] == APP_LOG_FILE


def test_the_unit_sandboxes_the_server():
    service = _unit()["Service"]
    assert (service["NoNewPrivileges"], service["ProtectSystem"], service["ProtectHome"], service["PrivateTmp"]) == (
        "true",
        "strict",
        "true",
        "true",
    )


def test_a_percent_sign_in_the_health_path_reaches_the_server_literally():
    # systemd expands %-specifiers in Environment=: "%%" is a literal "%".
    assert _unit(health_check_path="/status%20page")["Service"]["Environment"].endswith("HEALTH_PATH=/status%%20page")


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian package systemd); the configparser checks above still run",
)
def test_systemd_accepts_the_unit(tmp_path):
    unit = tmp_path / "app.service"
    unit.write_text(render_unit(8080, "/health"))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60
    )
    # A fatal error fails the command; an unknown or misspelt key is only "ignoring" on stderr.
    assert result.returncode == 0, result.stderr
    assert "ignoring" not in result.stderr.lower(), result.stderr


# Section: the CloudWatch agent config ----------------------------------------------------------------------------


def test_the_agent_config_file_is_json():
    json.loads(AGENT_CONFIG.read_text())


def test_the_agent_ships_the_app_log_to_the_app_log_group_one_stream_per_instance():
    (app_log,) = json.loads(render_agent_config(LOG_GROUP))["logs"]["logs_collected"]["files"]["collect_list"]
    assert app_log == {"file_path": APP_LOG_FILE, "log_group_name": LOG_GROUP, "log_stream_name": "{instance_id}"}


def test_the_agent_puts_metrics_only_into_the_namespace_its_role_allows():
    # The instance role grants cloudwatch:PutMetricData only with cloudwatch:namespace = CWAgent.
    config = json.loads(render_agent_config(LOG_GROUP))
    assert config["metrics"]["namespace"] == "CWAgent"
    assert config["agent"]["run_as_user"] == "cwagent"


# Section: the user data ------------------------------------------------------------------------------------------


def _heredoc(script: str, path: str, delimiter: str) -> str:
    return script.split(f"cat > {path} <<'{delimiter}'\n", 1)[1].split(f"\n{delimiter}\n", 1)[0] + "\n"


def test_the_user_data_installs_the_files_verbatim():
    script = render_script(8080, "/health", LOG_GROUP)
    assert _heredoc(script, SERVER_INSTALL_PATH, "PY") == SERVER.read_text()
    assert _heredoc(script, "/etc/systemd/system/app.service", "UNIT") == render_unit(8080, "/health")
    assert _heredoc(script, "/opt/aws/amazon-cloudwatch-agent/etc/app.json", "JSON") == (
        render_agent_config(LOG_GROUP) + "\n"
    )


def test_the_user_data_is_a_valid_bash_script():
    result = subprocess.run(
        ["bash", "-n"], input=render_script(8080, "/health", LOG_GROUP), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_the_user_data_is_base64_of_the_script():
    encoded = render_user_data(8080, "/health", LOG_GROUP)
    assert base64.b64decode(encoded).decode() == render_script(8080, "/health", LOG_GROUP)


def test_the_largest_user_data_settings_allow_fits_ec2s_16_kb():
    # settings.py allows a health path of up to 1024 characters; CloudWatch log group names are at most 512.
    script = render_script(65535, "/" + "h" * 1023, "/" + "g" * 511)
    assert len(script.encode()) <= MAX_USER_DATA_BYTES


def test_user_data_over_16_kb_is_refused_before_deploying(monkeypatch):
    monkeypatch.setattr(user_data, "MAX_USER_DATA_BYTES", 1024)
    with pytest.raises(ValueError, match="EC2 accepts at most 1024"):
        render_script(8080, "/health", LOG_GROUP)


def test_a_file_line_that_would_end_its_here_document_is_refused(monkeypatch, tmp_path):
    broken = tmp_path / "server.py"
    broken.write_text("print('before')\nPY\nprint('after')\n")
    monkeypatch.setattr(user_data, "SERVER", broken)
    with pytest.raises(ValueError, match="here-document's delimiter 'PY'"):
        render_script(8080, "/health", LOG_GROUP)


# Section: package installs retry ------------------------------------------------------------------------------------


def _run_install(tmp_path: Path, failures: int) -> tuple[subprocess.CompletedProcess[str], list[str], list[str]]:
    """Runs the user data's install_packages under `set -euo pipefail`, as the script does, with a `dnf` that fails
    `failures` times before it succeeds and a `sleep` that only records its pause (both on PATH in front)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls, pauses = tmp_path / "dnf-calls", tmp_path / "pauses"
    (bin_dir / "dnf").write_text(
        f'#!/bin/bash\necho "$*" >> {calls}\n'
        f'[ "$(wc -l < {calls})" -gt {failures} ] || {{ echo "Curl error (28): Timeout" >&2; exit 1; }}\n'
    )
    (bin_dir / "sleep").write_text(f'#!/bin/bash\necho "$1" >> {pauses}\n')
    for stub in ("dnf", "sleep"):
        (bin_dir / stub).chmod(0o755)
    script = (
        "set -euo pipefail\n"
        + user_data.install_packages_function()
        + "install_packages amazon-cloudwatch-agent\necho installed\n"
    )
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=30, env={"PATH": f"{bin_dir}:/usr/bin:/bin"}
    )
    return result, _lines(calls), _lines(pauses)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_the_user_data_installs_the_agent_through_the_retrying_function():
    script = render_script(8080, "/health", LOG_GROUP)
    assert user_data.install_packages_function() in script
    assert "install_packages amazon-cloudwatch-agent\n" in script
    assert "\ndnf install -y amazon-cloudwatch-agent" not in script


def test_a_package_install_that_fails_twice_is_retried_with_growing_pauses(tmp_path):
    result, calls, pauses = _run_install(tmp_path, failures=2)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "installed"
    assert calls == ["install -y amazon-cloudwatch-agent"] * 3
    step = user_data.PACKAGE_RETRY_PAUSE_SECONDS
    assert pauses == [str(step), str(2 * step)]


def test_a_package_install_that_keeps_failing_stops_the_script_after_the_last_attempt(tmp_path):
    # Stopping (set -e) makes cloud-init report the boot as failed instead of leaving an instance without its agent
    # looking healthy.
    result, calls, pauses = _run_install(tmp_path, failures=99)
    assert result.returncode != 0
    assert "installed" not in result.stdout
    assert len(calls) == user_data.PACKAGE_INSTALL_ATTEMPTS
    assert len(pauses) == user_data.PACKAGE_INSTALL_ATTEMPTS - 1
    assert f"attempt {user_data.PACKAGE_INSTALL_ATTEMPTS} of {user_data.PACKAGE_INSTALL_ATTEMPTS}" in result.stderr
