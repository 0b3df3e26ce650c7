"""Several app servers on one PostgreSQL and one Redis (issue 17; README "Scaling out").

`make cluster-check` (bench/cluster.py) proves it with 8 kiosks x 25 journeys; here the same
code runs a short version (2 kiosks x 3 journeys, one server still killed midway) so it cannot
rot, and two quick tests keep its pieces honest.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clinic.app import create_app

ROOT = Path(__file__).resolve().parents[2]
NGINX_DIR = ROOT / "deploy" / "nginx"
SBIN = "/usr/sbin:/sbin:/usr/bin"
TOOLS = ("nginx", "redis-server", "pg_ctlcluster")
MISSING = [tool for tool in TOOLS if not (shutil.which(tool) or shutil.which(tool, path=SBIN))]
# Lines of the production configuration that name its single Unix-socket upstream.
SINGLE_SERVER_ONLY = ("server unix:@SOCKET@;", "include @NGINX_DIR@/servers.conf;")
# The request limits' zones: each app server's own nginx counts them (README "Scaling out");
# the check's servers are bare gunicorns, and its 8 kiosks share one address.
PER_SERVER_ONLY = re.compile(r'^(limit_req|"POST /|default "")')


def _directives(template: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in template.read_text().splitlines())
    return [line for line in lines if line.endswith(";")]


def test_cluster_nginx_keeps_every_production_setting() -> None:
    """The cluster's nginx is production's with two upstreams: buffering, timeouts, body
    limits and the X-Forwarded-* headers cannot drift apart."""
    cluster = set(_directives(NGINX_DIR / "cluster.conf.template"))
    missing = [line for line in _directives(NGINX_DIR / "nginx.conf.template")
               if line not in SINGLE_SERVER_ONLY and not PER_SERVER_ONLY.match(line)
               and line not in cluster]
    assert not missing, f"cluster.conf.template lacks production's {missing}"
    assert len(re.findall(r"^\s*server 127\.0\.0\.1|^\s*server @SERVER_[AB]@",
                          (NGINX_DIR / "cluster.conf.template").read_text(), re.M)) == 2
    # The README has clinics copy it for their front proxy: nothing that names the servers.
    assert not [line for line in cluster if "upstream_addr" in line or "X-Upstream" in line]


def test_redis_rate_limit_storage_loads() -> None:
    """README "Scaling out" shares login limits through RATELIMIT_STORAGE_URI=redis://...:
    the app must start with it (Flask-Limiter needs the redis client installed). Nothing
    listens on port 1: the storage connects only when a limit is checked."""
    create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})


@pytest.mark.slow
@pytest.mark.skipif(bool(MISSING), reason=f"not installed: {', '.join(MISSING)} "
                                          "(`make install-dev` installs TEST_DEBS)")
def test_short_cluster_check(tmp_path: Path) -> None:
    out = tmp_path / "cluster.json"
    env = {name: value for name, value in os.environ.items()
           if name not in ("CLINIC_INSTANCE_PATH", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "bench.cluster", "--kiosks", "2", "--journeys", "3",
         "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["servers"] == 2
    assert figures["intakes_attempted"] == 2 * 3 + 1  # and the one submitted on server A
    assert figures["intakes_stored"] == figures["intakes_attempted"]
    assert figures["duplicates"] == 0 and figures["lost"] == []
    assert figures["audit_chain_ok"] is True
    assert figures["lockout_across_servers"] is True
    assert figures["survived_server_kill"] is True
    assert figures["handout_printed_across_servers"] is True
    assert figures["requests_by_server"].keys() == {"A", "B"}
    assert sum(figures["staff_intake_views"].values()) > 0 and not figures["staff_errors"]
    assert {"GET /step/about", "POST /review", "GET /done"} <= figures["p95_ms"].keys()
    assert figures["journeys_per_s"] > 0
