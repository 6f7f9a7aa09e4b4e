"""One way in for evidence: every surface calls :func:`submit_evidence`, the kind decides the checks.

The CLI (``evidence add``, ``roster submit``, ``pledge add`` / ``list``,
``certificate --file``), the console's ``/upload``, a file dropped in the Slack
DM and the Teams transport all hand a file to this one function, so no path
stores a roster without reading it or a pledge without counting it:

=======================  ==========================================================
kind                     what happens to the file
=======================  ==========================================================
``roster``               must be a table (xlsx / csv); rows checked, stored as the
                         next roster version, compared with the last one, pledge
                         coverage re-opened when people changed
                         (:func:`.checks.roster.submit_roster`)
``pledge``               *person* given: that person's pledge scan; a table: a
                         pledge list; otherwise stored but counted for nobody,
                         with a finding saying how to get it counted
``certificate_renewal``  a scan (PDF, image, Word); with *certificate* fields the
                         number, renewal and expiry are recorded and checked
                         (:func:`.checks.certificates.record_certificate`), without
                         them a finding asks for them
``disposal_certificate`` a scan (PDF, image, Word); a finding when the event it
                         certifies (契約終了, ディスク交換) has not been reported
anything else            stored as it is
=======================  ==========================================================

Everything that can be refused (unknown condition, not the owner, a status
that takes no evidence, an option or file type wrong for the kind) is refused
before a byte of *source* is read; a refusal changes nothing. The result carries
the findings (row numbers and values, never names) every surface renders, and
:func:`private_summary` is the uploader's text for it.

:meth:`Tracker.store_evidence` is the storage step underneath: it keeps the file
without looking at it, and only the checks call it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, BinaryIO

from .errors import EvidenceError
from .evidence import human_size
from .lifecycle import Action, authorize, target
from .messages import t
from .model import Condition, Evidence, Kind
from .validity import check_term, renewal_open

if TYPE_CHECKING:
    from .checks.certificates import CertificateResult
    from .checks.findings import Finding
    from .checks.pledges import Coverage, PledgeSubmission
    from .checks.roster import RosterSubmission
    from .tracker import Tracker

__all__ = [
    "SCAN_SUFFIXES",
    "TABLE_SUFFIXES",
    "CertificateFields",
    "SubmissionResult",
    "check_summary",
    "is_scan",
    "is_table",
    "private_summary",
    "submit_evidence",
]

#: files read as a table (rosters, pledge lists)
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".txt")
#: files accepted as a certificate (a scan, a photo, or the vendor's Word / PDF document)
SCAN_SUFFIXES = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".tif",
    ".tiff",
    ".bmp",
    ".heic",
    ".webp",
    ".doc",
    ".docx",
)
_SCAN_KINDS = (Kind.CERTIFICATE_RENEWAL, Kind.DISPOSAL_CERTIFICATE)
#: events a disposal certificate may wait on that an owner reports (``duediligence event``)
_REPORTABLE = ("contract_end", "disk_replacement", "staff_change")


@dataclass(frozen=True, slots=True)
class CertificateFields:
    """What a certificate_renewal upload may state: number, latest renewal, expiry (scheme)."""

    number: str
    renewed: dt.date
    expires: dt.date
    scheme: str | None = None


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """What became of one submitted file, for the surface to render to the uploader.

    *check* names what ran: ``roster``, ``pledge_scan``, ``pledge_list``,
    ``pledge_unattributed``, ``certificate``, ``certificate_scan``, ``disposal``
    or ``stored`` (a kind without a check). The kind-specific result, when
    there is one, carries what only the uploader may see (names on a roster).
    """

    condition: Condition  # as it is after the submission
    evidence: Evidence
    check: str
    findings: tuple[Finding, ...] = ()
    roster: RosterSubmission | None = None
    pledges: PledgeSubmission | None = None
    coverage: Coverage | None = None  # pledge conditions: the coverage after this file
    certificate: CertificateResult | None = None


def is_table(filename: str) -> bool:
    return filename.lower().endswith(TABLE_SUFFIXES)


def is_scan(filename: str) -> bool:
    return filename.lower().endswith(SCAN_SUFFIXES)


def submit_evidence(
    tracker: Tracker,
    condition_id: str,
    source: BinaryIO | Iterable[bytes] | bytes,
    *,
    filename: str,
    actor: str,
    now: dt.datetime,
    content_type: str | None = None,
    person: str | None = None,
    after_leaving: bool = True,
    certificate: CertificateFields | None = None,
    kind: Kind | None = None,
    effective: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> SubmissionResult:
    """Submit *source* as evidence of *condition_id*, through the checks of the condition's kind.

    *person* (pledge conditions) says whose pledge a scan is, as written on the
    roster; *after_leaving* False records a pledge that ends with employment.
    *certificate* (certificate_renewal) records number, renewal and expiry with
    the scan. *kind* refuses a condition of any other kind (``roster submit``
    passes ``Kind.ROSTER``). *effective* / *valid_until* give the document's term
    (:mod:`.validity`): reminded before it lapses, reopened after; within 60 days of
    the current file's lapse a done condition takes the renewal. Raises a :class:`~duediligence.DueDiligenceError`
    with nothing changed when the file is refused.
    """
    from .checks import certificates, pledges, roster

    store = tracker.store
    condition = store.condition(condition_id)
    check_term(effective, valid_until)
    renewal = renewal_open(store, condition, now.date()) is not None
    _refuse_early(tracker, condition, filename, actor, person, certificate, kind, renewal)
    checked = (
        condition.kind is Kind.ROSTER
        or (condition.kind is Kind.PLEDGE and (person is not None or is_table(filename)))
        or (condition.kind is Kind.CERTIFICATE_RENEWAL and certificate is not None)
    )
    if checked and (effective is not None or valid_until is not None):
        # the kind's check stores the file; the term follows as its own event
        return _with_term(
            submit_evidence(
                tracker,
                condition_id,
                source,
                filename=filename,
                actor=actor,
                now=now,
                content_type=content_type,
                person=person,
                after_leaving=after_leaving,
                certificate=certificate,
                kind=kind,
            ),
            tracker,
            actor=actor,
            now=now,
            effective=effective,
            valid_until=valid_until,
        )
    if condition.kind is Kind.ROSTER:
        submitted = roster.submit_roster(
            tracker,
            condition.id,
            read_limited(source, tracker, filename),
            filename=filename,
            actor=actor,
            now=now,
        )
        return _result(
            tracker,
            condition.id,
            submitted.evidence,
            "roster",
            submitted.check.findings,
            roster=submitted,
        )
    if condition.kind is Kind.PLEDGE and (person is not None or is_table(filename)):
        data = read_limited(source, tracker, filename)
        if person is not None:
            recorded = pledges.submit_pledge_scan(
                tracker,
                condition.id,
                data,
                filename=filename,
                person=person,
                after_leaving=after_leaving,
                actor=actor,
                now=now,
            )
            check = "pledge_scan"
        else:
            recorded = pledges.submit_pledge_list(
                tracker, condition.id, data, filename=filename, actor=actor, now=now
            )
            check = "pledge_list"
        return _result(
            tracker,
            condition.id,
            recorded.evidence,
            check,
            recorded.findings,
            pledges=recorded,
            coverage=recorded.coverage,
        )
    if condition.kind is Kind.CERTIFICATE_RENEWAL and certificate is not None:
        entered = certificates.record_certificate(
            tracker,
            condition.id,
            number=certificate.number,
            renewed=certificate.renewed,
            expires=certificate.expires,
            scheme=certificate.scheme,
            scan=read_limited(source, tracker, filename),
            filename=filename,
            actor=actor,
            now=now,
        )
        assert entered.evidence is not None  # a scan was given
        return _result(
            tracker,
            condition.id,
            entered.evidence,
            "certificate",
            entered.findings,
            certificate=entered,
        )
    stored = tracker.store_evidence(
        condition.id,
        io.BytesIO(source) if isinstance(source, bytes) else source,
        filename=filename,
        actor=actor,
        now=now,
        content_type=content_type,
        effective=effective,
        valid_until=valid_until,
    )
    check, findings = _after_plain_store(tracker, store.condition(condition.id), now)
    cover = (
        pledges.coverage(store, store.condition(condition.id))
        if condition.kind is Kind.PLEDGE
        else None
    )
    return _result(tracker, condition.id, stored, check, findings, coverage=cover)


def read_limited(
    source: BinaryIO | Iterable[bytes] | bytes, tracker: Tracker, filename: str
) -> bytes:
    """The whole file (a roster, a pledge list or a scan to record), refused past the limit.

    A streamed download cut off here is closed, so it stops at once.
    """
    if isinstance(source, bytes):
        data = bytearray(source)
    else:
        limit = tracker.blobs.max_bytes if tracker.blobs is not None else None
        chunks: Iterable[bytes] = (
            iter(lambda: source.read(1024 * 1024), b"")  # type: ignore[union-attr]
            if hasattr(source, "read")
            else source
        )
        data = bytearray()
        try:
            for chunk in chunks:
                data += chunk
                if limit is not None and len(data) > limit:
                    raise EvidenceError(
                        "error.evidence.too_large", filename=filename, limit=human_size(limit)
                    )
        finally:
            close = getattr(chunks, "close", None)
            if callable(close):
                close()
    if not data:
        raise EvidenceError("error.evidence.empty", filename=filename)
    return bytes(data)


def _refuse_early(
    tracker: Tracker,
    condition: Condition,
    filename: str,
    actor: str,
    person: str | None,
    certificate: CertificateFields | None,
    kind: Kind | None,
    renewal: bool = False,
) -> None:
    """Everything that refuses a file without reading it: who, status, kind, options, type.

    *renewal*: a done condition whose current file lapses soon takes its renewal.
    """
    if kind is not None and condition.kind is not kind:
        raise EvidenceError(_WRONG_KIND.get(kind, "checks.submit.wrong_kind"), id=condition.id)
    authorize(Action.SUBMIT, tracker.roles(actor), condition)
    if not renewal:
        target(Action.SUBMIT, condition)
    if person is not None and condition.kind is not Kind.PLEDGE:
        raise EvidenceError("checks.submit.person_not_pledge", id=condition.id)
    if person is not None and not person.strip():
        raise EvidenceError("checks.submit.person_empty", id=condition.id)
    if certificate is not None and condition.kind is not Kind.CERTIFICATE_RENEWAL:
        raise EvidenceError("checks.submit.fields_not_certificate", id=condition.id)
    if condition.kind is Kind.ROSTER and not is_table(filename):
        raise EvidenceError("checks.submit.roster_not_table", id=condition.id, filename=filename)
    if condition.kind in _SCAN_KINDS and not is_scan(filename):
        raise EvidenceError(
            "checks.submit.not_a_scan",
            id=condition.id,
            filename=filename,
            kind=t(f"kind.{condition.kind}"),
        )


_WRONG_KIND = {
    Kind.ROSTER: "checks.roster.wrong_kind",
    Kind.PLEDGE: "checks.pledge.wrong_kind",
    Kind.CERTIFICATE_RENEWAL: "checks.certificate.wrong_kind",
}


def _after_plain_store(
    tracker: Tracker, condition: Condition, now: dt.datetime
) -> tuple[str, tuple[Finding, ...]]:
    """The findings of a kind whose file is stored as it is (pledge nobody, scans, the rest)."""
    from .checks import certificates
    from .checks.findings import Finding

    store = tracker.store
    if condition.kind is Kind.PLEDGE:
        return "pledge_unattributed", (Finding("checks.pledge.unattributed"),)
    if condition.kind is Kind.CERTIFICATE_RENEWAL:
        found = certificates.certificate_findings(store, condition, now.date())
        return "certificate_scan", tuple(found)
    if condition.kind is Kind.DISPOSAL_CERTIFICATE:
        definition = store.condition_trigger(condition.series)
        reportable = definition is not None and definition.trigger in _REPORTABLE
        if reportable and condition.due is None:
            # imported to wait for an event nobody has reported: its due date never started
            found = Finding("checks.disposal.event_not_reported", value=definition.trigger)
            return "disposal", (found,)
        return "disposal", ()
    return "stored", ()


def _with_term(
    result: SubmissionResult,
    tracker: Tracker,
    *,
    actor: str,
    now: dt.datetime,
    effective: dt.date | None,
    valid_until: dt.date | None,
) -> SubmissionResult:
    """Record the term on the file a kind's check just stored (its own event, ``validity_set``)."""
    evidence = tracker.set_validity(
        result.condition.id,
        actor=actor,
        now=now,
        valid_until=valid_until,
        effective=effective,
        sha256=result.evidence.sha256,
    )
    return replace(
        result, evidence=evidence, condition=tracker.store.condition(result.condition.id)
    )


def _result(
    tracker: Tracker,
    condition_id: str,
    evidence: Evidence,
    check: str,
    findings: Iterable[Finding],
    **kinds: object,
) -> SubmissionResult:
    return SubmissionResult(
        condition=tracker.store.condition(condition_id),
        evidence=evidence,
        check=check,
        findings=tuple(findings),
        **kinds,  # type: ignore[arg-type]
    )


def private_summary(result: SubmissionResult, lang: str = "ja") -> str:
    """The uploader's text: the kind's own summary (names included: it is theirs), or a receipt."""
    checked = check_summary(result, lang)
    if result.roster or result.pledges or result.certificate:
        return checked
    e = result.evidence
    receipt = t(
        "checks.submit.stored",
        lang,
        id=result.condition.id,
        filename=e.filename,
        size=human_size(e.size),
        short=e.sha256[:12],
        status=t(f"status.{result.condition.status}", lang),
    )
    return "\n".join(line for line in (receipt, checked) if line)


def check_summary(result: SubmissionResult, lang: str = "ja") -> str:
    """What the kind's check says about the file ("" for a kind without a check)."""
    from .checks import certificates, pledges, roster

    if result.roster is not None:
        return roster.private_summary(result.roster, lang)
    if result.pledges is not None:
        return pledges.private_summary(result.pledges, lang)
    if result.certificate is not None:
        return certificates.summary(result.certificate, lang)
    lines = [f"  ⚠ {f.render(lang)}" for f in result.findings]
    if result.coverage is not None:
        lines.append(pledges.private_summary(result.coverage, lang, names=False))
    return "\n".join(lines)
