"""Track the conditions of a council's approval, from import to report-back.

The public surface is what ``__all__`` lists; everything else is internal.
No chat platform is imported here: the bot builds on this library.
"""

from .business_calendar import BusinessCalendar
from .config import Settings
from .dates import format_wareki, parse_due
from .errors import (
    DueDateError,
    DueDiligenceError,
    EvidenceError,
    ImportFormatError,
    MeetingNotFound,
    NotFound,
    PermissionDenied,
    ReasonRequired,
    SchemaError,
    TransitionError,
)
from .evidence import BlobStore
from .lifecycle import Action, Roles
from .meetings import resolve_meeting
from .model import (
    Certification,
    Condition,
    Consultation,
    Decision,
    Department,
    DueRule,
    Event,
    Evidence,
    Kind,
    Meeting,
    Recurrence,
    Status,
    Vendor,
    VendorRole,
)
from .reminders import ReminderPolicy, plan_reminders
from .store import ConditionFilter, Store
from .submission import CertificateFields, SubmissionResult, submit_evidence
from .tracker import Tracker

__all__ = [
    "Action",
    "BlobStore",
    "BusinessCalendar",
    "CertificateFields",
    "Certification",
    "Condition",
    "ConditionFilter",
    "Consultation",
    "Decision",
    "Department",
    "DueDateError",
    "DueDiligenceError",
    "DueRule",
    "Event",
    "Evidence",
    "EvidenceError",
    "ImportFormatError",
    "Kind",
    "Meeting",
    "MeetingNotFound",
    "NotFound",
    "PermissionDenied",
    "ReasonRequired",
    "Recurrence",
    "ReminderPolicy",
    "Roles",
    "SchemaError",
    "Settings",
    "Status",
    "Store",
    "SubmissionResult",
    "Tracker",
    "TransitionError",
    "Vendor",
    "VendorRole",
    "format_wareki",
    "parse_due",
    "plan_reminders",
    "resolve_meeting",
    "submit_evidence",
]
