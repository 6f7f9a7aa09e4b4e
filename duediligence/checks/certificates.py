"""認証更新: recording a certificate's latest renewal, and flagging stale certificates.

The council's point was that a first registration in 2007 proves nothing about
today: what counts is the latest renewal and its expiry. A certificate_renewal
condition is satisfied by the number, the latest renewal date and the expiry
(with the scan as evidence); the vendor's certification record is updated, an
expired or never-renewed certificate is flagged, and accepting the condition
opens the next cycle, due on the expiry, so the reminders go on.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..dates import add_years
from ..errors import EvidenceError
from ..lifecycle import Action, authorize
from ..messages import t
from ..model import Certification, Condition, Evidence, Kind, Recurrence, Status
from .findings import Finding
from .occurrences import latest_occurrence, open_occurrence
from .records import CertificateRecord

if TYPE_CHECKING:
    from ..store import Store
    from ..tracker import Tracker

#: ISMS certificates run three years and the Privacy Mark two: a first registration older than
#: this with no later renewal cannot still be valid
MAX_PERIOD_YEARS = 3

#: words in a condition's text that name a scheme, when the vendor holds several
_SCHEME_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ISMS", ("ISMS", "27001")),
    ("PrivacyMark", ("プライバシーマーク", "PRIVACYMARK", "PRIVACY MARK", "Pマーク", "15001")),
)


@dataclass(frozen=True, slots=True)
class CertificateResult:
    condition: str
    record: CertificateRecord
    evidence: Evidence | None
    findings: tuple[Finding, ...]


def resolve_scheme(store: Store, condition: Condition, scheme: str | None = None) -> str | None:
    """Which certification a condition is about: given, the vendor's only one, or named in the text."""
    if scheme:
        return scheme
    held = [c.scheme for c in store.certifications(condition.vendor)] if condition.vendor else []
    if len(held) == 1:
        return held[0]
    text = condition.text.upper()
    for name, words in _SCHEME_WORDS:
        if any(word.upper() in text for word in words):
            return next((h for h in held if h.upper() == name.upper()), name)
    return None


def _stale(first_registered: dt.date | None, today: dt.date) -> bool:
    """Registered longer ago than any certification period: it must have been renewed since."""
    return first_registered is not None and add_years(first_registered, MAX_PERIOD_YEARS) < today


def record_findings(record: CertificateRecord, today: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    if record.expires < today:
        findings.append(Finding("checks.certificate.expired", value=record.expires.isoformat()))
    first = record.first_registered
    if first is not None and record.renewed <= first and _stale(first, today):
        findings.append(Finding("checks.certificate.never_renewed", value=first.isoformat()))
    return findings


def certificate_findings(store: Store, condition: Condition, today: dt.date) -> list[Finding]:
    """What is wrong with the certificate a condition concerns: the entered one, else the vendor's."""
    record = store.latest_certificate_record(condition.id)
    if record is not None:
        return record_findings(record, today)
    findings: list[Finding] = []
    if store.evidence_of(condition.id):
        # a scan without its number, renewal and expiry: nothing to check it against yet
        findings.append(Finding("checks.certificate.fields_missing"))
    scheme = resolve_scheme(store, condition)
    if not condition.vendor or scheme is None:
        return findings
    held = {c.scheme: c for c in store.certifications(condition.vendor)}
    cert = held.get(scheme)
    if cert is None:
        return [*findings, Finding("checks.certificate.unknown", value=scheme)]
    if cert.expires is not None and cert.expires < today:
        findings.append(Finding("checks.certificate.expired", value=cert.expires.isoformat()))
    first = cert.first_registered
    if (cert.last_renewed is None or (first and cert.last_renewed <= first)) and _stale(
        first, today
    ):
        findings.append(Finding("checks.certificate.never_renewed", value=str(first)))
    elif cert.last_renewed is None:
        findings.append(Finding("checks.certificate.unconfirmed", value=scheme))
    return findings


def record_certificate(
    tracker: Tracker,
    condition_id: str,
    *,
    number: str,
    renewed: dt.date,
    expires: dt.date,
    actor: str,
    now: dt.datetime,
    scheme: str | None = None,
    scan: bytes | None = None,
    filename: str = "",
) -> CertificateResult:
    """Record number, latest renewal and expiry; update the vendor's certification record.

    With *scan* the file is submitted as evidence; without it the condition
    must already hold the scan (submitted, e.g. by a file dropped in the DM).
    """
    store = tracker.store
    condition = store.condition(condition_id)
    if condition.kind is not Kind.CERTIFICATE_RENEWAL:
        raise EvidenceError("checks.certificate.wrong_kind", id=condition_id)
    authorize(Action.SUBMIT, tracker.roles(actor), condition)
    if not condition.vendor:
        raise EvidenceError("checks.certificate.no_vendor", id=condition_id)
    chosen = resolve_scheme(store, condition, scheme)
    if chosen is None:
        held = (
            ", ".join(c.scheme for c in store.certifications(condition.vendor))
            or "ISMS, PrivacyMark"
        )
        raise EvidenceError("checks.certificate.which_scheme", id=condition_id, choices=held)
    if not number.strip():
        raise EvidenceError("checks.certificate.no_number", id=condition_id)
    if renewed > now.date():
        raise EvidenceError("checks.certificate.renewed_future", renewed=renewed.isoformat())
    if expires <= renewed:
        raise EvidenceError(
            "checks.certificate.bad_period",
            renewed=renewed.isoformat(),
            expires=expires.isoformat(),
        )
    if scan is None and (
        condition.status is not Status.SUBMITTED or not store.evidence_of(condition_id)
    ):
        raise EvidenceError("checks.certificate.scan_required", id=condition_id)
    with store.transaction():
        evidence = (
            tracker.store_evidence(
                condition_id,
                io.BytesIO(scan),
                filename=filename or "certificate",
                actor=actor,
                now=now,
            )
            if scan is not None
            else None
        )
        held = {c.scheme: c for c in store.certifications(condition.vendor)}
        before = held.get(chosen)
        first = before.first_registered if before else None
        record = store.add_certificate_record(
            condition=condition_id,
            vendor=condition.vendor,
            scheme=chosen,
            number=number.strip(),
            renewed=renewed,
            expires=expires,
            first_registered=first,
            evidence=evidence.id if evidence else None,
            recorded_by=actor,
            recorded_at=now,
        )
        after = Certification(
            vendor=condition.vendor,
            scheme=chosen,
            number=number.strip(),
            scope=before.scope if before else "",
            first_registered=first,
            last_renewed=renewed,
            expires=expires,
        )
        store.save_certification(after)
        store.append_event(
            f"vendor:{condition.vendor}",
            "certification_updated",
            actor=actor,
            at=now,
            data={
                "condition": condition_id,
                "scheme": chosen,
                "before": _cert(before),
                "after": _cert(after),
            },
        )
        findings = record_findings(record, now.date())
        store.append_event(
            condition_id,
            "certificate_recorded",
            actor=actor,
            at=now,
            data={**_cert(after), "flags": [f.code for f in findings]},
        )
    return CertificateResult(
        condition=condition_id, record=record, evidence=evidence, findings=tuple(findings)
    )


def on_accept(store: Store, condition: Condition, *, actor: str, now: dt.datetime) -> None:
    """Accepting a renewal opens the next cycle, due on the recorded expiry, so reminders go on."""
    if condition.kind is not Kind.CERTIFICATE_RENEWAL:
        return
    if condition.recurrence in (
        Recurrence.YEARLY,
        Recurrence.FISCAL_YEAR_END,
        Recurrence.MONTHLY,
        Recurrence.QUARTERLY,
    ):
        return  # the tracker opens the next occurrence of these itself
    record = store.latest_certificate_record(condition.id)
    if record is None or latest_occurrence(store, condition.series).id != condition.id:
        return
    open_occurrence(
        store,
        condition.series,
        due=record.expires,
        actor=actor,
        now=now,
        cause={
            "cause": "certificate_cycle",
            "scheme": record.scheme,
            "expires": record.expires.isoformat(),
        },
    )


def summary(result: CertificateResult, lang: str = "ja") -> str:
    r = result.record
    lines = [
        t(
            "checks.certificate.recorded",
            lang,
            id=result.condition,
            vendor=r.vendor,
            scheme=r.scheme,
            number=r.number,
            renewed=r.renewed.isoformat(),
            expires=r.expires.isoformat(),
        )
    ]
    lines += [f"  ⚠ {f.render(lang)}" for f in result.findings]
    return "\n".join(lines)


def _cert(cert: Certification | None) -> dict[str, Any] | None:
    if cert is None:
        return None
    return {
        "scheme": cert.scheme,
        "number": cert.number,
        "first_registered": cert.first_registered.isoformat() if cert.first_registered else None,
        "last_renewed": cert.last_renewed.isoformat() if cert.last_renewed else None,
        "expires": cert.expires.isoformat() if cert.expires else None,
    }
