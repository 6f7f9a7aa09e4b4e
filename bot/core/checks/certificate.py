"""The certificate form: number, latest renewal and expiry of a vendor's ISMS / Privacy Mark.

The scan comes first, dropped in the DM like any evidence; the form then
records the three facts (:func:`duediligence.checks.certificates.record_certificate`),
which updates the vendor's certification record. Dates are read as people
write them (:func:`duediligence.parse_due`); a date or value the library
refuses is shown under its field. Open review cards of the condition are
redrawn so the secretariat sees what was entered and any flag (expired,
never renewed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from duediligence import DueDateError, DueDiligenceError, Kind, Status, parse_due
from duediligence.checks import certificates

from ..base import Context
from ..reply import Form, Input, Outcome, Reply, Section, Update
from ..uploads import review_card

FORM = "certificate_record"
#: the library's refusals, and the form field each belongs under
_FIELD_OF = {
    "checks.certificate.no_number": "number",
    "checks.certificate.renewed_future": "renewed",
    "checks.certificate.bad_period": "expires",
    "checks.certificate.which_scheme": "scheme",
}


def ask(ctx: Context, actor: str, condition_id: str, lang: str) -> Outcome:
    """Open the form for an owner, once the scan has been submitted."""
    store = ctx.store
    condition = store.find_condition(condition_id)
    if condition is None or condition.kind is not Kind.CERTIFICATE_RENEWAL:
        return Outcome(reply=Reply(ctx.t("bot.unknown_action", lang)))
    if condition.department not in ctx.who(actor).departments:
        return Outcome(
            reply=Reply(ctx.t("bot.checks.certificate.owner_only", lang, id=condition.id))
        )
    if condition.status is not Status.SUBMITTED or not store.evidence_of(condition.id):
        return Outcome(
            reply=Reply(ctx.t("bot.checks.certificate.scan_first", lang, id=condition.id))
        )
    scheme = certificates.resolve_scheme(store, condition)
    held = {c.scheme: c for c in store.certifications(condition.vendor)} if condition.vendor else {}
    current = held.get(scheme or "")
    placeholder = ctx.t("bot.form.new_due.placeholder", lang)
    inputs = [
        Input(
            "number",
            ctx.t("bot.checks.form.number", lang),
            initial=current.number if current else "",
        ),
        Input("renewed", ctx.t("bot.checks.form.renewed", lang), placeholder=placeholder),
        Input("expires", ctx.t("bot.checks.form.expires", lang), placeholder=placeholder),
    ]
    if scheme is None:
        inputs.append(
            Input(
                "scheme",
                ctx.t("bot.checks.form.scheme", lang),
                placeholder=", ".join(held) or "ISMS, PrivacyMark",
            )
        )
    form = Form(
        callback=FORM,
        title=ctx.t("bot.checks.form.certificate.title", lang),
        submit=ctx.t("bot.checks.form.certificate.submit", lang),
        text=ctx.t(
            "bot.checks.form.certificate.text",
            lang,
            id=condition.id,
            vendor=condition.vendor or "-",
            scheme=scheme or "-",
        ),
        inputs=tuple(inputs),
        metadata=condition.id,
    )
    return Outcome(form=form)


def record(
    ctx: Context, actor: str, condition_id: str, values: Mapping[str, str], lang: str
) -> Outcome:
    """The form came back: read the dates, record the certificate, redraw the review cards."""
    today = ctx.today()
    errors: dict[str, str] = {}
    dates: dict[str, dt.date] = {}
    for name in ("renewed", "expires"):
        try:
            dates[name] = parse_due(values.get(name, ""), today=today)
        except DueDateError as err:
            errors[name] = err.render(lang)
    number = values.get("number", "").strip()
    if not number:
        errors["number"] = ctx.t("checks.certificate.no_number", lang, id=condition_id)
    if errors:
        return Outcome(form_errors=errors)
    try:
        result = certificates.record_certificate(
            ctx.tracker(),
            condition_id,
            number=number,
            renewed=dates["renewed"],
            expires=dates["expires"],
            actor=actor,
            now=ctx.now(),
            scheme=values.get("scheme", "").strip() or None,
        )
    except DueDiligenceError as err:
        field = _FIELD_OF.get(err.key)
        if field is not None and (field != "scheme" or "scheme" in values):
            return Outcome(form_errors={field: err.render(lang)})
        return Outcome(reply=Reply(err.render(lang)))
    head, _, rest = certificates.summary(result, lang).partition("\n")
    reply = Reply(head, (Section(text=rest),) if rest else ())
    return Outcome(reply=reply, updates=_redraw_cards(ctx, condition_id))


def _redraw_cards(ctx: Context, condition_id: str) -> list[Update]:
    """The condition's undecided review cards, drawn again with the certificate just entered."""
    store = ctx.store
    condition = store.condition(condition_id)
    evidence = {e.id: e for e in store.evidence_of(condition_id)}
    updates: list[Update] = []
    for card in store.open_cards(condition_id):
        number = card.key.rpartition(":")[2]
        if not card.key.startswith("review:") or not number.isdigit():
            continue
        shown = evidence.get(int(number))
        if shown is not None and card.channel and card.ts:
            updates.append(
                Update(card.channel, card.ts, review_card(ctx, condition, shown, ctx.lang))
            )
    return updates
