"""``ddbot worker``: planning and delivery in a process of their own.

A tick that plans tens of thousands of reminders and delivers thousands holds
the interpreter for seconds at a time. In the process that answers Slack it
competed with every ack (the status ack's p99 rose to 40× its floor while a
large tick ran), so ``ddbot serve`` no longer ticks itself: it starts this
worker as a child process (``--no-worker`` leaves that to a worker started
separately, e.g. by systemd on another host sharing the database file) and
restarts it if it dies. Two workers at once are safe: outbox entries are
claimed in a transaction, so each is sent by one of them.

The worker runs :func:`bot.scheduler.tick` at start and then every
``DD_TICK_MINUTES``; SIGTERM or SIGINT stops it after the batch in hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from .config import BotSettings
from .scheduler import Scheduler

log = logging.getLogger("bot.worker")

RESTART_AFTER = 5.0  # seconds before a worker that died is started again
PARENT_POLL = 1.0  # seconds between checks that the serve process is still there


def offset_clock(start: dt.datetime | None, tz: dt.tzinfo) -> Callable[[], dt.datetime]:
    """The real time, or time running on from *start* (``--now``) at the real pace."""
    if start is None:
        return lambda: dt.datetime.now(tz)
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


def run_worker(
    settings: BotSettings,
    *,
    clock: Callable[[], dt.datetime] | None = None,
    stop: threading.Event | None = None,
    parent: int | None = None,
) -> None:
    """Tick now and every ``DD_TICK_MINUTES`` until *stop* is set (SIGTERM / SIGINT set it).

    With *parent* (a pid), the worker also stops once that process is gone, so a
    ``ddbot serve`` killed outright leaves no worker behind.
    """
    from .core import Core
    from .delivery.build import build_sender

    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    if parent is not None:
        threading.Thread(
            target=_watch_parent, args=(parent, stop), name="ddbot-parent", daemon=True
        ).start()
    tz = settings.core.tz
    core = Core(
        settings.core, clock=clock or offset_clock(None, tz), status_command=settings.status_command
    )
    try:
        scheduler = Scheduler(
            build_sender(settings, core),
            clock=core.now,
            interval=dt.timedelta(minutes=settings.tick_minutes),
            stop=stop,
            batch=settings.tick_batch,
        )
        log.info("worker started: a tick every %s minutes", settings.tick_minutes)
        scheduler.run()
    finally:
        core.close()
        log.info("worker stopped")


def _watch_parent(parent: int, stop: threading.Event) -> None:
    while not stop.wait(PARENT_POLL):
        if os.getppid() != parent:
            log.warning("parent process %d is gone; stopping", parent)
            stop.set()


class WorkerProcess:
    """``ddbot worker`` as a child of ``ddbot serve``: started, restarted if it dies, stopped."""

    def __init__(
        self,
        argv: Sequence[str] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        restart_after: float = RESTART_AFTER,
    ) -> None:
        self.argv = list(
            argv or [sys.executable, "-m", "bot", "worker", "--parent", str(os.getpid())]
        )
        self.env = dict(env) if env is not None else None  # None: this process's environment
        self.restart_after = restart_after
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watch = threading.Thread(target=self._supervise, name="ddbot-worker", daemon=True)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self) -> None:
        self._spawn()
        self._watch.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self.proc = subprocess.Popen(self.argv, env=self.env)  # shares stdout and stderr
            log.info("worker process %d started", self.proc.pid)

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            proc = self.proc
            if proc is None:
                return
            code = proc.wait()
            if self._stopping.is_set():
                return
            log.error("worker process %d exited (%s); restarting", proc.pid, code)
            if self._stopping.wait(self.restart_after):
                return
            self._spawn()

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, then SIGKILL if the worker has not finished its batch within *timeout*."""
        with self._lock:
            self._stopping.set()
            proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("worker process %d did not stop; killing it", proc.pid)
            proc.kill()
            proc.wait(timeout)
