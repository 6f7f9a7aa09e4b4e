"""``ddbot demo --scenario supervision``: a committee's cloud contract supervised for a year.

Built from the national guide's case (``examples/supervision-cloud.yaml``): a security
committee approves a cloud contract with one sub-contractor. On a virtual clock, in the
same console a person would use: the import shows the chain; 市民課 submits the contract
and confirms it clause by clause (a missing clause opens an amendment); the ISMS
certificate is sent with its valid-until date; a leak is reported on a Friday evening and
the next tick alerts the secretariat at once; the yearly inspection is entered item by
item (a finding opens a corrective action); the certificate is reminded before it lapses
and the condition reopens the day after; the council's pack reports what the committee
approved. Every step checks what it should have done, as in ``ddbot demo``.
"""

from __future__ import annotations

from collections.abc import Sequence

from duediligence import Status
from duediligence.checklists import DEFAULT_CLAUSES, DEFAULT_INSPECTION

from . import demo_files
from .core import Button
from .demo import DemoError, _Demo, _shown

CASE = "ISC-R5-04"
CLAUSES = "ISC-R5-04-1"
INSPECTION = "ISC-R5-04-2"
CERTIFICATE = "ISC-R5-04-5"
DEPARTMENT = "市民課"


class SupervisionDemo(_Demo):
    """The supervision script; the scenes and helpers of :class:`_Demo`, another story."""

    def run(self) -> None:
        self.write(self.t("bot.demo.sv.title", meeting=self.sample.name))
        self.import_approval()
        self.contract_clauses()
        self.certificate_with_term()
        self.friday_incident()
        self.committee_pack()
        self.lapse_reminder("2024-01-31")  # 60 days before the certificate lapses
        self.yearly_inspection()
        self.lapse_reminder("2024-03-01")  # 30 days before
        self.lapse_reminder("2024-03-22")  # 7 days before (the 24th is a Sunday)
        self.certificate_lapses()
        self.final_state()

    def import_approval(self) -> None:
        self.scene("bot.demo.sv.scene.import")
        self.at("2023-07-10", "18:00")
        self.act("事務局", f"/import {_shown(self.sample)}", run=f"/import {self.sample}")
        self.act(DEPARTMENT, f"{self.say('status')} {CLAUSES}")

    def contract_clauses(self) -> None:
        self.scene("bot.demo.sv.scene.clauses")
        self.at("2023-07-20", "10:00")
        contract = self.make(
            "keiyakusho.pdf",
            "sv_contract",
            lambda p: demo_files.write_pdf(p, "Cloud service contract (sample)"),
        )
        self.upload(DEPARTMENT, contract, self.t("bot.demo.sv.say.contract", id=CLAUSES))
        answers = [f"第{n}条" for n, _ in enumerate(DEFAULT_CLAUSES, start=5)]
        incident = [item.key for item in DEFAULT_CLAUSES].index("incident")
        answers[incident] = self.t("bot.demo.sv.say.missing")
        self.press(DEPARTMENT, "checklist_form", CLAUSES, answers=answers)
        self.expect(f"{CLAUSES}-F-incident", Status.OPEN)
        self.at("2023-07-21", "10:00")
        self.press("事務局", "review_accept", CLAUSES)
        self.expect(CLAUSES, Status.ACCEPTED)

    def certificate_with_term(self) -> None:
        self.scene("bot.demo.sv.scene.certificate")
        self.at("2023-07-24", "10:00")
        scan = self.make(
            "isms-touroku.pdf",
            "sv_certificate",
            lambda p: demo_files.write_pdf(p, "ISMS certificate, valid until 2024-03-31 (sample)"),
        )
        self.upload(DEPARTMENT, scan, self.t("bot.demo.sv.say.certificate", id=CERTIFICATE))
        self.at("2023-07-25", "10:00")
        self.press("事務局", "review_accept", CERTIFICATE)
        self.expect(CERTIFICATE, Status.ACCEPTED)

    def friday_incident(self) -> None:
        self.scene("bot.demo.sv.scene.incident")
        self.at("2023-09-08", "19:30")  # a Friday evening
        self.act(DEPARTMENT, self.t("bot.demo.sv.say.incident", id=CASE))
        self.expect(f"{CASE}-INC1-1", Status.OPEN)
        self.at("2023-09-08", "19:35")
        before = len(self.console.transport.delivered)
        self.tick()
        self.expect_delivered("secretariat", since=before)

    def yearly_inspection(self) -> None:
        self.scene("bot.demo.sv.scene.inspection")
        self.at("2024-02-14", "14:00")
        record = self.make(
            "jitchi-chousa.pdf",
            "sv_inspection",
            lambda p: demo_files.write_pdf(p, "On-site inspection record (sample)"),
        )
        self.upload(DEPARTMENT, record, self.t("bot.demo.sv.say.inspection", id=INSPECTION))
        answers = [self.t("bot.demo.sv.say.yes")] * len(DEFAULT_INSPECTION)
        media = [item.key for item in DEFAULT_INSPECTION].index("media")
        answers[media] = self.t("bot.demo.sv.say.finding")
        self.press(DEPARTMENT, "checklist_form", INSPECTION, answers=answers)
        self.expect(f"{INSPECTION}-C-media", Status.OPEN)

    def press(
        self, who: str, action: str, condition_id: str, *, answers: Sequence[str] = ()
    ) -> None:
        """As :meth:`_Demo.press`; a checklist button's value is the condition id itself."""
        found = [
            (number, control)
            for number, control in self.console.controls.items()
            if isinstance(control, Button)
            and control.action == action
            and (control.value == condition_id or f":{condition_id}:" in f"{control.value}:")
        ]
        if not found:
            raise DemoError(self.t("bot.demo.failed", step=action, detail=condition_id))
        number, button = found[-1]
        self.act(who, f"{number} ({button.label})", run=str(number), answers=answers)

    def lapse_reminder(self, day: str) -> None:
        self.scene("bot.demo.sv.scene.lapse_reminder")
        self.at(day, "09:00")
        store = self.console.core.store
        before = len(store.outbox_entries("sent", "evidence_expiry", condition=CERTIFICATE))
        self.tick()
        after = len(store.outbox_entries("sent", "evidence_expiry", condition=CERTIFICATE))
        if after <= before:
            raise DemoError(self.t("bot.demo.failed", step="lapse", detail=day))

    def certificate_lapses(self) -> None:
        self.scene("bot.demo.sv.scene.lapse")
        self.at("2024-04-01", "00:10")
        self.tick()
        self.expect(CERTIFICATE, Status.OPEN)

    def committee_pack(self) -> None:
        self.scene("bot.demo.sv.scene.pack")
        self.at("2023-10-02", "10:00")
        self.act("事務局", f"{self.say('report')} ISC-R5-3")
        if not any(p.suffix == ".docx" for p in self.console.written):
            raise DemoError(self.t("bot.demo.failed", step="report", detail="docx"))
