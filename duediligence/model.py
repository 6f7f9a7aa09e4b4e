"""The domain, in the secretariat's words: plain typed records, no storage, no chat.

A *council* (審議会, or any approving body) decides *consultations* (諮問) at its
*meetings*; an approval may carry *conditions* (確認事項・付帯意見) that a
*department* (所管課) must satisfy with *evidence* and that are closed only once
reported back to the council. Every change is an *event* in an append-only log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a condition asks for; each kind has its own evidence rule (see kinds.py)."""

    ROSTER = "roster"  # 名簿
    PLEDGE = "pledge"  # 誓約書
    DISPOSAL_CERTIFICATE = "disposal_certificate"  # 廃棄・消去証明書
    CERTIFICATE_RENEWAL = "certificate_renewal"  # ISMS / プライバシーマーク更新
    SPEC_AMENDMENT = "spec_amendment"  # 仕様書の修正
    CONTRACT_REVIEW = "contract_review"  # 法務課・契約課の審査
    CONFIRMATION = "confirmation"  # 受託者からの書面回答
    REPORT_BACK = "report_back"  # 審議会への書面報告
    PERIODIC_REPORT = "periodic_report"  # 受託者からの定期報告(毎月・四半期)
    INCIDENT_REPORT = "incident_report"  # 事故報告(速報・確報)
    RECURRENCE_PREVENTION = "recurrence_prevention"  # 再発防止策
    SUBCONTRACT_APPROVAL = "subcontract_approval"  # 再委託の承認
    CONTRACT_CLAUSES = "contract_clauses"  # 契約条項の確認(条項ごと)
    INSPECTION = "inspection"  # 委託先の点検(年1回、実地または書面)
    CORRECTIVE_ACTION = "corrective_action"  # 点検の指摘の是正
    OTHER = "other"


class Status(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    REPORTED = "reported"
    WAIVED = "waived"
    WITHDRAWN = "withdrawn"  # 取消: a later meeting withdrew the condition

    @property
    def finished(self) -> bool:
        return self in (Status.REPORTED, Status.WAIVED, Status.WITHDRAWN)

    @property
    def awaiting_owner(self) -> bool:
        """The owner department has to act: these are what reminders chase."""
        return self in (Status.OPEN, Status.RETURNED)


class Decision(StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"
    CONTINUED = "continued"
    NOTED = "noted"  # a report item (報告事項) the council took note of


class Recurrence(StrEnum):
    NONE = "none"
    ON_CHANGE = "on_change"  # resubmit when something changes (a roster)
    YEARLY = "yearly"
    FISCAL_YEAR_END = "fiscal_year_end"
    MONTHLY = "monthly"  # a periodic report each month (定期報告)
    QUARTERLY = "quarterly"  # or each quarter


class DueRule(StrEnum):
    """How the due date was given, so it can be recomputed when meetings move."""

    DATE = "date"
    NEXT_MEETING = "next_meeting"


class VendorRole(StrEnum):
    CONTRACTOR = "contractor"  # 受託者
    SUBCONTRACTOR = "subcontractor"  # 再委託先・システム提供事業者


class IncidentKind(StrEnum):
    """What happened to the personal data (個人情報の漏えい等)."""

    LEAK = "leak"  # 漏えい
    LOSS = "loss"  # 滅失・紛失
    DAMAGE = "damage"  # 毀損
    UNAUTHORIZED_ACCESS = "unauthorized_access"  # 不正アクセス(確報は60日以内)


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident an owner reported on one outsourcing; its reports are conditions."""

    id: int
    consultation: str
    kind: IncidentKind
    reported_by: str
    reported_at: dt.datetime
    vendor: str | None = None
    description: str = ""
    conditions: tuple[str, ...] = ()  # 速報, 確報, 再発防止策


class BodyKind(StrEnum):
    """What kind of body approved: the model calls every one a council (see DESIGN.md)."""

    COUNCIL = "council"  # 審議会
    COMMITTEE = "committee"  # 情報セキュリティ委員会などの委員会
    DECISION = "decision"  # 決裁(実施機関内部の意思決定)


@dataclass(frozen=True, slots=True)
class Council:
    """The approving body: a 審議会, a committee or an internal decision (決裁).

    *reports_to* names the council that hears what this body approved
    (「実施機関による確認結果の報告」), when it is not a council itself.
    """

    name: str
    body: BodyKind = BodyKind.COUNCIL
    reports_to: str | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    council: str
    date: dt.date
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Department:
    """所管課: the people who own conditions, and the head who hears escalations."""

    name: str
    owners: tuple[str, ...] = ()
    head: str | None = None


@dataclass(frozen=True, slots=True)
class Certification:
    vendor: str
    scheme: str  # ISMS, PrivacyMark, or any other scheme's name
    number: str = ""
    scope: str = ""
    first_registered: dt.date | None = None
    last_renewed: dt.date | None = None
    expires: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Vendor:
    """受託者 or 再委託先 of one consultation."""

    name: str
    role: VendorRole = VendorRole.CONTRACTOR
    certifications: tuple[Certification, ...] = ()


@dataclass(frozen=True, slots=True)
class Consultation:
    """諮問: what the council was asked and what it decided."""

    id: str
    title: str
    department: str
    decision: Decision
    meeting: str
    number: str = ""
    vendors: tuple[Vendor, ...] = ()


@dataclass(frozen=True, slots=True)
class Condition:
    """確認事項・付帯条件: one thing a department must do, proven by evidence."""

    id: str
    consultation: str
    kind: Kind
    text: str
    department: str
    status: Status
    due: dt.date | None
    due_text: str = ""
    due_rule: DueRule = DueRule.DATE
    vendor: str | None = None
    report_back: bool = True
    recurrence: Recurrence = Recurrence.NONE
    series: str = ""  # the id of the first occurrence; equal to id for it
    occurrence: int = 1
    reported_at_meeting: str | None = None

    def is_overdue(self, today: dt.date) -> bool:
        """Past due while the owner still has to act (submitted items wait on the secretariat)."""
        return self.due is not None and self.due < today and self.status.awaiting_owner

    @property
    def finished(self) -> bool:
        return self.status.finished or (self.status is Status.ACCEPTED and not self.report_back)


@dataclass(frozen=True, slots=True)
class Evidence:
    """An immutable file attached to a condition; a newer one supersedes, never overwrites."""

    id: int
    condition: str
    sha256: str
    filename: str
    size: int
    content_type: str
    uploaded_by: str
    uploaded_at: dt.datetime
    effective: dt.date | None = None  # from when the document holds (a certificate's start)
    valid_until: dt.date | None = None  # the last day it holds; the condition reopens after it


@dataclass(frozen=True, slots=True)
class Event:
    """One line of the append-only log: who did what, when, and why."""

    id: int
    subject: str  # a condition id, or another record's key
    action: str
    actor: str
    at: dt.datetime
    reason: str = ""
    data: dict[str, object] = field(default_factory=dict)
