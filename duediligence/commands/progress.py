"""Progress bars for long CLI work (import, report, db copy): on a terminal only.

The library reports progress through a plain callback (``progress(n)``: *n* more
units done), so it knows nothing of terminals; the CLI turns it into a
``click.progressbar`` on standard error when that is a terminal, and into
nothing otherwise, so scripts, cron and pipes see only the command's result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

Progress = Callable[[int], None]


def _nothing(n: int) -> None:
    pass


@contextmanager
def progress_bar(length: int, label: str, *, file: TextIO | None = None) -> Iterator[Progress]:
    """A callback advancing a bar of *length* units on *file* (stderr), or doing nothing."""
    stream = file if file is not None else sys.stderr
    if length <= 0 or not stream.isatty():
        yield _nothing
        return
    with click.progressbar(length=length, label=label, file=stream, show_pos=True) as bar:
        yield bar.update
