"""What the checks found about one condition, for details, review cards and App Home.

Only counts, row numbers and certificate data appear here, never a person's
name, because these replies reach the secretariat channel: names stay in the
uploader's private summary (:mod:`.uploads`).
"""

from __future__ import annotations

from collections import Counter

from duediligence import Condition, Kind
from duediligence.checks import certificates, pledges, triggers
from duediligence.checks.findings import Finding
from duediligence.checks.occurrences import waiting

from ..base import Context
from ..reply import Button, Field, Section

FINDINGS_LIMIT = 15

#: neutral action ids of the buttons this package adds to reminders, details and App Home
ROSTER_TEMPLATE = "roster_template"
CERTIFICATE_FORM = "certificate_form"


def check_fields(ctx: Context, condition: Condition, lang: str) -> tuple[Field, ...]:
    """One or two short label/value pairs: roster counts, pledge coverage, certificate, trigger."""
    fields: list[Field] = []
    if condition.kind is Kind.ROSTER:
        fields += _roster_fields(ctx, condition, lang)
    elif condition.kind is Kind.PLEDGE:
        fields.append(
            Field(ctx.t("bot.checks.field.coverage", lang), coverage_label(ctx, condition, lang))
        )
    elif condition.kind is Kind.CERTIFICATE_RENEWAL:
        fields.append(
            Field(
                ctx.t("bot.checks.field.certificate", lang),
                _certificate_label(ctx, condition, lang),
            )
        )
    trigger = _trigger_label(ctx, condition, lang)
    if trigger:
        fields.append(Field(ctx.t("bot.checks.field.trigger", lang), trigger))
    return tuple(fields)


def findings(ctx: Context, condition: Condition, lang: str) -> list[Finding]:
    """The findings of the condition's check (row numbers, cell values, dates; no names)."""
    store = ctx.store
    if condition.kind is Kind.ROSTER:
        version = store.latest_roster(condition.consultation, condition.vendor or "")
        return [Finding.from_dict(f) for f in version.findings] if version else []
    if condition.kind is Kind.PLEDGE:
        cover = pledges.coverage(store, condition)
        return cover.findings()
    if condition.kind is Kind.CERTIFICATE_RENEWAL:
        return certificates.certificate_findings(store, condition, ctx.today())
    return []


def check_section(ctx: Context, condition: Condition, lang: str) -> Section | None:
    """The findings as a titled list, or None when the check found nothing (or has no check)."""
    found = findings(ctx, condition, lang)
    if not found:
        return None
    items = [f"⚠ {f.render(lang)}" for f in found[:FINDINGS_LIMIT]]
    if len(found) > FINDINGS_LIMIT:
        items.append(ctx.t("bot.status.more", lang, count=len(found) - FINDINGS_LIMIT))
    title = ctx.t("bot.checks.findings", lang, count=len(found))
    return Section(title=title, items=tuple(items))


def coverage_label(ctx: Context, condition: Condition, lang: str) -> str:
    cover = pledges.coverage(ctx.store, condition)
    if cover.roster_version is None:
        return ctx.t("bot.checks.coverage.no_roster", lang)
    key = "bot.checks.coverage.complete" if cover.complete else "bot.checks.coverage.label"
    return ctx.t(
        key, lang, covered=cover.covered, required=cover.required, version=cover.roster_version
    )


def line_note(ctx: Context, condition: Condition, lang: str) -> str:
    """A few words to add to a one-line listing (the pledge coverage), or ""."""
    if condition.kind is not Kind.PLEDGE:
        return ""
    return ctx.t("bot.checks.line_note", lang, coverage=coverage_label(ctx, condition, lang))


def kind_buttons(ctx: Context, condition: Condition, lang: str) -> tuple[Button, ...]:
    """The owner's extra buttons: the roster template, or the certificate form."""
    if condition.kind is Kind.ROSTER:
        return (Button(ROSTER_TEMPLATE, ctx.t("bot.checks.button.template", lang), condition.id),)
    if condition.kind is Kind.CERTIFICATE_RENEWAL:
        return (
            Button(CERTIFICATE_FORM, ctx.t("bot.checks.button.certificate", lang), condition.id),
        )
    from duediligence.checklists import checklist_of

    from ..supervision.checklist import buttons as checklist_buttons

    which = checklist_of(condition)  # contract clauses, inspection: the form
    if which is not None:
        return checklist_buttons(ctx, condition.id, which, lang)
    return ()


def _roster_fields(ctx: Context, condition: Condition, lang: str) -> list[Field]:
    store = ctx.store
    version = store.latest_roster(condition.consultation, condition.vendor or "")
    label = ctx.t("bot.checks.field.roster", lang)
    if version is None:
        return [Field(label, ctx.t("bot.checks.roster.none", lang))]
    people = store.roster_people(version.id)
    sep = "、" if lang == "ja" else ", "
    roles = Counter(p.role for p in people if p.role)
    employment = Counter(p.employment for p in people if p.employment)
    value = ctx.t(
        "bot.checks.roster.label",
        lang,
        version=version.version,
        people=len(people),
        roles=sep.join(f"{k} {v}" for k, v in roles.items()) or "-",
        employment=sep.join(f"{k} {v}" for k, v in employment.items()) or "-",
        problems=len(version.findings),
    )
    fields = [Field(label, value)]
    change = _roster_change(ctx, version.condition, version.version)
    if change is not None:
        fields.append(
            Field(
                ctx.t("bot.checks.field.roster_change", lang),
                ctx.t("bot.checks.roster.change", lang, joined=change[0], left=change[1]),
            )
        )
    return fields


def _roster_change(ctx: Context, condition_id: str, version: int) -> tuple[int, int] | None:
    """(joined, left) counts logged when *version* was checked; None for a first version."""
    for event in reversed(ctx.store.events(condition_id)):
        if event.action == "roster_checked" and event.data.get("version") == version:
            joined, left = event.data.get("joined"), event.data.get("left")
            if isinstance(joined, int) and isinstance(left, int):
                return joined, left
            return None
    return None


def _certificate_label(ctx: Context, condition: Condition, lang: str) -> str:
    store = ctx.store
    record = store.latest_certificate_record(condition.id)
    if record is not None:
        return ctx.t(
            "bot.checks.certificate.recorded",
            lang,
            scheme=record.scheme,
            number=record.number,
            renewed=record.renewed.isoformat(),
            expires=record.expires.isoformat(),
        )
    scheme = certificates.resolve_scheme(store, condition)
    held = {c.scheme: c for c in store.certifications(condition.vendor)} if condition.vendor else {}
    cert = held.get(scheme or "")
    if cert is None:
        return ctx.t("bot.checks.certificate.none", lang, scheme=scheme or "-")
    return ctx.t(
        "bot.checks.certificate.imported",
        lang,
        scheme=cert.scheme,
        number=cert.number or "-",
        first=cert.first_registered.isoformat() if cert.first_registered else "-",
        renewed=cert.last_renewed.isoformat() if cert.last_renewed else "-",
        expires=cert.expires.isoformat() if cert.expires else "-",
    )


def _trigger_label(ctx: Context, condition: Condition, lang: str) -> str:
    definition = ctx.store.condition_trigger(condition.series)
    if definition is None:
        return ""
    if definition.trigger == triggers.Trigger.FISCAL_YEAR_END_CHECK:
        return ctx.t("bot.checks.trigger.fy_rule", lang, days=definition.days)
    key = "bot.checks.trigger.waiting" if waiting(condition) else "bot.checks.trigger.rule"
    label = triggers.trigger_label(definition.trigger, lang)
    return ctx.t(key, lang, trigger=label, days=definition.days)
