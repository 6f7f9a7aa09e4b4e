"""Retention rules and purge: erase what is due, record each erasure in the chain.

Evidence is kept ``years`` after its condition closed (reported, waived, withdrawn, or
accepted when no report is due): ``DD_RETENTION_YEARS`` (default 5) for every kind,
overridden per kind by an import's ``retention:``. A purge never touches a condition
that is not closed, and never a file another, still-kept evidence row shares (uploads
are deduplicated by sha256).

A purge run writes, in one transaction, a ``purge_run`` event and for each erased file
an ``evidence_purged`` event (sha256, size, kind, rule, when closed, who, when) and for
each condition whose roster or pledge names were erased a ``names_purged`` event. Those
events stay in the chain forever: they are what the erasure certificate (消去証明) is
written from, and ``audit verify`` still passes because the erased files are recorded as
erased, not as missing. The bytes go after the commit; a crash in between leaves files
that the next purge removes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..dates import add_years
from ..errors import PermissionDenied

if TYPE_CHECKING:
    from ..evidence import BlobStore
    from ..model import Condition, Evidence
    from ..tracker import Tracker

DEFAULT_RETENTION_YEARS = 5


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Years kept after close: one default, some kinds their own."""

    default_years: int = DEFAULT_RETENTION_YEARS
    per_kind: dict[str, int] = field(default_factory=dict)

    def years(self, kind: str) -> int:
        return self.per_kind.get(kind, self.default_years)

    def rule(self, kind: str) -> str:
        """The rule as recorded in each deletion event, e.g. ``roster: 5 years after close``."""
        source = "import" if kind in self.per_kind else "DD_RETENTION_YEARS"
        return f"{kind}: {self.years(kind)} years after close ({source})"


@dataclass(frozen=True, slots=True)
class DueItem:
    """One closed condition whose files or names are due for erasure."""

    condition: Condition
    closed_at: dt.datetime
    due_on: dt.date
    rule: str
    files: tuple[Evidence, ...]
    names: int  # roster rows and pledge names held

    @property
    def bytes(self) -> int:
        return sum(e.size for e in self.files)


@dataclass
class PurgeRun:
    run: int  # the id of the purge_run event
    items: list[DueItem]
    files: int = 0
    bytes: int = 0
    names: int = 0


def due_for_purge(tracker: Tracker, policy: RetentionPolicy, *, now: dt.datetime) -> list[DueItem]:
    """What a purge at *now* would erase, oldest close first (nothing of an open condition)."""
    store = tracker.store
    policy = RetentionPolicy(policy.default_years, {**store.retention_rules(), **policy.per_kind})
    due: list[DueItem] = []
    today = now.date()
    for condition, closed_at in store.closed_conditions():
        years = policy.years(str(condition.kind))
        due_on = add_years(closed_at.astimezone(now.tzinfo).date(), years)
        if due_on > today:
            continue
        files = tuple(store.unpurged_evidence(condition.id))
        names = store.names_held(condition.id)
        if files or names:
            due.append(
                DueItem(
                    condition, closed_at, due_on, policy.rule(str(condition.kind)), files, names
                )
            )
    return sorted(due, key=lambda d: (d.closed_at, d.condition.id))


def purge(tracker: Tracker, policy: RetentionPolicy, *, actor: str, now: dt.datetime) -> PurgeRun:
    """Erase what is due (secretariat only); every erasure is an event in the chain."""
    if not tracker.roles(actor).secretariat:
        raise PermissionDenied(actor=actor, action="action.purge", need="role.secretariat")
    if tracker.blobs is None:
        raise RuntimeError("this tracker has no evidence directory")
    store = tracker.store
    with store.transaction():
        items = due_for_purge(tracker, policy, now=now)
        if not items:
            return PurgeRun(run=0, items=[])  # nothing due: nothing written, not even a run
        run_id = store.append_event(
            "records:purge",
            "purge_run",
            actor=actor,
            at=now,
            data={
                "conditions": [i.condition.id for i in items],
                "files": sum(len(i.files) for i in items),
                "bytes": sum(i.bytes for i in items),
                "names": sum(i.names for i in items),
                "default_years": policy.default_years,
            },
        )
        run = PurgeRun(run=run_id, items=items)
        for item in items:
            for evidence in item.files:
                store.mark_purged(evidence.id, run=run_id, at=now)
                store.append_event(
                    item.condition.id,
                    "evidence_purged",
                    actor=actor,
                    at=now,
                    data={
                        "run": run_id,
                        "evidence_id": evidence.id,
                        "sha256": evidence.sha256,
                        "size": evidence.size,
                        "filename": evidence.filename,
                        "kind": str(item.condition.kind),
                        "rule": item.rule,
                        "closed_at": item.closed_at.isoformat(),
                        "uploaded_at": evidence.uploaded_at.isoformat(),
                    },
                )
                run.files += 1
                run.bytes += evidence.size
            if item.names:
                erased = store.erase_names(item.condition.id)
                store.append_event(
                    item.condition.id,
                    "names_purged",
                    actor=actor,
                    at=now,
                    data={
                        "run": run_id,
                        "names": erased,
                        "kind": str(item.condition.kind),
                        "rule": item.rule,
                        "closed_at": item.closed_at.isoformat(),
                    },
                )
                run.names += erased
    remove_purged_files(tracker.blobs, store)
    return run


def remove_purged_files(blobs: BlobStore, store: object) -> int:
    """Delete from disk every blob all of whose evidence rows are purged; how many."""
    removed = 0
    for sha256 in store.purged_sha256s():  # type: ignore[attr-defined]
        path = blobs.path_for(sha256)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed
