"""Which body approved an outsourcing: a council (審議会), a committee, or an internal decision (決裁).

Since 2023 many approvals come from an information-security committee or a
決裁 rather than a privacy council; messages and the report pack say which.
"""

from __future__ import annotations

from .messages import t
from .model import BodyKind, Consultation, Council
from .store import Store


def approving_body(store: Store, consultation: Consultation) -> Council | None:
    """The body whose meeting decided *consultation*."""
    return store.council_of_meeting(consultation.meeting)


def approval_label(store: Store, consultation: Consultation, lang: str = "ja") -> str:
    """「情報セキュリティ委員会（委員会）令和5年度第2回」: who approved, and when."""
    meeting = store.find_meeting(consultation.meeting)
    body = approving_body(store, consultation)
    return t(
        "body.approved_by",
        lang,
        name=body.name if body else (meeting.council if meeting else ""),
        kind=t(f"body.{body.body if body else BodyKind.COUNCIL}", lang),
        meeting=meeting.label if meeting else consultation.meeting,
    )
