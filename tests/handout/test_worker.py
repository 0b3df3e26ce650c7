"""Renders run in a killable worker: a render over budget stops, the app stays up."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.handout.handout_helpers import make_request, pdfinfo


def test_tiny_budget_times_out_then_next_render_works(handout_app):
    from clinic.handout import HandoutError, HandoutTimeout, render_handout, warm_up
    from clinic.handout.worker import get_worker

    with handout_app.app_context():
        warm_up()
        first = get_worker()._process
        handout_app.config["HANDOUT_TIMEOUT_S"] = 0.001
        try:
            started = time.monotonic()
            with pytest.raises(HandoutTimeout) as caught:
                render_handout(make_request())
            assert time.monotonic() - started < 5
            assert isinstance(caught.value, HandoutError)
            assert "took longer than" in str(caught.value)
            assert first.poll() is not None  # the busy child was killed
        finally:
            handout_app.config["HANDOUT_TIMEOUT_S"] = 60
        pdf = render_handout(make_request())  # a fresh worker takes over
    assert int(pdfinfo(pdf)["Pages"]) >= 1


def test_a_render_waiting_for_the_cpu_is_not_stopped(handout_app):
    """The budget counts the render's CPU time: a render that waits for a core (here its
    process is paused for longer than the whole budget) still finishes (a CI run stopped a
    3 s render after 20 s of waiting while tests held both cores)."""
    from clinic.handout import build_html, warm_up
    from clinic.handout.worker import get_worker

    with handout_app.app_context():
        html = build_html(make_request())
        warm_up()
        worker = get_worker()
        child = worker.pid
        assert child is not None
        os.kill(child, signal.SIGSTOP)
        resume = threading.Timer(1.5, os.kill, (child, signal.SIGCONT))
        resume.start()
        try:
            started = time.monotonic()
            pdf = worker.render(html, handout_app.static_folder, timeout=1.0)
            assert time.monotonic() - started >= 1.5
            assert worker.pid == child  # the same child finished it
        finally:
            resume.join()
    assert int(pdfinfo(pdf)["Pages"]) >= 1


def test_a_render_that_never_gets_the_cpu_is_stopped(handout_app, monkeypatch):
    """The wait has an end too, below gunicorn's worker timeout: staff get the 503 page."""
    from clinic.handout import HandoutTimeout, build_html
    from clinic.handout import worker as worker_module

    monkeypatch.setattr(worker_module, "WAIT_LIMIT_S", 0.5)
    worker = worker_module.RenderWorker()
    with handout_app.app_context():
        html = build_html(make_request())
        worker.start()
        child = worker._process
        os.kill(child.pid, signal.SIGSTOP)
        try:
            with pytest.raises(HandoutTimeout, match="waited longer than"):
                worker.render(html, handout_app.static_folder, timeout=60)
            assert child.wait(timeout=5) == -signal.SIGKILL  # stopped, not left paused
        finally:
            worker.stop()


def test_failed_render_is_a_handout_error(handout_app):
    from clinic.handout import HandoutError, render_handout

    with handout_app.app_context(), pytest.raises(HandoutError):
        render_handout(make_request(assessment={"urgency": "routine",
                                                "recommended": [{"option": "bogus"}]}))


@pytest.mark.slow  # three render children start, each importing WeasyPrint (about 9 s)
def test_a_child_is_replaced_after_its_share_of_renders(handout_app):
    """Memory a render leaves behind in the child cannot pile up: after renders_per_child
    renders the child exits and the next render starts a fresh one."""
    from clinic.handout import build_html
    from clinic.handout.worker import RenderWorker

    worker = RenderWorker(renders_per_child=2)
    with handout_app.app_context():
        html = build_html(make_request())
        static = handout_app.static_folder
        try:
            pids = []
            for _ in range(5):
                pdf = worker.render(html, static, timeout=60)
                assert int(pdfinfo(pdf)["Pages"]) >= 1
                pids.append(worker.pid)
        finally:
            worker.stop()
    # Renders 1 and 2 in the first child (retired after the second), 3 and 4 in the next...
    assert pids[0] is not None and pids[1] is None
    assert pids[2] is not None and pids[2] != pids[0] and pids[3] is None
    assert pids[4] is not None and pids[4] not in (pids[0], pids[2])


def test_render_child_yields_the_cpu_to_the_server(handout_app):
    """The child renders at a lower scheduling priority than the process serving pages, so a
    background render never makes a patient's page wait (docs/performance.md, issue 21)."""
    import os

    from clinic.handout import warm_up
    from clinic.handout.worker import get_worker

    with handout_app.app_context():
        warm_up()
        child = get_worker().pid
    assert child is not None
    assert os.getpriority(os.PRIO_PROCESS, child) > os.getpriority(os.PRIO_PROCESS, 0)
