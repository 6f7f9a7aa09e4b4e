"""Incidents (漏えい等の事案): reported by the owner, the secretariat alerted at once.

When personal data handled by a contractor leaks, is lost or damaged, or is
reached by unauthorised access, the law (個人情報保護法第68条, 施行規則第43条・
第44条) asks for a first report (速報) promptly — the PPC's guidance reads this
as about 3 to 5 days — and a final report (確報) within 30 days, 60 when the
cause is unauthorised access. :func:`report_incident` records the incident and,
in the same transaction:

* opens three conditions on the outsourcing, owned by its department: the first
  report due ``first_report_business_days`` business days after the day it was
  reported (3: a Friday evening's incident is due on Wednesday), the final report
  due 30 / 60 calendar days after (the business day before when the office is
  closed), and the recurrence prevention measures, due with the final report;
* puts an ``alert`` for the secretariat in the outbox to be sent at once — the
  next tick delivers it, whatever the hour or the day — not in the next digest.

The conditions are ordinary ones: reminded, shown in status and the digest, and
reported back to the council in the pack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import DueDiligenceError, PermissionDenied
from .messages import t
from .model import Condition, DueRule, Incident, IncidentKind, Kind, Recurrence, Status
from .store.outbox import Delivery, DeliveryKind
from .tracker import Tracker

#: the recipient of an alert (the secretariat's channel)
SECRETARIAT = "secretariat"


@dataclass(frozen=True, slots=True)
class IncidentPolicy:
    """The legal deadlines as defaults; an organisation may be stricter."""

    first_report_business_days: int = 3
    final_report_days: int = 30
    final_report_days_unauthorized: int = 60


class IncidentError(DueDiligenceError):
    key = "incident.error"


def report_incident(
    tracker: Tracker,
    consultation_id: str,
    *,
    kind: IncidentKind,
    actor: str,
    now: dt.datetime,
    description: str = "",
    vendor: str | None = None,
    policy: IncidentPolicy | None = None,
    lang: str = "ja",
) -> Incident:
    """Record the incident, open its three report conditions and alert the secretariat."""
    policy = policy or IncidentPolicy()
    store = tracker.store
    consultation = store.consultation(consultation_id)  # unknown: refused with the ids meant
    roles = tracker.roles(actor)
    if not (roles.secretariat or consultation.department in roles.departments):
        raise PermissionDenied(actor=actor, action="action.report_incident", need="role.owner")
    names = [v.name for v in consultation.vendors]
    if vendor is not None and vendor not in names:
        raise IncidentError("incident.unknown_vendor", vendor=vendor, id=consultation.id)
    vendor = vendor or (names[0] if names else None)
    today = now.date()
    calendar = tracker.calendar
    first_due = calendar.add_business_days(today, policy.first_report_business_days)
    days = (
        policy.final_report_days_unauthorized
        if kind is IncidentKind.UNAUTHORIZED_ACCESS
        else policy.final_report_days
    )
    final_due = calendar.roll_back(today + dt.timedelta(days=days))
    with store.transaction():
        number = len(store.incidents(consultation.id)) + 1
        prefix = f"{consultation.id}-INC{number}"
        what = t(f"incident.kind.{kind}", lang)
        on = today.isoformat()
        planned = (
            (f"{prefix}-1", Kind.INCIDENT_REPORT, "incident.condition.first", first_due),
            (f"{prefix}-2", Kind.INCIDENT_REPORT, "incident.condition.final", final_due),
            (f"{prefix}-3", Kind.RECURRENCE_PREVENTION, "incident.condition.prevention", final_due),
        )
        for condition_id, condition_kind, text_key, due in planned:
            if store.find_condition(condition_id) is not None:
                raise IncidentError("incident.id_taken", id=condition_id)
            condition = Condition(
                id=condition_id,
                consultation=consultation.id,
                kind=condition_kind,
                text=t(text_key, lang, what=what, date=on, days=days),
                department=consultation.department,
                status=Status.OPEN,
                due=due,
                due_text=due.isoformat(),
                due_rule=DueRule.DATE,
                vendor=vendor,
                report_back=True,
                recurrence=Recurrence.NONE,
                series=condition_id,
            )
            store.insert_condition(condition, at=now)
            store.append_event(
                condition_id,
                "created",
                actor=actor,
                at=now,
                data={"cause": "incident", "due": due.isoformat(), "incident_kind": str(kind)},
            )
        incident = store.add_incident(
            consultation=consultation.id,
            vendor=vendor,
            kind=kind,
            description=description.strip(),
            conditions=[p[0] for p in planned],
            reported_by=actor,
            reported_at=now,
        )
        store.append_event(
            f"incident:{incident.id}",
            "incident_reported",
            actor=actor,
            at=now,
            reason=description.strip(),
            data={
                "consultation": consultation.id,
                "vendor": vendor,
                "kind": str(kind),
                "conditions": list(incident.conditions),
                "first_due": first_due.isoformat(),
                "final_due": final_due.isoformat(),
            },
        )
        store.add_to_outbox(
            [
                Delivery(
                    kind=DeliveryKind.ALERT,
                    subject=f"incident:{incident.id}",
                    occurrence="",
                    stage="incident",
                    recipient=SECRETARIAT,
                    send_after=now,
                    due=first_due,
                    payload={
                        "incident": incident.id,
                        "consultation": consultation.id,
                        "department": consultation.department,
                        "vendor": vendor,
                        "kind": str(kind),
                        "reported_by": actor,
                        "reported_at": now.isoformat(),
                        "conditions": list(incident.conditions),
                        "first_due": first_due.isoformat(),
                        "final_due": final_due.isoformat(),
                    },
                )
            ],
            now=now,
        )
    return incident
