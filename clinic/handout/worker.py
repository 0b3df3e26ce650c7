"""A killable render worker: one child process holding warm WeasyPrint state.

A render that runs over its budget cannot be stopped inside a thread, so PDFs are drawn in a
child process that is killed and replaced on timeout. The child is a fresh interpreter
(`python -c ...child_main()`, like multiprocessing's "spawn" but without re-running the
parent's __main__, which breaks under scripts and some servers); it talks over two pipes with
multiprocessing Connections and keeps one FontConfiguration and the parsed stylesheet.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from clinic.handout.request import HandoutError, HandoutTimeout

logger = logging.getLogger(__name__)

# A render leaves a little memory behind in the child (about 2 MB per 100 renders of the
# two-page plan handout, measured by `make bench`), so each child is replaced after this many
# renders, as gunicorn's max_requests does for workers: the render worker's memory stays
# bounded however long the server runs. The next render pays the child's start-up, once.
RENDERS_PER_CHILD = 200

# The child draws handouts in the background while patients load kiosk pages on the same few
# cores: at a lower priority it takes the CPU nobody else wants, so a render no longer slows a
# page (kiosk page p95 9.9 ms with no background renders, 17.8 ms with renders at normal
# priority; docs/performance.md). On an idle machine it still renders at full speed.
RENDER_NICENESS = 10

# So a render's budget counts the CPU time it used, not the time it waited for a core: a
# lower-priority render on a busy machine is slow, not runaway (a Spanish large-print handout
# used 3 s of CPU but took over 20 s of wall time while other work held both cores). The wait
# still has an end: below gunicorn's 60 s worker timeout, so staff get the handout's own 503
# page rather than a proxy error.
WAIT_LIMIT_S = 50.0
# How often the parent looks at the child's CPU time while it waits for the PDF.
POLL_S = 0.1

CHILD_CODE = "from clinic.handout.worker import child_main; child_main()"
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class _DuplexConnection:
    """Two one-way multiprocessing Connections over os pipes, used as one."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self._reader = Connection(read_fd, writable=False)
        self._writer = Connection(write_fd, readable=False)

    def send(self, obj: Any) -> None:
        self._writer.send(obj)

    def recv(self) -> Any:
        return self._reader.recv()

    def poll(self, timeout: float) -> bool:
        return self._reader.poll(timeout)

    def close(self) -> None:
        self._reader.close()
        self._writer.close()


def _serve(conn: _DuplexConnection) -> None:
    """Child process loop: receive (html, static_folder), send ("ok", pdf) or ("error", kind).

    A render allocates a few hundred thousand objects, linked in cycles (boxes know their
    parents). With automatic garbage collection the interpreter stops to scan the heap hundreds
    of times per render; instead the child collects once after each reply, when nobody waits,
    and freezes what survives the first render (WeasyPrint's modules, fonts and stylesheet) so
    later collections skip it.
    """
    from clinic.handout import pdf  # the slow import happens here, never in the parent

    gc.disable()
    conn.send(("ready", None))
    try:
        while True:
            try:
                job = conn.recv()
            except EOFError:
                break
            if job is None:
                break
            html, static_folder = job
            try:
                conn.send(("ok", pdf.html_to_pdf(html, static_folder)))
            except Exception as exc:  # report the kind only: messages may quote the document
                conn.send(("error", type(exc).__name__))
            gc.collect()
            if not gc.get_freeze_count():
                gc.freeze()
    finally:
        pdf.release()


class RenderWorker:
    """Owns at most one child process; renders are serialised by a lock."""

    def __init__(self, start_timeout: float = 60.0,
                 renders_per_child: int = RENDERS_PER_CHILD) -> None:
        self.start_timeout = start_timeout
        self.renders_per_child = renders_per_child
        self._renders = 0
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: _DuplexConnection | None = None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The render process id (benchmarks read its memory), or None when not running."""
        return self._process.pid if self.alive else None

    def start(self) -> None:
        """Start the child if needed and wait until it has imported WeasyPrint."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self.alive and self._conn is not None:
            return
        self._stop()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [PROJECT_ROOT, env.get("PYTHONPATH")]))
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, our module
                [sys.executable, "-c", CHILD_CODE, str(to_child_r), str(from_child_w)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, env=env,
                close_fds=True,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        parent_conn = _DuplexConnection(from_child_r, to_child_w)
        self._process, self._conn = process, parent_conn
        self._renders = 0
        if not parent_conn.poll(self.start_timeout):
            self._stop()
            raise HandoutError("the PDF worker did not start in time")
        try:
            parent_conn.recv()
        except (EOFError, OSError) as exc:
            self._stop()
            raise HandoutError("the PDF worker failed to start") from exc

    def render(self, html: str, static_folder: str, timeout: float) -> bytes:
        """PDF bytes for html; HandoutTimeout if the render uses more than timeout seconds of
        CPU, or if waiting for the worker and the render together take over WAIT_LIMIT_S."""
        give_up = time.monotonic() + WAIT_LIMIT_S
        if not self._lock.acquire(timeout=WAIT_LIMIT_S):
            raise HandoutTimeout("the PDF worker stayed busy longer than the time budget")
        try:
            self._ensure_started()  # start-up has its own bound and is not the render's budget
            conn, process = self._conn, self._process
            if conn is None or process is None:
                raise HandoutError("the PDF worker is not running")
            try:
                conn.send((html, static_folder))
                self._wait_for_reply(conn, process.pid, timeout, give_up)
                status, payload = conn.recv()
            except (EOFError, OSError) as exc:
                self._stop(graceful=False)
                raise HandoutError("the PDF worker stopped unexpectedly") from exc
            self._renders += 1
            if self._renders >= self.renders_per_child:
                self._stop()  # retired; the next render starts a fresh child
            if status != "ok":
                raise HandoutError(f"the PDF render failed ({payload})")
            return bytes(payload)
        finally:
            self._lock.release()

    def _wait_for_reply(self, conn: _DuplexConnection, pid: int, timeout: float,
                        give_up: float) -> None:
        """Return when the child has replied; kill it and raise HandoutTimeout when this
        render has used more than timeout seconds of CPU or the clock passes give_up."""
        cpu_limit = _cpu_seconds(pid) + timeout
        while not conn.poll(min(POLL_S, max(give_up - time.monotonic(), 0))):
            if _cpu_seconds(pid) > cpu_limit:
                self._stop(graceful=False)
                raise HandoutTimeout(f"the handout took longer than {timeout:g} s; stopped")
            if time.monotonic() >= give_up:
                self._stop(graceful=False)
                raise HandoutTimeout(f"the handout waited longer than {WAIT_LIMIT_S:g} s for "
                                     "the CPU; stopped")

    def stop(self) -> None:
        """Ask the child to exit, killing it if it does not."""
        with self._lock:
            self._stop()

    def _stop(self, graceful: bool = True) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is not None and not graceful:
            process.kill()  # a busy child never reads the exit message
        if conn is not None and graceful:
            try:
                conn.send(None)
            except (OSError, ValueError):
                pass
        if process is not None:
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if conn is not None:
            conn.close()


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc (Linux, as the clinic runs)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        # Fields after the ")" that closes the command name: state is the first, utime and
        # stime the 12th and 13th (proc(5) fields 14 and 15).
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# One render worker per server process, made by the first handout.init_app (never at import)
# and shared by every app in the process: its child holds warm WeasyPrint state.
_worker: RenderWorker | None = None


def start_worker() -> RenderWorker:
    """Make the process's render worker, once; its child process starts on the first render."""
    global _worker
    if _worker is None:
        _worker = RenderWorker()
        atexit.register(_worker.stop)
    return _worker


def get_worker() -> RenderWorker:
    """The process-wide render worker (handout.init_app makes it)."""
    if _worker is None:
        raise HandoutError("the handout renderer was not set up (handout.init_app)")
    return _worker


def child_main() -> None:
    """Entry point of the child process: file descriptors come as argv[1:3]."""
    os.nice(RENDER_NICENESS)
    _serve(_DuplexConnection(int(sys.argv[1]), int(sys.argv[2])))
