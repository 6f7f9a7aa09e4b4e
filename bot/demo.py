"""``ddbot demo`` (what ``make demo`` runs): the sample meeting from import to report-back.

A script of steps on a virtual clock, typed into the same :class:`~bot.console.Console`
a person would use, so every reply comes from the real conversation core and every
reminder from the real scheduler and outbox. Each step checks what it should have
done (a status, a delivery, a file) and stops the demo with :class:`DemoError`
if it did not, so a green ``make demo`` means the walk really worked.

The run is deterministic: a fresh database, fixed times, sample files with fixed
bytes. Only the temporary paths differ from one run to the next.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from duediligence import ConditionFilter, Settings, Status, Store
from duediligence.kinds import kind_label
from duediligence.store.url import parse_database_url
from duediligence.texttable import render_table

from . import demo_files
from .config import BotSettings
from .console import Console, VirtualClock
from .core import Button

TOKYO = ZoneInfo("Asia/Tokyo")
ROOT = Path(__file__).resolve().parent.parent
MEETING_NIGHT = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)
SECRETARIAT = "U01JIMU0001"  # as DD_SECRETARIAT_USERS would name them; the file names both


class DemoError(Exception):
    """A step did not do what the script expects (the library or the core changed under it)."""


@dataclass(frozen=True)
class DemoResult:
    db: Path | str  # the SQLite file, or the PostgreSQL URL it ran on
    out_dir: Path
    files: tuple[Path, ...]
    transcript: tuple[str, ...] = field(default=(), repr=False)


def run_demo(
    sample: Path,
    *,
    db: Path | str | None = None,
    out_dir: Path | None = None,
    lang: str = "ja",
    write: Callable[[str], None] = print,
    transport: str = "console",
    scenario: str = "council",
) -> DemoResult:
    """Walk *sample* (a meeting file) through its life; print the transcript with *write*.

    *db* is a SQLite file (default: a fresh one) or an empty PostgreSQL database's URL.
    """
    on_server = db is not None and parse_database_url(str(db)).is_postgresql
    if db is None or out_dir is None:
        workdir = Path(tempfile.mkdtemp(prefix="ddbot-demo-"))
        db = db or workdir / "demo.db"
        out_dir = out_dir or workdir / "out"
    if not on_server:
        db = Path(db)
    evidence = (out_dir.parent if on_server else Path(db).parent) / "evidence"
    settings = BotSettings(
        core=Settings(
            db=str(db),
            evidence_dir=str(evidence),
            tz=TOKYO,
            lang=lang,
            secretariat_users=frozenset({SECRETARIAT}),
        )
    )
    _refuse_used(db, lang)
    lines: list[str] = []

    def emit(text: str) -> None:
        lines.append(text)
        write(text)

    console = Console(
        settings,
        VirtualClock(MEETING_NIGHT),
        out_dir,
        actor="U00DEMO",
        write=emit,
        compact_deliveries=True,
        view=_view(transport),
    )
    try:
        script: type[_Demo] = _Demo
        if scenario == "supervision":  # the committee's cloud contract (demo_supervision.py)
            from .demo_supervision import SupervisionDemo

            script = SupervisionDemo
        demo = script(console, sample, out_dir / "samples", emit)
        demo.run()
        files = (*(() if on_server else (Path(db),)), *demo.samples, *console.written)
    finally:
        console.close()
    return DemoResult(db=db, out_dir=out_dir, files=files, transcript=tuple(lines))


def _refuse_used(db: Path | str, lang: str) -> None:
    """The script assumes a fresh database; an existing one with conditions is left alone."""
    if isinstance(db, Path) and not db.exists():
        return
    store = Store.open(str(db))
    try:
        used = store.count_conditions(ConditionFilter()) > 0
    finally:
        store.close()
    if used:
        from duediligence.messages import t

        raise DemoError(t("bot.demo.not_empty", lang, path=str(db)))


class _Demo:
    """The script. Each method is one scene; :meth:`run` plays them in order."""

    def __init__(
        self, console: Console, sample: Path, samples_dir: Path, write: Callable[[str], None]
    ) -> None:
        self.console = console
        self.sample = sample
        self.samples_dir = samples_dir
        self.write = write
        self.samples: list[Path] = []
        self.sample_labels: list[str] = []

    def run(self) -> None:
        self.write(self.t("bot.demo.title", meeting=self.sample.name))
        self.import_meeting()
        self.first_reminders()
        self.roster_returned_and_resubmitted()
        self.monday_digest()
        self.pledges()
        self.due_overdue_escalated()
        self.written_answer()
        self.report_and_close()
        self.final_state()

    # -- the scenes -------------------------------------------------------------

    def import_meeting(self) -> None:
        self.scene("bot.demo.scene.import")
        self.at("2021-02-10", "19:40")
        self.act("事務局", f"/import {_shown(self.sample)}", run=f"/import {self.sample}")
        self.act("事務局", self.say("status"))

    def roster_returned_and_resubmitted(self) -> None:
        self.scene("bot.demo.scene.roster")
        self.at("2021-02-16", "10:00")
        self.act("収納課", self.say("status"))
        self.at("2021-02-17", "10:00")
        first = self.make(
            "meibo-v1.xlsx",
            "roster",
            lambda p: demo_files.write_roster(p, demo_files.ROSTER_V1, self.now),
        )
        self.upload("収納課", first, self.say("roster"))
        self.expect("R2-15-08", Status.SUBMITTED)

        self.scene("bot.demo.scene.return")
        self.at("2021-02-18", "09:30")
        self.press(
            "事務局", "review_return", "R2-15-08", answers=[self.t("bot.demo.return_reason")]
        )
        self.expect("R2-15-08", Status.RETURNED)

        self.scene("bot.demo.scene.resubmit")
        self.at("2021-02-19", "10:00")
        second = self.make(
            "meibo-v2.xlsx",
            "roster_fixed",
            lambda p: demo_files.write_roster(p, demo_files.ROSTER_V2, self.now),
        )
        self.upload("収納課", second, self.say("roster_fixed"))
        self.at("2021-02-19", "14:00")
        self.press("事務局", "review_accept", "R2-15-08")
        self.expect("R2-15-08", Status.ACCEPTED)

    def first_reminders(self) -> None:
        self.scene("bot.demo.scene.reminders")
        self.at("2021-02-12", "09:00")
        self.tick()
        self.expect_delivered("U03VACC0001")

    def monday_digest(self) -> None:
        self.scene("bot.demo.scene.digest")
        self.at("2021-02-22", "09:00")
        self.tick()
        self.expect_delivered("secretariat")

    def pledges(self) -> None:
        self.scene("bot.demo.scene.pledges")
        self.at("2021-02-22", "10:00")
        listed = self.make(
            "seiyaku-list.xlsx",
            "pledge_list",
            lambda p: demo_files.write_pledge_list(p, demo_files.PLEDGE_LIST, self.now),
        )
        self.upload("収納課", listed, self.say("pledge_list"))
        self.at("2021-02-22", "10:05")
        scan = self.make(
            "seiyaku-yamada.pdf",
            "pledge_scan",
            lambda p: demo_files.write_pdf(p, "Pledge of confidentiality (sample)"),
        )
        self.upload("収納課", scan, self.say("pledge_scan"))
        self.at("2021-02-22", "15:00")
        self.press("事務局", "review_accept", "R2-15-09")
        self.expect("R2-15-09", Status.ACCEPTED)

    def due_overdue_escalated(self) -> None:
        self.scene("bot.demo.scene.due")
        self.at("2021-02-24", "09:00")
        self.tick()
        self.scene("bot.demo.scene.overdue")
        self.at("2021-03-01", "09:00")
        self.tick()
        self.scene("bot.demo.scene.escalation")
        self.at("2021-03-03", "09:00")
        before = len(self.console.transport.delivered)
        self.tick()
        self.expect_delivered("U03VACC0900", since=before)
        self.act("ワクチン接種事業PT", self.say("status_overdue"))
        if not self.console.core.store.condition("R2-16-01").is_overdue(self.now.date()):
            raise DemoError(self.t("bot.demo.failed", step="overdue", detail="R2-16-01"))

    def written_answer(self) -> None:
        self.scene("bot.demo.scene.answer")
        self.at("2021-03-05", "11:00")
        answer = self.make(
            "kakunin-R2-15-01.pdf",
            "confirmation",
            lambda p: demo_files.write_pdf(p, "Written answer on paper output (sample)"),
        )
        self.upload("収納課", answer, self.say("confirmation"))
        self.at("2021-03-08", "10:00")
        self.press("事務局", "review_accept", "R2-15-01")
        self.expect("R2-15-01", Status.ACCEPTED)

    def report_and_close(self) -> None:
        self.scene("bot.demo.scene.report")
        self.at("2021-05-12", "10:00")
        self.act("事務局", self.say("report"))
        if not any(p.suffix == ".docx" for p in self.console.written):
            raise DemoError(self.t("bot.demo.failed", step="report", detail="docx"))
        self.scene("bot.demo.scene.reported")
        self.at("2021-05-19", "17:00")
        self.act("事務局", "/mark-reported R3-1")
        for condition in ("R2-15-01", "R2-15-08", "R2-15-09"):
            self.expect(condition, Status.REPORTED)

    def final_state(self) -> None:
        self.scene("bot.demo.scene.end")
        self.write(self.status_table())
        self.write("")
        self.write(self.t("bot.demo.files"))
        settings = self.console.settings.core
        where = parse_database_url(settings.db).display  # never a password
        self.write(self.t("bot.demo.file.db", path=where))
        self.write(self.t("bot.demo.file.evidence", path=settings.evidence_dir))
        for path, label in zip(self.samples, self.sample_labels, strict=True):
            self.write(self.t("bot.demo.file.sample", what=label, path=str(path)))
        for path in self.console.written:
            self.write(self.t("bot.demo.file.pack", path=str(path)))

    # -- what a step is made of ------------------------------------------------------

    @property
    def now(self) -> dt.datetime:
        return self.console.clock.now

    def t(self, key: str, /, **params: object) -> str:
        return self.console.t(key, **params)

    def say(self, what: str) -> str:
        return self.t(f"bot.demo.say.{what}")

    def scene(self, key: str) -> None:
        self.write("")
        self.write(self.t("bot.demo.scene", text=self.t(key)))

    def at(self, day: str, time: str) -> None:
        moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time))
        self.console.clock.now = moment.replace(tzinfo=TOKYO)

    def act(
        self, who: str, text: str, *, run: str | None = None, answers: Sequence[str] = ()
    ) -> None:
        """*who* types *text* (the console runs *run* instead when given: a full path)."""
        console = self.console
        actor = console.directory.resolve(who)
        if actor is None:
            raise DemoError(self.t("bot.demo.failed", step=text, detail=who))
        console.actor = actor
        self.write(self.t("bot.demo.step", when=console.when(), who=console.me, text=text))
        pending = list(answers)
        console.ask = lambda label: pending.pop(0) if pending else None
        console.handle(run or text)

    def upload(self, who: str, path: Path, message: str) -> None:
        self.act(who, f"/upload {path.name} {message}", run=f"/upload {path} {message}")

    def press(
        self, who: str, action: str, condition_id: str, *, answers: Sequence[str] = ()
    ) -> None:
        """Press the button last shown for *condition_id* (e.g. 承認 on its review card)."""
        found = [
            (number, control)
            for number, control in self.console.controls.items()
            if isinstance(control, Button)
            and control.action == action
            and f":{condition_id}:" in f"{control.value}:"
        ]
        if not found:
            raise DemoError(self.t("bot.demo.failed", step=action, detail=condition_id))
        number, button = found[-1]
        self.act(who, f"{number} ({button.label})", run=str(number), answers=answers)

    def tick(self) -> None:
        self.write(self.t("bot.demo.tick", when=self.console.when()))
        self.console.run_tick()

    def make(self, name: str, label: str, write: Callable[[Path], Path]) -> Path:
        path = write(self.samples_dir / name)
        self.samples.append(path)
        self.sample_labels.append(self.t(f"bot.demo.sample.{label}"))
        return path

    def expect(self, condition_id: str, status: Status) -> None:
        found = self.console.core.store.condition(condition_id).status
        if found is not status:
            detail = f"{condition_id}: {found} ≠ {status}"
            raise DemoError(self.t("bot.demo.failed", step=condition_id, detail=detail))

    def expect_delivered(self, recipient: str, since: int = 0) -> None:
        delivered = self.console.transport.delivered[since:]
        if not any(to == recipient for to, _ in delivered):
            raise DemoError(self.t("bot.demo.failed", step="tick", detail=recipient))

    def status_table(self) -> str:
        console = self.console
        store, lang = console.core.store, console.lang
        headers = [self.t(f"cli.col.{k}") for k in ("id", "kind", "status", "due", "department")]
        rows = [
            [
                c.id,
                kind_label(c.kind, lang),
                console.core.status_label(c, lang),
                c.due.isoformat() if c.due else "-",
                c.department,
            ]
            for c in store.conditions(ConditionFilter())
        ]
        return render_table(headers, rows, max_width=40)


def _shown(path: Path) -> str:
    """A path as the transcript shows it: relative to the repository when it is inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _view(transport: str) -> Callable[..., str]:
    """How replies are drawn: console text, or the Adaptive Card the Teams bot would send."""
    if transport == "teams":
        from .render.card_text import preview

        return preview
    from .render.text import render

    return render
