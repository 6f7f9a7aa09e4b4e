"""``audit verify``: walk the event chain and the evidence files, name the first break.

Three things can be wrong with an event: its content no longer matches its hash
(edited with raw SQL), it has no hash (inserted behind the library's back), or its
hash row outlives it (deleted). A file can be missing or hold other bytes than the
sha256 its row records. Verification reads, never writes; it streams the log in
batches so 100,000 events stay well inside a few seconds and a few megabytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..evidence import CHUNK, BlobStore
from .chain import GENESIS, event_hash

if TYPE_CHECKING:
    from ..store import Store

#: problems listed in full; beyond this only counted
MAX_LISTED = 50


@dataclass(frozen=True, slots=True)
class Problem:
    """One break: ``what`` is a message key suffix, ``id`` an event or evidence id."""

    what: str  # event_altered | event_unchained | event_deleted | file_missing | file_altered
    id: int
    sha256: str = ""


@dataclass
class Verification:
    events: int = 0
    files: int = 0
    head: str = GENESIS
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    from_event: int = 0  # 0: the whole chain; else the first event of a tail check

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_broken_event(self) -> int | None:
        ids = [p.id for p in self.problems if p.what.startswith("event")]
        return min(ids) if ids else None

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)


def verify_chain(
    store: Store, *, last: int | None = None, result: Verification | None = None
) -> Verification:
    """Check the whole chain, or only its *last* events (what ``ddbot serve`` does at start)."""
    result = result or Verification()
    start, previous = (0, GENESIS) if last is None else store.chain_tail_start(last)
    result.from_event = start
    for event_id, subject, action, actor, at, reason, data, stored in store.chain_rows(start):
        if subject is None:  # a hash whose event was deleted
            result.add(Problem("event_deleted", event_id))
            previous = stored
            continue
        result.events += 1
        expected = event_hash(previous, event_id, subject, action, actor, at, reason, data)
        if stored is None:
            result.add(Problem("event_unchained", event_id))
            previous = expected
            continue
        if stored != expected:
            result.add(Problem("event_altered", event_id))
        previous = stored  # go on from what is stored, so each edit is named once
    result.head = previous
    return result


def verify_files(
    blobs: BlobStore, files: Iterable[tuple[int, str, int]], result: Verification
) -> Verification:
    """Each evidence row's file is there and hashes to its sha256 (shared blobs read once)."""
    seen: dict[str, str | None] = {}
    for evidence_id, sha256, _size in files:
        result.files += 1
        if sha256 not in seen:
            seen[sha256] = _digest(blobs, sha256)
        actual = seen[sha256]
        if actual is None:
            result.add(Problem("file_missing", evidence_id, sha256))
        elif actual != sha256:
            result.add(Problem("file_altered", evidence_id, sha256))
    return result


def verify(store: Store, blobs: BlobStore | None) -> Verification:
    """The whole chain and, with a blob store, every evidence file."""
    result = verify_chain(store)
    if blobs is not None:
        verify_files(blobs, store.evidence_files(), result)
    return result


def _digest(blobs: BlobStore, sha256: str) -> str | None:
    try:
        path = blobs.path_for(sha256)
    except ValueError:
        return None
    try:
        with path.open("rb") as stream:
            digest = hashlib.sha256()
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


#: how many of the newest events ``ddbot serve`` checks before it starts
STARTUP_TAIL = 1000


def check_at_startup(
    store: Store, *, accept_broken: bool, actor: str, now: dt.datetime
) -> Verification:
    """Verify the chain's tail; on a break accepted by the operator, record that in the log.

    The caller refuses to start when the result is not ok and *accept_broken* is false.
    """
    result = verify_chain(store, last=STARTUP_TAIL)
    if not result.ok and accept_broken:
        store.append_event(
            "records:log",
            "log_break_accepted",
            actor=actor,
            at=now,
            data={
                "first_broken_event": result.first_broken_event,
                "problems": result.problem_count,
                "checked_from": result.from_event,
            },
        )
    return result
