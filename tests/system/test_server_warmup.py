"""No patient pays for importing WeasyPrint: each server worker warms its renderer at start."""

import time
from pathlib import Path

import pytest

from bench.server import running_server
from tests.system.production import parents

# Starts real gunicorn servers and waits for their renderers (about 50 s).
pytestmark = pytest.mark.slow

WAIT_S = 60


def _children(pid: int) -> list[int]:
    return [child for child, parent in parents().items() if parent == pid]


def _warm_renderers(worker: int) -> list[int]:
    """The worker's render processes that have loaded Pango, that is, imported WeasyPrint."""
    warm = []
    for child in _children(worker):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            loaded = Path(f"/proc/{child}/maps").read_text()
        except OSError:
            continue
        if b"child_main" in command and "libpango" in loaded:
            warm.append(child)
    return warm


def test_every_worker_has_a_warm_renderer_before_any_request() -> None:
    with running_server(workers=2) as server:
        deadline = time.monotonic() + WAIT_S
        while True:
            workers = _children(server.pid)
            warm = {worker: _warm_renderers(worker) for worker in workers}
            if (len(workers) == 2 and all(warm.values())) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    assert len(workers) == 2
    assert all(len(renderers) == 1 for renderers in warm.values()), warm
