"""誓約書: pledges per person of the current roster, and whether everyone is covered.

A pledge counts only if it binds after the person leaves (退職後を含む), as the
council asked. Pledges belong to a consultation and vendor, not to one roster
version, so people who stay on a new roster keep theirs; newcomers are
missing until their pledge arrives. A pledge condition cannot be accepted
while anyone is missing unless the secretariat overrides with a reason.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..business_calendar import BusinessCalendar
from ..errors import EvidenceError, TransitionError
from ..messages import t
from ..model import Condition, Evidence, Kind, Status
from ..store.core import ConditionFilter
from .findings import Finding
from .occurrences import add_business_days, latest_occurrence, open_occurrence
from .records import RosterEntry, person_key
from .tables import cell_text, normalize, read_table

if TYPE_CHECKING:
    from ..store import Store
    from ..tracker import Tracker

#: business days the owner gets to collect newcomers' pledges once a pledge item was closed
REOPEN_DAYS = 10

PLEDGE_HEADERS: dict[str, str] = {
    "氏名": "name",
    "名前": "name",
    "退職後を含む": "after_leaving",
    "退職後": "after_leaving",
    "退職後の秘密保持": "after_leaving",
    "退職後も有効": "after_leaving",
}
_YES = {"はい", "有", "あり", "○", "〇", "◯", "yes", "y", "true", "1", "含む"}
_NO = {"いいえ", "無", "なし", "×", "✕", "no", "n", "false", "0", "含まない"}


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many people of the current roster have a pledge that binds after leaving."""

    condition: str
    roster_version: int | None
    required: int
    covered: int
    missing: tuple[RosterEntry, ...] = ()  # no pledge at all
    not_after_leaving: tuple[RosterEntry, ...] = ()  # a pledge that ends with employment

    @property
    def complete(self) -> bool:
        return (
            self.roster_version is not None and self.required > 0 and self.covered >= self.required
        )

    def findings(self) -> list[Finding]:
        """One finding per person not covered, pointing at their roster row (no names)."""
        if self.roster_version is None:
            return [Finding("checks.pledge.no_roster")]
        return [Finding("checks.pledge.missing", row=p.row) for p in self.missing] + [
            Finding("checks.pledge.not_after_leaving", row=p.row) for p in self.not_after_leaving
        ]

    def as_json(self) -> dict[str, object]:
        return {
            "covered": self.covered,
            "required": self.required,
            "complete": self.complete,
            "roster_version": self.roster_version,
        }


@dataclass(frozen=True, slots=True)
class PledgeSubmission:
    """The answer to an uploaded pledge (scan or list), for the uploader alone."""

    condition: str
    evidence: Evidence
    recorded: tuple[str, ...]  # names whose pledge was recorded
    findings: tuple[Finding, ...]
    coverage: Coverage


def roster_scope(store: Store, condition: Condition) -> str | None:
    """The vendor key of the roster a pledge condition is checked against, if any roster exists.

    The roster of the same vendor in the same consultation; failing that, the
    consultation's only roster.
    """
    vendors = store.roster_vendors(condition.consultation)
    vendor = condition.vendor or ""
    if vendor in vendors:
        return vendor
    return vendors[0] if len(vendors) == 1 else None


def coverage(store: Store, condition: Condition) -> Coverage:
    scope = roster_scope(store, condition)
    roster = store.latest_roster(condition.consultation, scope) if scope is not None else None
    if roster is None or scope is None:
        return Coverage(condition=condition.id, roster_version=None, required=0, covered=0)
    people = store.roster_people(roster.id)
    pledges = store.latest_pledges(condition.consultation, scope)
    missing = tuple(p for p in people if p.key not in pledges)
    partial = tuple(p for p in people if p.key in pledges and not pledges[p.key].after_leaving)
    return Coverage(
        condition=condition.id,
        roster_version=roster.version,
        required=len(people),
        covered=len(people) - len(missing) - len(partial),
        missing=missing,
        not_after_leaving=partial,
    )


def _pledge_condition(store: Store, condition_id: str) -> tuple[Condition, str, list[RosterEntry]]:
    condition = store.condition(condition_id)
    if condition.kind is not Kind.PLEDGE:
        raise EvidenceError("checks.pledge.wrong_kind", id=condition_id)
    scope = roster_scope(store, condition)
    roster = store.latest_roster(condition.consultation, scope) if scope is not None else None
    if roster is None or scope is None:
        raise EvidenceError("checks.pledge.no_roster", id=condition_id)
    return condition, scope, store.roster_people(roster.id)


def submit_pledge_scan(
    tracker: Tracker,
    condition_id: str,
    data: bytes,
    *,
    filename: str,
    person: str,
    after_leaving: bool = True,
    actor: str,
    now: dt.datetime,
) -> PledgeSubmission:
    """One person's pledge scan: stored as evidence, recorded against the roster entry."""
    store = tracker.store
    condition, scope, people = _pledge_condition(store, condition_id)
    entry = next((p for p in people if p.key == person_key(person)), None)
    if entry is None:
        raise EvidenceError("checks.pledge.person_not_on_roster", id=condition_id)
    return _record(
        tracker, condition, scope, data, filename, [(entry, after_leaving)], [], actor, now
    )


def submit_pledge_list(
    tracker: Tracker,
    condition_id: str,
    data: bytes,
    *,
    filename: str,
    actor: str,
    now: dt.datetime,
) -> PledgeSubmission:
    """A list of pledges (氏名, 退職後を含む) as xlsx or csv: every roster name on it is recorded."""
    store = tracker.store
    condition, scope, people = _pledge_condition(store, condition_id)
    table = read_table(data, filename=filename, headers=PLEDGE_HEADERS, key_column="name")
    by_key = {p.key: p for p in people}
    findings: list[Finding] = []
    if "after_leaving" not in table.columns:
        findings.append(Finding("checks.pledge.missing_column", field="退職後を含む"))
    entries: list[tuple[RosterEntry, bool]] = []
    for number, record in table.rows:
        name = cell_text(record.get("name"))
        if not name:
            findings.append(Finding("checks.roster.missing_value", row=number, field="氏名"))
            continue
        entry = by_key.get(person_key(name))
        if entry is None:
            findings.append(Finding("checks.pledge.not_on_roster", row=number))
            continue
        flag = normalize(cell_text(record.get("after_leaving"))).lower()
        if "after_leaving" in table.columns and flag not in _YES | _NO:
            findings.append(
                Finding("checks.pledge.bad_flag", row=number, field="退職後を含む", value=flag)
            )
        entries.append((entry, flag in _YES))
    if not entries:
        raise EvidenceError("checks.pledge.nobody", filename=filename)
    return _record(tracker, condition, scope, data, filename, entries, findings, actor, now)


def _record(
    tracker: Tracker,
    condition: Condition,
    scope: str,
    data: bytes,
    filename: str,
    entries: list[tuple[RosterEntry, bool]],
    findings: list[Finding],
    actor: str,
    now: dt.datetime,
) -> PledgeSubmission:
    store = tracker.store
    with store.transaction():
        evidence = tracker.store_evidence(
            condition.id, io.BytesIO(data), filename=filename, actor=actor, now=now
        )
        for entry, after_leaving in entries:
            store.add_pledge(
                consultation=condition.consultation,
                vendor=scope,
                person=entry.key,
                name=entry.name,
                after_leaving=after_leaving,
                condition=condition.id,
                evidence=evidence.id,
                recorded_by=actor,
                recorded_at=now,
            )
        cover = coverage(store, condition)
        store.append_event(
            condition.id,
            "pledges_recorded",
            actor=actor,
            at=now,
            data={
                "evidence_id": evidence.id,
                "count": len(entries),
                "after_leaving": sum(1 for _, flag in entries if flag),
                "problems": len(findings),
                **cover.as_json(),
            },
        )
    return PledgeSubmission(
        condition=condition.id,
        evidence=evidence,
        recorded=tuple(entry.name for entry, _ in entries),
        findings=tuple(findings),
        coverage=cover,
    )


def reopen_coverage(
    store: Store,
    consultation: str,
    vendor: str,
    *,
    joined: int,
    left: int,
    actor: str,
    now: dt.datetime,
    calendar: BusinessCalendar | None = None,
) -> tuple[str, ...]:
    """After a roster change, flag every pledge series of that roster that is no longer covered.

    An item still in progress simply cannot be accepted until covered; an item
    already accepted or reported gets a new occurrence so someone is chased for
    the newcomers' pledges. Returns the ids affected (the new occurrence where one opened).
    """
    affected: list[str] = []
    in_consultation = store.conditions(ConditionFilter(consultation=consultation))
    series_ids = sorted({c.series for c in in_consultation if c.kind is Kind.PLEDGE})
    for series in series_ids:
        latest = latest_occurrence(store, series)
        if latest.status is Status.WAIVED or roster_scope(store, latest) != vendor:
            continue
        cover = coverage(store, latest)
        if cover.complete:
            continue
        cause = {"cause": "roster_changed", "joined": joined, "left": left, **cover.as_json()}
        store.append_event(latest.id, "coverage_reopened", actor=actor, at=now, data=cause)
        if latest.status in (Status.ACCEPTED, Status.REPORTED):
            due = add_business_days(now.date(), REOPEN_DAYS, calendar)
            opened = open_occurrence(store, series, due=due, actor=actor, now=now, cause=cause)
            affected.append(opened.id)
        else:
            affected.append(latest.id)
    return tuple(affected)


def guard_accept(
    store: Store, condition: Condition, *, actor: str, now: dt.datetime, override_reason: str
) -> None:
    """Refuse to accept a pledge condition while someone is missing, unless overridden."""
    if condition.kind is not Kind.PLEDGE:
        return
    cover = coverage(store, condition)
    if cover.complete:
        store.append_event(
            condition.id, "coverage_confirmed", actor=actor, at=now, data=cover.as_json()
        )
        return
    if (override_reason or "").strip():
        store.append_event(
            condition.id,
            "coverage_overridden",
            actor=actor,
            at=now,
            reason=override_reason.strip(),
            data=cover.as_json(),
        )
        return
    raise TransitionError(
        "checks.pledge.incomplete", id=condition.id, covered=cover.covered, required=cover.required
    )


def private_summary(
    result: PledgeSubmission | Coverage, lang: str = "ja", *, names: bool = True
) -> str:
    """Coverage (and what was recorded) for the owner in private; *names* lists who is missing."""
    cover = result.coverage if isinstance(result, PledgeSubmission) else result
    sep = "、" if lang == "ja" else ", "
    lines: list[str] = []
    if isinstance(result, PledgeSubmission):
        lines.append(
            t("checks.pledge.recorded", lang, id=result.condition, count=len(result.recorded))
        )
        lines += [f"  - {f.render(lang)}" for f in result.findings]
    if cover.roster_version is None:
        lines.append(t("checks.pledge.no_roster", lang, id=cover.condition))
        return "\n".join(lines)
    lines.append(
        t(
            "checks.pledge.coverage",
            lang,
            id=cover.condition,
            covered=cover.covered,
            required=cover.required,
            version=cover.roster_version,
        )
    )
    if names and cover.missing:
        lines.append(
            t("checks.pledge.missing_names", lang, names=sep.join(p.name for p in cover.missing))
        )
    if names and cover.not_after_leaving:
        lines.append(
            t(
                "checks.pledge.partial_names",
                lang,
                names=sep.join(p.name for p in cover.not_after_leaving),
            )
        )
    return "\n".join(lines)
