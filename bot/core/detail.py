"""One condition shown in full: what it asks, for which consultation and vendor, by when."""

from __future__ import annotations

from duediligence import Condition
from duediligence.bodies import approval_label
from duediligence.chain import has_chain, path_label
from duediligence.validity import current_evidence

from .base import Context
from .checks.summary import check_fields
from .reply import Field, Section


def condition_section(ctx: Context, condition: Condition, lang: str) -> Section:
    """The condition's text with its consultation, vendor, department, due date and evidence rule."""
    consultation = ctx.store.find_consultation(condition.consultation)
    consultation_label = (
        f"{consultation.number or consultation.id} {consultation.title}"
        if consultation
        else condition.consultation
    )
    fields = [
        Field(ctx.t("bot.field.condition", lang), f"{condition.id} [{ctx.kind(condition, lang)}]"),
        Field(ctx.t("bot.field.status", lang), ctx.status_label(condition, lang)),
        Field(ctx.t("bot.field.consultation", lang), consultation_label),
    ]
    if consultation:
        fields.append(
            Field(
                ctx.t("bot.field.approved_by", lang), approval_label(ctx.store, consultation, lang)
            )
        )
    fields.append(Field(ctx.t("bot.field.department", lang), condition.department))
    if condition.vendor:
        vendor = condition.vendor
        if has_chain(ctx.store, condition.consultation):  # 元請 → 再委託先 → 再々委託先
            vendor = path_label(ctx.store, condition.consultation, condition.vendor, lang)
        fields.append(Field(ctx.t("bot.field.vendor", lang), vendor))
    fields.append(Field(ctx.t("bot.field.due", lang), ctx.due_label(condition.due, lang)))
    fields.append(Field(ctx.t("bot.field.expected", lang), ctx.expected(condition, lang)))
    current = current_evidence(ctx.store, condition.id)
    if current is not None and current.valid_until is not None:
        fields.append(
            Field(ctx.t("bot.validity.field.until", lang), ctx.due_label(current.valid_until, lang))
        )
    fields += check_fields(ctx, condition, lang)  # roster counts, pledge coverage, certificate
    return Section(text=condition.text, fields=tuple(fields))
