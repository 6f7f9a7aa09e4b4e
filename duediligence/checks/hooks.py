"""The two places the core calls into the checks: accepting a condition, and ``show --json``.

Kept in one module so ``tracker.py`` and ``status.py`` each need a single line.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..model import Condition, Kind
from . import certificates, pledges, roster, triggers

if TYPE_CHECKING:
    from ..store import Store


def on_accept(
    store: Store,
    condition: Condition,
    *,
    actor: str,
    now: dt.datetime,
    override_reason: str = "",
) -> None:
    """Run inside accept's transaction, after the status changed: raising undoes the acceptance.

    Refuses an uncovered pledge condition (unless overridden) and opens a
    certificate's next cycle.
    """
    pledges.guard_accept(store, condition, actor=actor, now=now, override_reason=override_reason)
    certificates.on_accept(store, condition, actor=actor, now=now)
    from ..chain import on_accept as subcontract_approved  # 再委託: the chain grows

    subcontract_approved(store, condition, actor=actor, now=now)


def condition_checks(store: Store, condition: Condition, today: dt.date) -> dict[str, Any]:
    """Extra ``show --json`` fields: ``checks`` (findings), ``coverage``, ``roster``, ``trigger``."""
    extra: dict[str, Any] = {}
    if condition.kind is Kind.ROSTER:
        extra["checks"] = [f.as_dict() for f in roster.roster_findings(store, condition)]
        versions = store.rosters_of_condition(condition.id)
        if versions:
            people = store.roster_people(versions[-1].id)
            extra["roster"] = {
                "version": versions[-1].version,
                "people": len(people),
                "by_role": dict(Counter(p.role for p in people if p.role)),
                "by_employment": dict(Counter(p.employment for p in people if p.employment)),
            }
    elif condition.kind is Kind.PLEDGE:
        cover = pledges.coverage(store, condition)
        extra["checks"] = [f.as_dict() for f in cover.findings()]
        extra["coverage"] = cover.as_json()
    elif condition.kind is Kind.CERTIFICATE_RENEWAL:
        extra["checks"] = [
            f.as_dict() for f in certificates.certificate_findings(store, condition, today)
        ]
        record = store.latest_certificate_record(condition.id)
        extra["certificate"] = (
            {
                "vendor": record.vendor,
                "scheme": record.scheme,
                "number": record.number,
                "renewed": record.renewed.isoformat(),
                "expires": record.expires.isoformat(),
            }
            if record
            else None
        )
    detail = triggers.trigger_detail(store, condition)
    if detail is not None:
        extra["trigger"] = detail
    return extra
