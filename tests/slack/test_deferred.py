"""Listeners that acked early start only after their HTTP response has been written."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

from bot.slack.deferred import ACKED_EARLY, DeferringExecutor

from .conftest import SECRETARIAT, Harness, TrackingExecutor


def test_an_acked_listener_waits_for_the_end_of_its_request() -> None:
    pool = ThreadPoolExecutor(max_workers=2)
    executor = DeferringExecutor(pool)
    started = threading.Event()
    with executor.batch():
        context = contextvars.copy_context()  # what the request thread sees (asyncio.to_thread)

        def dispatch() -> object:
            ACKED_EARLY.set(True)  # ack_now ran
            return executor.submit(lambda: started.set() or "done")

        future = context.run(dispatch)
        assert not started.wait(0.2)  # held while the response is being written
    assert future.result(timeout=5) == "done" and started.is_set()
    assert executor.wait_released(1)
    pool.shutdown()


def test_a_listener_that_has_not_acked_starts_at_once() -> None:
    pool = ThreadPoolExecutor(max_workers=2)
    executor = DeferringExecutor(pool)
    started = threading.Event()
    with executor.batch():
        # a modal submission acks with its form errors from inside the listener
        executor.submit(started.set)
        assert started.wait(5)
    pool.shutdown()


def test_without_a_batch_everything_goes_to_the_pool() -> None:
    pool = ThreadPoolExecutor(max_workers=1)
    executor = DeferringExecutor(pool)
    token = ACKED_EARLY.set(True)  # e.g. Socket Mode: there is no HTTP response to wait for
    try:
        assert executor.submit(lambda: 42).result(timeout=5) == 42
    finally:
        ACKED_EARLY.reset(token)
    pool.shutdown()


def test_the_http_server_starts_the_status_listener_after_responding(slack: Harness) -> None:
    """bolt dispatches in an ``asyncio_*`` worker thread; the batch is released on the loop."""
    executor = slack.bot.executor
    assert isinstance(executor, TrackingExecutor)
    before = len(executor.submitted_from)
    slack.answer_at(slack.command(SECRETARIAT))
    slack.settle()
    handed_over = executor.submitted_from[before:]
    assert handed_over and not any(name.startswith("asyncio_") for name in handed_over)
