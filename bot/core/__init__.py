"""The conversation core: neutral requests in, neutral replies out, for every transport.

Slack listeners, the console and Teams translate what a person did into a
request (:mod:`bot.core.requests`), call :class:`Core`, and render the
:class:`~bot.core.reply.Outcome` they get back. The core decides roles
(secretariat, department staff, others) and talks to the library only through
its public classes; it never produces platform markup and never escapes text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duediligence import DueDiligenceError
from duediligence.store.conversations import ConversationRef

from . import cards, extension, home, intake, reminders, report, review, status, uploads
from .base import Clock, Context, Role, Who
from .checks import dispatch as checks
from .checks import events as check_events
from .checks import summary as check_summary
from .checks.template import TemplateFile, roster_template
from .detail import condition_section
from .reply import (
    Button,
    Choice,
    Field,
    FileOut,
    Form,
    Input,
    Outbound,
    Outcome,
    Reply,
    Section,
    Select,
    Update,
)
from .requests import Click, FileRef, Submission, Upload
from .supervision import incidents
from .uploads import PendingChoice

__all__ = [
    "Button",
    "Choice",
    "Click",
    "Clock",
    "Core",
    "Field",
    "FileOut",
    "FileRef",
    "Form",
    "Input",
    "Outbound",
    "Outcome",
    "PendingChoice",
    "Reply",
    "Role",
    "Section",
    "Select",
    "Submission",
    "Update",
    "Upload",
    "Who",
]


class Core(Context):
    """One entry point per thing a person can do; every answer is private unless it says not."""

    # -- the status query ----------------------------------------------------

    def status(self, actor: str, text: str = "", lang: str | None = None) -> Reply:
        lang = self.language(lang)
        try:
            return status.answer(self, actor, text, lang)
        except DueDiligenceError as err:
            return Reply(err.render(lang))

    @staticmethod
    def is_status_request(text: str) -> bool:
        return status.is_status_request(text)

    def help(self, lang: str | None = None) -> Reply:
        """What to say to a DM that is neither a status request nor a file."""
        return Reply(self.t("bot.help", self.language(lang)))

    # -- uploads ----------------------------------------------------------------

    def upload(self, request: Upload) -> Outcome:
        return uploads.handle(self, request)

    def choose_upload(
        self, actor: str, value: str, lang: str | None = None
    ) -> PendingChoice | Reply:
        """The uploader chose a condition for a waiting file; the transport fetches it again."""
        return uploads.chosen(self, actor, value, self.language(lang))

    # -- buttons and forms ---------------------------------------------------------

    def click(self, request: Click) -> Outcome:
        lang = self.language(request.lang)
        actor, value = request.actor, request.value
        try:
            registered = intake.click(self, actor, request.action, value, lang)  # 登録, 変更, 取消
            if registered is not None:
                return registered
            checked = checks.click(self, request, lang)  # rosters, pledges, certificates, events
            if checked is not None:
                return checked
            if request.action == review.ACCEPT:
                return review.accept(self, actor, value, lang)
            if request.action == review.RETURN:
                return review.ask_reason(self, actor, value, lang)
            if request.action == extension.REQUEST:
                return extension.ask(self, actor, value, lang)
            if request.action == extension.APPROVE:
                return extension.decide(self, actor, value, True, lang)
            if request.action == extension.DECLINE:
                return extension.decide(self, actor, value, False, lang)
            if request.action == "upload_help":
                return Outcome(reply=Reply(self.t("bot.upload.how", lang, id=value)))
            if request.action == "details":
                return Outcome(reply=self._details(actor, value, lang))
            if request.action == report.BUILD:
                return report.build(self, actor, value or None, lang)
        except DueDiligenceError as err:
            return Outcome(reply=Reply(err.render(lang)))
        return Outcome(reply=Reply(self.t("bot.unknown_action", lang)))

    def submit(self, request: Submission) -> Outcome:
        lang = self.language(request.lang)
        values = request.values
        try:
            registered = intake.submit(
                self, request.actor, request.callback, values, request.metadata, lang
            )
            if registered is not None:
                return registered
            checked = checks.submit(self, request, lang)
            if checked is not None:
                return checked
            if request.callback == review.RETURN_FORM:
                return review.return_(
                    self, request.actor, request.metadata, values.get("reason", ""), lang
                )
            if request.callback == extension.REQUEST_FORM:
                return extension.request(
                    self,
                    request.actor,
                    request.metadata,
                    values.get("new_due", ""),
                    values.get("reason", ""),
                    lang,
                )
        except DueDiligenceError as err:
            return Outcome(reply=Reply(err.render(lang)))
        return Outcome(reply=Reply(self.t("bot.unknown_action", lang)))

    # -- the report pack (secretariat only) ---------------------------------------

    def report_pack(
        self, actor: str, meeting: str | None = None, lang: str | None = None
    ) -> Outcome:
        """Build the pack for *meeting* (default: the next one) and upload it to the secretariat.

        The outcome carries the files (``Outcome.files``) in a temporary directory
        (``Outcome.scratch``) that the transport removes once it has uploaded them.
        """
        lang = self.language(lang)
        try:
            return report.build(self, actor, meeting or None, lang)
        except DueDiligenceError as err:
            return Outcome(reply=Reply(err.render(lang)))

    @staticmethod
    def report_request(text: str) -> str | None:
        """The meeting asked for by ``report [meeting]`` ("" = the next); None if not asked."""
        return status.report_request(text)

    # -- App Home, reminders, digest ---------------------------------------------

    def home(self, actor: str, lang: str | None = None) -> Reply:
        return home.home(self, actor, self.language(lang))

    def reminder_reply(
        self, entry_kind: str, payload: Mapping[str, Any], lang: str | None = None
    ) -> Reply:
        """The message for one outbox entry (reminder, escalation, certificate_expiry, digest)."""
        return reminders.reminder_reply(self, entry_kind, payload, self.language(lang))

    def digest_reply(self, lang: str | None = None) -> Reply:
        return reminders.digest_reply(self, self.language(lang))

    # -- evidence checks (see bot/core/checks/) -------------------------------------

    def roster_template(
        self, actor: str, condition_id: str = "", lang: str | None = None
    ) -> TemplateFile:
        """The roster template (xlsx) for the transport to upload into *actor*'s DM."""
        return roster_template(self, condition_id, self.language(lang))

    def event_report(self, actor: str, text: str, lang: str | None = None) -> Reply | None:
        """The answer to a DM like "ディスク交換 R2-15 今日"; None when *text* is not an event phrase."""
        lang = self.language(lang)
        try:
            incident = incidents.from_text(
                self, actor, text, lang
            )  # 「漏えいが発生しました R2-15」
            if incident is not None:
                return incident
            return check_events.from_text(self, actor, text, lang)
        except DueDiligenceError as err:
            return Reply(err.render(lang))

    # -- what the transports report back -------------------------------------------

    def first_delivery(self, delivery_id: str) -> bool:
        """True once per Slack event id (or file id): retries and twin events are dropped."""
        with self.store.transaction():
            return self.store.claim_delivery(delivery_id, at=self.now())

    def remember_card(self, key: str, *, subject: str, channel: str, ts: str) -> None:
        """Where a card was posted, so deciding it can update it in place."""
        with self.store.transaction():
            self.store.save_card(key, subject=subject, channel=channel, ts=ts, at=self.now())

    def card_view(self, key: str, lang: str | None = None) -> Reply | None:
        """A posted card as it stands now (decided: no buttons); None for a key it cannot show."""
        return cards.card_view(self, key, self.language(lang))

    def remember_conversation(
        self, key: str, *, conversation: str, service_url: str, tenant: str = ""
    ) -> None:
        """Where *key* (a person, or ``channel:<id>``) can be reached later (Teams)."""
        with self.store.transaction():
            self.store.save_conversation(
                key,
                conversation=conversation,
                service_url=service_url,
                tenant=tenant,
                at=self.now(),
            )

    def conversation(self, key: str) -> ConversationRef | None:
        return self.store.conversation_ref(key)

    def latest_conversation(self) -> ConversationRef | None:
        """Any stored reference, newest first: its service URL serves a new conversation."""
        return self.store.latest_conversation_ref()

    def is_linked(self, user: str) -> bool:
        """True once *user* (a chat id) has been linked to an e-mail address."""
        return bool(self.store.aliases_of(user))

    def emails_to_resolve(self) -> list[str]:
        """Owners and heads named by e-mail in an import and not yet linked to a chat user."""
        store = self.store
        return [u for u in store.users() if "@" in u and store.linked_user(u) is None]

    def link_user(self, email: str, user: str) -> None:
        with self.store.transaction():
            self.store.link_user(email, user)

    def recipients(self, name: str) -> str | None:
        """The chat user id to DM for an owner or head (an id, or a linked e-mail)."""
        if "@" not in name:
            return name
        return self.store.linked_user(name)

    # -- internals -----------------------------------------------------------------

    def _details(self, actor: str, condition_id: str, lang: str) -> Reply:
        who = self.who(actor)
        condition = self.store.condition(condition_id)
        if not (who.role is Role.SECRETARIAT or condition.department in who.departments):
            return Reply(self.t("bot.status.not_your_condition", lang, id=condition_id))
        section = condition_section(self, condition, lang)
        files = tuple(
            f"{e.uploaded_at:%Y-%m-%d %H:%M} {e.filename} ({e.size} B)"
            for e in self.store.evidence_of(condition_id)
        )
        sections = [section]
        found = check_summary.check_section(self, condition, lang)
        if found is not None:
            sections.append(found)
        if files:
            sections.append(Section(title=self.t("bot.field.files", lang), items=files))
        extra = check_summary.kind_buttons(self, condition, lang)
        if extra and condition.department in who.departments:
            sections.append(Section(buttons=extra))
        amend = intake.card_buttons(self, actor, condition, lang)  # 変更 / 取消 (secretariat)
        if amend:
            sections.append(Section(title=self.t("bot.amend.menu", lang), buttons=amend))
        return Reply(self.line(condition, lang), tuple(sections))
