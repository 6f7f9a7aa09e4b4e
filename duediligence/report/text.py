"""The sentences and labels the three writers share, so Word, Excel and Markdown agree.

Dates are printed in 和暦 in Japanese (令和3年5月19日) and as ISO dates in English.
"""

from __future__ import annotations

import datetime as dt

from ..dates import format_wareki
from ..kinds import kind_label
from ..messages import t
from ..model import BodyKind, Consultation, Meeting, Status
from .pack import PackContent, PackItem, PackSection

#: statuses in the order a reader expects them in counts
STATUS_ORDER = (
    Status.ACCEPTED,
    Status.REPORTED,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.OPEN,
    Status.WAIVED,
    Status.WITHDRAWN,
)


def day(value: dt.date | None, lang: str) -> str:
    if value is None:
        return ""
    return format_wareki(value) if lang == "ja" else value.isoformat()


def title(content: PackContent, lang: str) -> str:
    if content.body is not BodyKind.COUNCIL:
        return t(f"report.title.{content.body}", lang, meeting=content.meeting.label)
    return t("report.title", lang, meeting=content.meeting.label)


def intro(content: PackContent, lang: str) -> str:
    return t("report.intro", lang, date=day(content.reported_on, lang))


def summary(content: PackContent, lang: str) -> str:
    counts = content.counts_by_status()
    parts = [
        t("report.summary.part", lang, status=t(f"status.{s}", lang), count=counts[s])
        for s in STATUS_ORDER
        if counts[s]
    ]
    return t(
        "report.summary",
        lang,
        total=sum(counts.values()),
        parts=t("report.list_sep", lang).join(parts),
    )


def meeting_label(meeting: Meeting, lang: str) -> str:
    return t("report.meeting", lang, name=meeting.label, date=day(meeting.date, lang))


def section_heading(index: int, section: PackSection, lang: str) -> str:
    consultation = section.consultation
    return t(
        "report.section",
        lang,
        index=index,
        number=consultation.number or consultation.id,
        title=consultation.title,
    )


def section_vendors(section: PackSection, lang: str) -> str:
    """The vendors; with sub-contracting, each chain 元請 → 再委託先 → 再々委託先."""
    if not section.chain:
        return vendors(section.consultation, lang)
    from ..chain import depth_label

    chained = {name for steps in section.chain for name, _ in steps}
    parts = [
        " → ".join(
            t("report.vendor", lang, name=name, role=depth_label(depth, lang))
            for name, depth in steps
        )
        for steps in section.chain
    ]
    parts += [
        t("report.vendor", lang, name=v.name, role=t(f"report.role.{v.role}", lang))
        for v in section.consultation.vendors
        if v.name not in chained
    ]
    return t("report.list_sep", lang).join(parts)


def vendors(consultation: Consultation, lang: str) -> str:
    return t("report.list_sep", lang).join(
        t("report.vendor", lang, name=v.name, role=t(f"report.role.{v.role}", lang))
        for v in consultation.vendors
    )


def decided(section: PackSection, lang: str) -> str:
    """The meeting and the decision; for a body other than a council, which body it was."""
    line = t(
        "report.decided",
        lang,
        meeting=meeting_label(section.decided_at, lang),
        decision=t(f"decision.{section.consultation.decision}", lang),
    )
    body = section.body
    if body is not None and (section.elsewhere or body.body is not BodyKind.COUNCIL):
        line = t(
            "report.decided.body",
            lang,
            body=body.name,
            kind=t(f"body.{body.body}", lang),
            decided=line,
        )
    if section.elsewhere:
        line = t("report.decided.elsewhere", lang, decided=line)
    return line


def approved_by(section: PackSection, lang: str) -> str:
    """The spreadsheet's short form: the body (when not the pack's own) and the meeting."""
    if section.elsewhere and section.body is not None:
        return f"{section.body.name} {section.decided_at.label}"
    return section.decided_at.label


def item_heading(index: int, item: PackItem, lang: str) -> str:
    return t(
        "report.item",
        lang,
        index=index,
        kind=kind_label(item.condition.kind, lang),
        id=item.condition.id,
    )


def status(item: PackItem, lang: str) -> str:
    label = t(f"status.{item.status}", lang)
    if item.status is Status.REPORTED and item.condition.reported_at_meeting:
        label = t(
            "report.status.reported_at",
            lang,
            status=label,
            meeting=item.condition.reported_at_meeting,
        )
    if item.overdue:
        label = t("report.status.overdue", lang, status=label)
    return label


def done(item: PackItem, lang: str) -> str:
    """What was done: the accept note, or a plain sentence for the item's state."""
    if item.status in (Status.ACCEPTED, Status.REPORTED):
        sentence = item.accept_note.strip() or t("report.done.accepted", lang)
        if item.accepted_on:
            sentence = t("report.done.on", lang, text=sentence, date=day(item.accepted_on, lang))
        return sentence
    if item.status is Status.SUBMITTED:
        return t("report.done.submitted", lang, date=day(item.last_received, lang))
    if item.status is Status.RETURNED:
        return t("report.done.returned", lang, date=day(item.returned_on, lang))
    if item.status is Status.WAIVED:
        return t("report.done.waived", lang, date=day(item.waived_on, lang))
    if item.status is Status.WITHDRAWN:
        return t(
            "report.done.withdrawn",
            lang,
            meeting=item.withdrawn_by,
            date=day(item.withdrawn_on, lang),
        )
    if item.lapsed_on:
        return t("report.done.lapsed", lang, date=day(item.lapsed_on, lang))
    return t("report.done.open", lang)


def evidence_lines(item: PackItem, lang: str) -> list[str]:
    return [
        t("report.evidence", lang, filename=e.filename, date=day(e.received, lang), who=e.who)
        for e in item.evidence
    ]


def evidence(item: PackItem, lang: str) -> str:
    return t("report.list_sep", lang).join(evidence_lines(item, lang)) or t(
        "report.evidence.none", lang
    )


def reason_label(item: PackItem, lang: str) -> str:
    return t(f"report.label.reason.{item.reason_kind or 'returned'}", lang)


def due_label(item: PackItem, lang: str) -> str:
    return t("report.label.new_due" if item.original_due else "report.label.due", lang)


def due(item: PackItem, lang: str) -> str:
    if item.condition.due is None:
        return t("report.due.none", lang)
    shown = day(item.condition.due, lang)
    if item.original_due:
        return t("report.due.extended", lang, due=shown, original=day(item.original_due, lang))
    return shown


def next_occurrence(item: PackItem, lang: str) -> str:
    """The next time a recurring item comes round, or the certificate expiry to check next."""
    parts = [
        t("report.next.certificate", lang, scheme=scheme, date=day(expires, lang))
        for scheme, expires in item.certificates
    ]
    recurrence = item.condition.recurrence
    if item.next_due:
        parts.insert(
            0,
            t(
                "report.next.recurrence",
                lang,
                date=day(item.next_due, lang),
                recurrence=t(f"recurrence.{recurrence}", lang),
            ),
        )
    elif recurrence == "on_change":
        parts.insert(0, t("report.next.on_change", lang))
    return t("report.list_sep", lang).join(parts)


def checklist(item: PackItem, lang: str) -> str:
    """「秘密保持: 第5条、事故発生時の報告: なし(追加が必要)…」: a clause check's or an inspection's answers."""
    return t("report.list_sep", lang).join(
        t(
            f"checklist.{item.checklist}.line.{answer}",
            lang,
            item=en if lang == "en" else ja,
            note=note,
        ).strip()
        for ja, en, answer, note in item.answers
    )


def shows_reason(item: PackItem) -> bool:
    """Open, submitted, returned, waived and withdrawn items say why; done items need not."""
    return bool(item.reason) and item.status not in (Status.ACCEPTED, Status.REPORTED)


def shows_due(item: PackItem) -> bool:
    """Items still waiting show their (new) due date; done or waived ones do not need it."""
    return item.status in (Status.OPEN, Status.SUBMITTED, Status.RETURNED)


# -- the access summary (who read evidence, as counts per department) ---------------------------


def access_heading(lang: str) -> str:
    return t("report.access.heading", lang)


def access_intro(content: PackContent, lang: str) -> str:
    summary = content.access
    assert summary is not None
    params = {
        "since": day(summary.since, lang),
        "until": day(summary.until, lang),
        "reads": summary.reads,
        "exports": summary.exports,
    }
    key = "report.access.period" if summary.since else "report.access.period_all"
    return t(key, lang, **params)


def access_lines(content: PackContent, lang: str) -> list[str]:
    """One sentence per department; an empty period says so."""
    summary = content.access
    assert summary is not None
    if not summary.departments:
        return [t("report.access.none", lang)]
    return [
        t(
            "report.access.line",
            lang,
            department=row.department,
            reads=row.reads,
            owners=row.by_owners,
            secretariat=row.by_secretariat,
            files=row.files,
            readers=row.readers,
        )
        for row in summary.departments
    ]
