"""`make run` is for this machine only (issue 25, F1).

gunicorn's sync workers read requests themselves: two clients dripping header lines froze the
server that `make run` had bound to every interface (`HOST=0.0.0.0`, or a shell such as zsh
that sets HOST to the machine's name). `make run` now binds loopback whatever HOST says, and
points to `make run-production` (nginx in front) for the network. Read from the Makefile's own
recipe with `make --dry-run`, which prints the commands without running them.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def _dry_run(*variables: str, environment_host: str | None = None) -> str:
    env = {key: value for key, value in os.environ.items() if key != "HOST"}
    if environment_host is not None:
        env["HOST"] = environment_host
    result = subprocess.run(  # noqa: S603 - fixed argv
        [str(MAKE), "--dry-run", "--always-make", "run", *variables],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60,
    )
    return result.stdout


def _gunicorn_binds(output: str) -> list[str]:
    return re.findall(r"gunicorn .*--bind (\S+)", output)


@pytest.mark.parametrize(("variables", "environment_host"), [
    ((), None),
    (("HOST=0.0.0.0", "PORT=8000"), None),   # what the README used to suggest
    ((), "clinic-server.example"),           # zsh and tcsh export HOST=<the machine's name>
    (("HOST=::",), None),
])
def test_make_run_binds_loopback_only(variables: tuple[str, ...],
                                      environment_host: str | None) -> None:
    binds = _gunicorn_binds(_dry_run(*variables, environment_host=environment_host))
    assert binds, "no gunicorn command in `make run`"
    for bind in binds:
        assert bind.rsplit(":", 1)[0] == "127.0.0.1", bind


def test_make_run_keeps_its_port() -> None:
    assert _gunicorn_binds(_dry_run("PORT=8123")) == ["127.0.0.1:8123"]


def test_make_run_says_the_network_needs_run_production() -> None:
    output = _dry_run()
    before_gunicorn = output[:output.index("gunicorn ")]
    assert "make run-production" in before_gunicorn
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "HOST=0.0.0.0 PORT=8000 make run" not in readme
    assert "`make run` serves on this machine only (127.0.0.1)" in readme
