"""Start an already-acknowledged listener only once its HTTP response has been sent.

With the ack done in the request thread (:func:`bot.slack.ack.ack_now`), the
listener still started on the pool at the same moment and competed for the
interpreter with the thread writing Slack's response: at 100,000 conditions the
status query's work pushed the ack's p99 to ten times bolt's no-op floor. The
HTTP front end (:mod:`bot.serve`) opens a *batch* around each request; a listener
that has already acked is held in it and handed to the pool after the response
is written. Anything else (a modal submission that acks with form errors, an
event bolt acks itself, Socket Mode where there is no batch) is submitted at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

#: set by ack_now in the request's context: this request's listener may wait
ACKED_EARLY: ContextVar[bool] = ContextVar("ddbot_acked_early", default=False)
_BATCH: ContextVar[
    list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]] | None
] = ContextVar("ddbot_listener_batch", default=None)


class DeferringExecutor(Executor):
    """The App's listener executor: the real pool, plus held listeners per HTTP request."""

    def __init__(self, pool: Executor) -> None:
        self.pool = pool
        self._open = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        batch = _BATCH.get()
        if batch is None or not ACKED_EARLY.get():
            return self.pool.submit(fn, *args, **kwargs)
        held: Future[Any] = Future()
        batch.append((held, fn, args, kwargs))
        return held

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Around one HTTP request: listeners held during it start when it closes."""
        held: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []
        token = _BATCH.set(held)
        with self._idle:
            self._open += 1
        try:
            yield
        finally:
            _BATCH.reset(token)
            for future, fn, args, kwargs in held:
                _chain(self.pool.submit(fn, *args, **kwargs), future)
            with self._idle:
                self._open -= 1
                self._idle.notify_all()

    def wait_released(self, timeout: float) -> bool:
        """True once no request holds listeners (tests wait on this before the pool)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._open == 0, timeout=timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _chain(source: Future[Any], target: Future[Any]) -> None:
    def copy(done: Future[Any]) -> None:
        if done.cancelled():
            target.cancel()
        elif done.exception() is not None:
            target.set_exception(done.exception())  # type: ignore[arg-type]
        else:
            target.set_result(done.result())

    source.add_done_callback(copy)
