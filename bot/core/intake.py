"""Register a consultation and its conditions from chat, and amend them from the condition card.

The secretariat presses 諮問と確認事項を登録 on the App Home (``/register`` in the
console): a form for the meeting, the consultation's number and title, its
department and vendor; then one form per condition (the kind chosen from a list,
with each kind's evidence rule shown), and before anything is saved a
confirmation that shows how the due date was read, in 和暦 and ISO. The
condition card (詳細) carries 変更 and 取消 for the secretariat: a later
meeting's amendment or withdrawal, with its reason. Everything goes through
:class:`duediligence.amend.Amendments`, so the chat refuses what the CLI
refuses, with each message under the field it concerns, and saves nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from duediligence import Condition, DueDiligenceError, Kind, Recurrence
from duediligence.amend import Amendments, ConditionDraft, ConditionEdit
from duediligence.errors import InvalidInput, MeetingNotFound, ReasonRequired
from duediligence.kinds import evidence_rule, kind_label

from .. import intake_messages as _messages  # noqa: F401  (registers the words)
from .base import Context, Role
from .reply import Button, Choice, Form, Input, Outcome, Reply, Section

REGISTER = "register_start"
MORE = "register_more"
AMEND = "amend_edit"
WITHDRAW = "amend_withdraw"
REGISTER_FORM = "register_consultation"
CONDITION_FORM = "register_condition"
CONFIRM_FORM = "register_confirm"
AMEND_FORM = "amend_edit_form"
WITHDRAW_FORM = "amend_withdraw_form"
#: the neutral action ids and form callbacks handled here (transports route these to the core)
ACTIONS = (REGISTER, MORE, AMEND, WITHDRAW)
FORMS = (REGISTER_FORM, CONDITION_FORM, CONFIRM_FORM, AMEND_FORM, WITHDRAW_FORM)
_TRIGGERS = ("contract_end", "disk_replacement", "staff_change", "fiscal_year_end_check")


def home_button(ctx: Context, lang: str) -> Section:
    """The App Home's register button (the secretariat's home only)."""
    return Section(buttons=(Button(REGISTER, ctx.t("bot.register.button", lang), "", "primary"),))


def menu(ctx: Context, condition: Condition, lang: str) -> tuple[Section, ...]:
    """The secretariat's amend menu under a condition card (nothing once it is finished)."""
    if condition.finished:
        return ()
    buttons = _buttons(ctx, condition, lang)
    return (Section(title=ctx.t("bot.amend.menu", lang), buttons=buttons),)


def card_buttons(ctx: Context, actor: str, condition: Condition, lang: str) -> tuple[Button, ...]:
    """変更 / 取消 on a condition card, for the secretariat and items still running."""
    if ctx.who(actor).role is not Role.SECRETARIAT or condition.finished:
        return ()
    return _buttons(ctx, condition, lang)


def _buttons(ctx: Context, condition: Condition, lang: str) -> tuple[Button, ...]:
    return (
        Button(AMEND, ctx.t("bot.amend.edit", lang), condition.id),
        Button(WITHDRAW, ctx.t("bot.amend.withdraw", lang), condition.id, "danger"),
    )


def click(ctx: Context, actor: str, action: str, value: str, lang: str) -> Outcome | None:
    if action not in ACTIONS:
        return None
    if ctx.who(actor).role is not Role.SECRETARIAT:
        return Outcome(reply=Reply(ctx.t("bot.register.only_secretariat", lang)))
    if action == REGISTER:
        return Outcome(form=_register_form(ctx, lang))
    if action == MORE:
        consultation, _, meeting = value.partition("|")
        return Outcome(form=_condition_form(ctx, consultation, meeting, lang))
    condition = ctx.store.condition(value)
    if action == AMEND:
        return Outcome(form=_amend_form(ctx, condition, lang))
    return Outcome(form=_withdraw_form(ctx, condition, lang))


def submit(
    ctx: Context, actor: str, callback: str, values: Mapping[str, str], metadata: str, lang: str
) -> Outcome | None:
    if callback not in FORMS:
        return None
    if ctx.who(actor).role is not Role.SECRETARIAT:
        return Outcome(reply=Reply(ctx.t("bot.register.only_secretariat", lang)))
    amendments = Amendments(ctx.tracker())
    try:
        if callback == REGISTER_FORM:
            return _registered(ctx, amendments, actor, values, lang)
        if callback == CONDITION_FORM:
            return _confirm(ctx, amendments, json.loads(metadata), values, lang)
        if callback == CONFIRM_FORM:
            return _save(ctx, amendments, actor, json.loads(metadata), values, lang)
        if callback == AMEND_FORM:
            return _amended(ctx, amendments, actor, metadata, values, lang)
        return _withdrawn(ctx, amendments, actor, metadata, values, lang)
    except InvalidInput as err:
        inputs = _INPUTS[callback]
        errors: dict[str, str] = {}
        for name in err.problems:
            target = _FIELD_INPUT.get(name, name)
            errors[target if target in inputs else inputs[0]] = err.field_message(name, lang)
        return Outcome(form_errors=errors)
    except ReasonRequired as err:
        return Outcome(form_errors={"reason": err.render(lang)})
    except MeetingNotFound as err:
        return Outcome(form_errors={"meeting": err.render(lang)})


# -- registering ------------------------------------------------------------------


def _register_form(ctx: Context, lang: str) -> Form:
    return Form(
        callback=REGISTER_FORM,
        title=ctx.t("bot.register.title", lang),
        submit=ctx.t("bot.register.submit", lang),
        text=ctx.t("bot.register.intro", lang),
        inputs=(
            _meeting_input(ctx, "meeting", ctx.t("bot.register.meeting", lang), ""),
            Input(
                "number",
                ctx.t("bot.register.number", lang),
                optional=True,
                placeholder="令和3年度諮問第1号",
            ),
            Input("title", ctx.t("bot.register.consultation_title", lang)),
            _department_input(ctx, "department", ctx.t("bot.register.department", lang), ""),
            Input("vendor", ctx.t("bot.register.vendor", lang), optional=True),
        ),
    )


def _registered(
    ctx: Context, amendments: Amendments, actor: str, values: Mapping[str, str], lang: str
) -> Outcome:
    consultation = amendments.register_consultation(
        meeting=values.get("meeting", ""),
        title=values.get("title", ""),
        department=values.get("department", ""),
        number=values.get("number", ""),
        vendor=values.get("vendor", ""),
        actor=actor,
        now=ctx.now(),
    )
    meeting = ctx.store.meeting(consultation.meeting)
    reply = Reply(
        ctx.t(
            "bot.register.registered",
            lang,
            id=consultation.id,
            title=consultation.title,
            meeting=meeting.label,
            department=consultation.department,
        )
    )
    return Outcome(reply=reply, form=_condition_form(ctx, consultation.id, meeting.id, lang))


def _condition_form(
    ctx: Context, consultation_id: str, meeting: str, lang: str, draft: Mapping[str, Any] = {}
) -> Form:
    consultation = ctx.store.consultation(consultation_id)
    rules = "\n".join(f"・{kind_label(k, lang)}: {evidence_rule(k, lang)}" for k in Kind)
    vendors = tuple(Choice(v.name, v.name) for v in consultation.vendors)
    yes_no = (Choice(ctx.t("intake.yes", lang), "yes"), Choice(ctx.t("intake.no", lang), "no"))
    return Form(
        callback=CONDITION_FORM,
        title=ctx.t("bot.condition.title", lang),
        submit=ctx.t("bot.condition.submit", lang),
        text=ctx.t(
            "bot.condition.intro", lang, id=consultation.id, title=consultation.title, rules=rules
        ),
        metadata=json.dumps(
            {"consultation": consultation.id, "meeting": meeting}, ensure_ascii=False
        ),
        inputs=(
            Input(
                "kind",
                ctx.t("bot.condition.kind", lang),
                "select",
                initial=str(draft.get("kind", "")),
                options=tuple(Choice(kind_label(k, lang), k.value) for k in Kind),
            ),
            Input(
                "text",
                ctx.t("bot.condition.text", lang),
                "multiline",
                initial=str(draft.get("text", "")),
            ),
            Input(
                "due",
                ctx.t("bot.condition.due", lang),
                optional=True,
                initial=str(draft.get("due", "")),
            ),
            _department_input(
                ctx,
                "department",
                ctx.t("bot.condition.department", lang),
                str(draft.get("department", "")),
                optional=True,
            ),
            Input(
                "vendor",
                ctx.t("bot.condition.vendor", lang),
                "select" if vendors else "text",
                optional=True,
                options=vendors,
                initial=str(draft.get("vendor", "")),
            ),
            Input(
                "report_back",
                ctx.t("bot.condition.report_back", lang),
                "select",
                optional=True,
                options=yes_no,
                initial="no" if draft.get("report_back") is False else "yes",
            ),
            Input(
                "recurrence",
                ctx.t("bot.condition.recurrence", lang),
                "select",
                optional=True,
                options=tuple(Choice(ctx.t(f"recurrence.{r}", lang), r.value) for r in Recurrence),
                initial=str(draft.get("recurrence", "")),
            ),
            Input(
                "trigger",
                ctx.t("bot.condition.trigger", lang),
                "select",
                optional=True,
                options=tuple(Choice(ctx.t(f"checks.trigger.{t}", lang), t) for t in _TRIGGERS),
                initial=str(draft.get("trigger", "")),
            ),
        ),
    )


def _draft(meta: Mapping[str, Any], values: Mapping[str, Any]) -> ConditionDraft:
    report_back = str(values.get("report_back", "yes") or "yes").strip()
    return ConditionDraft(
        consultation=str(meta["consultation"]),
        kind=str(values.get("kind", "")),
        text=str(values.get("text", "")),
        due=str(values.get("due", "")),
        department=str(values.get("department", "")),
        vendor=str(values.get("vendor", "")),
        report_back=report_back.lower() not in ("no", "不要", "いいえ", "false"),
        recurrence=str(values.get("recurrence", "")),
        trigger=str(values.get("trigger", "")),
    )


def _confirm(
    ctx: Context,
    amendments: Amendments,
    meta: Mapping[str, Any],
    values: Mapping[str, str],
    lang: str,
) -> Outcome:
    """Check everything, save nothing, and show how it was read (the due date above all)."""
    draft = _draft(meta, values)
    meeting = amendments.meeting(str(meta["meeting"]), today=ctx.today())
    condition = amendments.check_draft(draft, meeting)
    if draft.trigger.strip():
        due = ctx.t(
            "bot.confirm.trigger",
            lang,
            trigger=ctx.t(f"checks.trigger.{draft.trigger}", lang),
            days=10,
        )
    else:
        assert condition.due is not None
        due = ctx.t(
            "bot.confirm.due_read",
            lang,
            text=draft.due
            if condition.due_text != "next_meeting"
            else ctx.t("intake.next_meeting", lang),
            wareki=ctx.due_label(condition.due, lang).split("(")[0],
            iso=condition.due.isoformat(),
        )
    lines = [
        ctx.t("bot.confirm.headline", lang),
        f"{ctx.t('bot.field.condition', lang)}: {condition.id} [{kind_label(condition.kind, lang)}]",
        f"{ctx.t('bot.field.department', lang)}: {condition.department}"
        + (f" / {ctx.t('bot.field.vendor', lang)}: {condition.vendor}" if condition.vendor else ""),
        f"{ctx.t('bot.field.due', lang)}: {due}",
        f"{ctx.t('bot.field.expected', lang)}: {evidence_rule(condition.kind, lang)}",
        f"{ctx.t('input.field.report_back', lang)}: "
        + ctx.t("intake.yes" if condition.report_back else "intake.no", lang)
        + f" / {ctx.t('input.field.recurrence', lang)}: {ctx.t(f'recurrence.{condition.recurrence}', lang)}",
        "",
        condition.text,
    ]
    saved = {
        "consultation": meta["consultation"],
        "meeting": meeting.id,
        "draft": {
            "kind": str(condition.kind),
            "text": draft.text,
            "due": draft.due,
            "department": draft.department,
            "vendor": draft.vendor,
            "report_back": draft.report_back,
            "recurrence": draft.recurrence,
            "trigger": draft.trigger,
        },
    }
    form = Form(
        callback=CONFIRM_FORM,
        title=ctx.t("bot.confirm.title", lang),
        submit=ctx.t("bot.confirm.save", lang),
        text="\n".join(lines),
        metadata=json.dumps(saved, ensure_ascii=False),
        inputs=(Input("due", ctx.t("bot.condition.due", lang), optional=True, initial=draft.due),),
    )
    return Outcome(form=form)


def _save(
    ctx: Context,
    amendments: Amendments,
    actor: str,
    meta: Mapping[str, Any],
    values: Mapping[str, str],
    lang: str,
) -> Outcome:
    fields = dict(meta["draft"])
    typed = str(values.get("due", fields["due"]) or "").strip()
    if typed != str(fields["due"]).strip():  # corrected on the confirmation: read it again first
        fields["due"] = typed
        return _confirm(ctx, amendments, meta, fields, lang)
    draft = _draft(meta, fields | {"report_back": "yes" if fields["report_back"] else "no"})
    added = amendments.add(draft, meeting=str(meta["meeting"]), actor=actor, now=ctx.now())
    more = Button(
        MORE,
        ctx.t("bot.confirm.add_another", lang),
        f"{added.consultation}|{meta['meeting']}",
        "primary",
    )
    reply = Reply(
        ctx.t("bot.confirm.saved", lang, id=added.id, due=ctx.due_label(added.due, lang)),
        (Section(buttons=(more,)),),
    )
    return Outcome(reply=reply)


# -- amending -----------------------------------------------------------------------


def _amend_form(ctx: Context, condition: Condition, lang: str) -> Form:
    return Form(
        callback=AMEND_FORM,
        title=ctx.t("bot.amend.title", lang),
        submit=ctx.t("bot.amend.submit", lang),
        text=f"{condition.id} [{kind_label(condition.kind, lang)}]",
        metadata=condition.id,
        inputs=(
            _meeting_input(ctx, "meeting", ctx.t("bot.amend.meeting", lang), ""),
            Input("text", ctx.t("bot.condition.text", lang), "multiline", initial=condition.text),
            Input("due", ctx.t("bot.condition.due", lang), initial=_due_text(condition)),
            _department_input(
                ctx, "department", ctx.t("bot.register.department", lang), condition.department
            ),
            Input("reason", ctx.t("bot.amend.reason", lang), "multiline"),
        ),
    )


def _due_text(condition: Condition) -> str:
    if condition.due_text == "next_meeting":
        return "次回審議会"
    return condition.due_text or (condition.due.isoformat() if condition.due else "")


def _amended(
    ctx: Context,
    amendments: Amendments,
    actor: str,
    condition_id: str,
    values: Mapping[str, str],
    lang: str,
) -> Outcome:
    condition = ctx.store.condition(condition_id)
    text = values.get("text", "").strip()
    due = values.get("due", "").strip()
    department = values.get("department", "").strip()
    edit = ConditionEdit(
        text=text if text and text != condition.text else None,
        due=due if due and due != _due_text(condition) else None,
        department=department if department and department != condition.department else None,
    )
    if edit == ConditionEdit():
        return Outcome(form_errors={"text": ctx.t("bot.amend.nothing", lang)})
    meeting = values.get("meeting", "")
    amendments.edit(
        condition_id,
        edit,
        meeting=meeting,
        reason=values.get("reason", ""),
        actor=actor,
        now=ctx.now(),
    )
    label = amendments.meeting(meeting, today=ctx.today()).label
    return Outcome(reply=Reply(ctx.t("bot.amend.changed", lang, id=condition_id, meeting=label)))


def _withdraw_form(ctx: Context, condition: Condition, lang: str) -> Form:
    return Form(
        callback=WITHDRAW_FORM,
        title=ctx.t("bot.amend.withdraw_title", lang),
        submit=ctx.t("bot.amend.withdraw_submit", lang),
        text=ctx.t("bot.amend.withdraw_intro", lang, id=condition.id) + "\n" + condition.text,
        metadata=condition.id,
        inputs=(
            _meeting_input(ctx, "meeting", ctx.t("bot.amend.meeting", lang), ""),
            Input("reason", ctx.t("bot.amend.reason", lang), "multiline"),
        ),
    )


def _withdrawn(
    ctx: Context,
    amendments: Amendments,
    actor: str,
    condition_id: str,
    values: Mapping[str, str],
    lang: str,
) -> Outcome:
    meeting = values.get("meeting", "")
    amendments.withdraw(
        condition_id, meeting=meeting, reason=values.get("reason", ""), actor=actor, now=ctx.now()
    )
    label = amendments.meeting(meeting, today=ctx.today()).label
    return Outcome(reply=Reply(ctx.t("bot.amend.withdrawn", lang, id=condition_id, meeting=label)))


# -- shared inputs --------------------------------------------------------------------


def _meeting_input(ctx: Context, input_id: str, label: str, initial: str) -> Input:
    meetings = sorted(ctx.store.meetings(), key=lambda m: m.date, reverse=True)
    options = tuple(Choice(f"{m.label} ({m.date.isoformat()})", m.id) for m in meetings)
    return Input(input_id, label, "select" if options else "text", initial=initial, options=options)


def _department_input(
    ctx: Context, input_id: str, label: str, initial: str, *, optional: bool = False
) -> Input:
    names = tuple(Choice(d.name, d.name) for d in ctx.store.departments())
    return Input(
        input_id,
        label,
        "select" if names else "text",
        initial=initial,
        options=names,
        optional=optional,
    )


#: which input shows a field's problem, per form (the first input when the form lacks it)
_INPUTS = {
    REGISTER_FORM: ("meeting", "number", "title", "department", "vendor"),
    CONDITION_FORM: (
        "kind",
        "text",
        "due",
        "department",
        "vendor",
        "report_back",
        "recurrence",
        "trigger",
    ),
    CONFIRM_FORM: ("due",),
    AMEND_FORM: ("meeting", "text", "due", "department", "reason"),
    WITHDRAW_FORM: ("meeting", "reason"),
}
_FIELD_INPUT = {"consultation_id": "number", "days": "trigger"}
_ = DueDiligenceError  # every other refusal reaches the person through Core.submit
