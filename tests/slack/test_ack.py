"""Commands and buttons are acknowledged in the request thread, even when every listener
thread is busy (several large uploads at once): Slack's 3-second deadline never waits
for the pool, and the answer follows once a thread is free."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .conftest import SECRETARIAT, WAIT, Harness


@contextmanager
def busy_pool(slack: Harness) -> Iterator[None]:
    """Occupy every thread of the app's listener pool until the block ends."""
    executor = slack.bot.executor
    release = threading.Event()
    started = threading.Barrier(executor._max_workers + 1)  # type: ignore[attr-defined]

    def occupy() -> None:
        started.wait(WAIT)
        release.wait(WAIT)

    for _ in range(executor._max_workers):  # type: ignore[attr-defined]
        executor.submit(occupy)
    started.wait(WAIT)
    try:
        yield
    finally:
        release.set()


def test_status_command_is_acked_while_every_listener_thread_is_busy(slack: Harness) -> None:
    with busy_pool(slack):
        url = slack.command(SECRETARIAT)  # asserts HTTP 200: the ack
        assert not slack.fake.of("response")  # nothing could have run the query yet
    assert "確認事項 計 27 件" in slack.answer_at(url)


def test_button_is_acked_while_every_listener_thread_is_busy(slack: Harness) -> None:
    with busy_pool(slack):
        url = slack.click(SECRETARIAT, "details", "R2-15-08")  # asserts HTTP 200
        assert not slack.fake.of("response")
    assert "R2-15-08" in slack.answer_at(url)
