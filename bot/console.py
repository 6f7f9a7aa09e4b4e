"""``ddbot console``: a terminal chat with the same conversation core the Slack app uses.

A line is translated into what a Slack listener would hand the core: free text
(the status query, ``報告資料``, an event phrase), a file (``/upload PATH``), a
button or menu option (its number), a modal (one prompt per input). Replies are
rendered as text with their buttons numbered. The clock is virtual: ``/date``
moves it and runs the scheduler, whose reminders and digests reach the console
transport and appear in the chat. :mod:`bot.demo` drives the same class.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import shlex
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from duediligence import (
    DueDiligenceError,
    MeetingNotFound,
    format_wareki,
    parse_due,
    resolve_meeting,
)
from duediligence.importer import import_file
from duediligence.report import Skipped, mark_pack_reported

from . import console_messages as _messages  # noqa: F401  (registers the console's words)
from .config import BotSettings
from .core import (
    Button,
    Choice,
    Click,
    Core,
    FileRef,
    Form,
    Input,
    Outcome,
    Reply,
    Section,
    Select,
    Submission,
)
from .core import Upload as UploadRequest
from .core.checks.summary import ROSTER_TEMPLATE
from .core.uploads import ACTION_CHOOSE
from .delivery.build import build_sender
from .delivery.sender import Sender, TickResult
from .delivery.transports import ConsoleTransport
from .people import SECRETARIAT_CHANNEL, Directory
from .render.text import render
from .scheduler import tick

log = logging.getLogger("bot.console")

Control = Button | tuple[Select, Choice]
Ask = Callable[[str], str | None]  # a prompt -> the answer, None when the person gave up
CHUNK = 64 * 1024
SEND_HOUR = dt.time(9, 0)  # a day given without a time: the reminders' send hour
FORM_ROUNDS = 3
QUIT_WORDS = frozenset({"/quit", "/exit", "quit", "exit", "終了"})
HELP_WORDS = frozenset({"help", "/help", "ヘルプ", "?", "？"})


@dataclass
class VirtualClock:
    """The console's and the demo's time: set by ``/date``, never read from the system."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class ChatTransport(ConsoleTransport):
    """The console transport, showing each delivery in the chat with numbered buttons."""

    show: Callable[[str, Reply], None] = lambda recipient, reply: None

    def direct(self, recipient: str, reply: Reply) -> None:
        self.delivered.append((recipient, reply))
        self.show(recipient, reply)

    def secretariat(self, reply: Reply) -> None:
        self.delivered.append((SECRETARIAT_CHANNEL, reply))
        self.show(SECRETARIAT_CHANNEL, reply)


@dataclass
class Console:
    """One chat session: who is typing, what time it is, and the buttons last shown."""

    settings: BotSettings
    clock: VirtualClock
    out_dir: Path
    actor: str = ""
    write: Callable[[str], None] = print
    ask: Ask = lambda prompt: None
    echo_answers: bool = True  # print form answers (they were not typed on a terminal)
    compact_deliveries: bool = False  # the demo: one line per reminder, digests in full
    status_command: str = "/status"
    view: Callable[..., str] = render  # how a reply is drawn: text, or a Teams card (the demo)
    written: list[Path] = field(default_factory=list)  # files the session wrote, in order
    controls: dict[int, Control] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lang = self.settings.core.lang
        self.core = Core(
            self.settings.core,
            clock=self.clock,
            status_command=self.status_command,
            surface="console",
        )
        self.directory = Directory.load(
            self.core.store, self.lang, self.settings.core.secretariat_users
        )
        self.transport = ChatTransport(label=self.directory.label, show=self._delivered)
        local = replace(self.settings, bot_token="", teams_webhook_url="")  # deliveries stay here
        self.sender: Sender = build_sender(local, self.core, console=self.transport)
        self._fresh_numbers = True
        self._cards = 0
        self._batch: dict[str, list[str]] | None = None  # compact deliveries of one tick
        if not self.actor:
            self.actor = self.directory.resolve("事務局") or "U00LOCAL"

    # -- one line ---------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Answer one line; False when the person asked to quit."""
        text = line.strip()
        self._fresh_numbers = True
        if not text:
            return True
        if text.lower() in QUIT_WORDS:
            return False
        command, _, rest = text.partition(" ")
        command = command.lower()
        handlers: dict[str, Callable[[str], None]] = {
            "/as": self.become,
            "/whoami": lambda _: self.note(self.t("bot.console.you", who=self.me)),
            "/who": lambda _: self.note("\n".join(self.directory.everyone()) or "-"),
            "/upload": self.upload,
            "/date": self.move_clock,
            "/tick": lambda _: self.run_tick(),
            "/status": lambda words: self.answer(self.core.status(self.actor, words, self.lang)),
            "/home": lambda _: self.answer(self.core.home(self.actor, self.lang)),
            "/report": lambda words: self.deliver(
                self.core.report_pack(self.actor, words.strip() or None, self.lang)
            ),
            "/template": self.template,
            "/import": self.import_meeting,
            "/mark-reported": self.mark_reported,
            "/register": lambda _: self.deliver(
                self.core.click(Click(self.actor, "register_start", "", self.lang))
            ),
        }
        try:
            if text.lower() in HELP_WORDS:
                self.note(self.t("bot.console.help"))
            elif text.isdigit():
                self.press(int(text))
            elif command in handlers:
                handlers[command](rest.strip())
            elif command.startswith("/"):
                self.note(self.t("bot.console.unknown_command", command=command))
            else:
                self.say(text)
        except DueDiligenceError as err:
            self.answer(Reply(err.render(self.lang)))
        return True

    def say(self, text: str) -> None:
        """Free text, as a DM to the bot: the report pack, the status query, an event, else help."""
        core = self.core
        meeting = core.report_request(text)
        if meeting is not None:
            self.deliver(core.report_pack(self.actor, meeting, self.lang))
        elif core.is_status_request(text):
            self.answer(core.status(self.actor, text, self.lang))
        else:
            event = core.event_report(self.actor, text, self.lang)
            self.answer(event if event is not None else core.help(self.lang))

    # -- people and time ----------------------------------------------------------

    @property
    def me(self) -> str:
        return self.directory.label(self.actor)

    def become(self, who: str) -> None:
        if not who:
            self.note(self.t("bot.console.you", who=self.me))
            return
        user = self.directory.resolve(who)
        if user is None:
            self.note(self.t("bot.console.as_unknown", who=who))
            return
        self.actor = user
        key = "bot.console.you" if self.directory.known(user) else "bot.console.you_unknown"
        self.note(self.t(key, who=self.me))

    def move_clock(self, text: str) -> None:
        if not text:
            self.note(self.t("bot.console.now", when=self.when()))
            return
        moment = self.parse_moment(text)
        if moment is None:
            self.note(self.t("bot.console.bad_date", text=text))
            return
        self.clock.now = moment
        self.note(self.t("bot.console.now", when=self.when()))
        self.run_tick()

    def parse_moment(self, text: str) -> dt.datetime | None:
        """An ISO time, or any date people write (令和3年3月1日, 来週月曜, 2週間後) at 09:00."""
        tz = self.settings.core.tz
        try:
            moment = dt.datetime.fromisoformat(text)
            if "T" in text or " " in text.strip():
                return moment if moment.tzinfo else moment.replace(tzinfo=tz)
        except ValueError:
            pass
        try:
            day = parse_due(text, today=self.clock.now.astimezone(tz).date())
        except DueDiligenceError:
            return None
        return dt.datetime.combine(day, SEND_HOUR, tz)

    def run_tick(self) -> TickResult:
        """One scheduler pass at the virtual now: what it delivers appears in the chat."""
        self._batch = {} if self.compact_deliveries else None
        try:
            result = tick(self.sender, self.clock.now)
        finally:
            batch, self._batch = self._batch or {}, None
        for recipient, texts in batch.items():
            self._one_line(recipient, texts[0], len(texts) - 1)
        self.note(self.t("bot.console.ticked", **result.__dict__))
        return result

    def when(self) -> str:
        """``令和3年2月15日(2021-02-15) 月 09:00`` (English: ISO first)."""
        now = self.clock.now.astimezone(self.settings.core.tz)
        weekday = self.t("bot.console.weekdays").split()[now.weekday()]
        return self.t(
            "bot.console.when",
            wareki=format_wareki(now.date()),
            iso=now.date().isoformat(),
            weekday=weekday,
            time=f"{now:%H:%M}",
        )

    # -- files ----------------------------------------------------------------------

    def upload(self, args: str) -> None:
        """``/upload PATH [condition id] [message]``: the file as if dropped in the bot's DM."""
        words = _split(args)
        if not words:
            self.note(self.t("bot.console.upload_usage"))
            return
        path = Path(words[0]).expanduser()
        if not path.is_file():
            self.note(self.t("bot.console.no_file", path=str(path)))
            return
        self.deliver(self.core.upload(self._upload_request(path, " ".join(words[1:]))))

    def _upload_request(self, path: Path, text: str, condition: str | None = None) -> UploadRequest:
        file = FileRef(
            id=str(path.resolve()),
            name=path.name,
            size=path.stat().st_size,
            mimetype=mimetypes.guess_type(path.name)[0] or "",
        )
        return UploadRequest(
            actor=self.actor,
            file=file,
            download=lambda: _chunks(path),
            text=text,
            condition=condition,
            lang=self.lang,
        )

    def template(self, condition_id: str) -> None:
        """The roster template, saved where Slack would have posted it into the DM."""
        found = self.core.roster_template(self.actor, condition_id, self.lang)
        path = self._save(found.filename, found.content)
        self.answer(Reply(found.comment, ()), extra=self.t("bot.console.saved", path=str(path)))

    # -- buttons and forms -------------------------------------------------------------

    def press(self, number: int) -> None:
        control = self.controls.get(number)
        if control is None:
            self.note(self.t("bot.console.no_button", number=number))
            return
        if isinstance(control, tuple):
            select, choice = control
            if select.action == ACTION_CHOOSE:
                self._chosen(choice.value)
                return
            action, value = select.action, choice.value
        else:
            action, value = control.action, control.value
        if action == ROSTER_TEMPLATE:
            self.template(value)
            return
        self.deliver(self.core.click(Click(self.actor, action, value, self.lang)))

    def _chosen(self, value: str) -> None:
        """The uploader chose a condition for a waiting file: send the file again, for it."""
        choice = self.core.choose_upload(self.actor, value, self.lang)
        if isinstance(choice, Reply):
            self.answer(choice)
            return
        path = Path(choice.file_id)
        if not path.is_file():
            self.note(self.t("bot.console.no_file", path=str(path)))
            return
        request = self._upload_request(path, "", condition=choice.condition)
        self.deliver(self.core.upload(request))

    def fill(self, form: Form) -> None:
        """A modal, one prompt per input; errors are shown and only those inputs asked again."""
        self.answer(Reply(form.title, ((_text_section(form.text),) if form.text else ())))
        values: dict[str, str] = {}
        asking = list(form.inputs)
        for _ in range(FORM_ROUNDS):
            for item in asking:
                label = item.label + (self.t("bot.console.optional") if item.optional else "")
                if item.placeholder:
                    label += f" ({item.placeholder})"
                if item.options:  # a menu in Slack: type one of these (the label or the value)
                    label += " [" + " / ".join(o.label for o in item.options[:12]) + "]"
                if item.initial:
                    shown = next((o.label for o in item.options if o.value == item.initial), None)
                    label += self.t("bot.console.keep", value=shown or item.initial)
                answer = self.ask(label)
                if answer is None:
                    self.note(self.t("bot.console.cancelled"))
                    return
                if self.echo_answers:
                    self.write(f"    {label}: {answer}")
                values[item.id] = _option_value(item, answer.strip()) or item.initial
            submission = Submission(
                self.actor, form.callback, dict(values), form.metadata, self.lang
            )
            outcome = self.core.submit(submission)
            if not outcome.form_errors:
                self.deliver(outcome)
                return
            for message in outcome.form_errors.values():
                self.note("⚠ " + message)
            asking = [i for i in form.inputs if i.id in outcome.form_errors] or list(form.inputs)
        self.note(self.t("bot.console.cancelled"))

    # -- the library's own commands (no core method for them) -------------------------------

    def import_meeting(self, path_text: str) -> None:
        """``/import FILE``: a meeting file, as the secretariat imports it with the admin CLI."""
        if not path_text:
            self.note(self.t("bot.console.import_usage"))
            return
        path = Path(path_text).expanduser()
        result = import_file(self.core.store, path, actor=self.actor, now=self.clock.now)
        self.directory.refresh(self.core.store, self.settings.core.secretariat_users)
        self.answer(
            Reply(
                self.t(
                    "cli.imported",
                    filename=path.name,
                    created=len(result.created),
                    updated=len(result.updated),
                    unchanged=len(result.unchanged),
                )
            )
        )

    def mark_reported(self, meeting_text: str) -> None:
        """``/mark-reported MEETING``: after the meeting, close what its pack reported as done."""
        if not meeting_text:
            self.note(self.t("bot.console.mark_usage"))
            return
        try:
            found = resolve_meeting(self.core.store, meeting_text, today=self.clock.now.date())
        except MeetingNotFound as err:  # unknown or ambiguous: the message lists the choices
            self.note(err.render(self.lang))
            self.note(self.t("bot.console.mark_usage"))
            return
        result = mark_pack_reported(
            self.core.tracker(), found.id, actor=self.actor, now=self.clock.now
        )
        label = result.meeting.label
        items = [self.t("report.cli.marked_item", id=c.id, text=c.text) for c in result.marked]
        head = (
            self.t("report.cli.marked", meeting=label, count=len(result.marked))
            if result.marked
            else self.t("report.cli.none_marked", meeting=label)
        )
        if result.skipped:
            items.append(self.t("report.cli.skipped"))
            items += [
                self.t("report.cli.skipped_item", id=s.condition.id, why=self._why_skipped(s))
                for s in result.skipped
            ]
        self.answer(Reply(head, (_text_section("\n".join(i.strip() for i in items)),)))

    def _why_skipped(self, skipped: Skipped) -> str:
        packed = self.t(f"status.{skipped.packed}")
        if skipped.accepted_after_packing:
            return self.t("report.skip.accepted_after", packed=packed)
        current = self.t(f"status.{skipped.condition.status}")
        return self.t("report.skip.changed", packed=packed, current=current)

    # -- showing what the core answered ------------------------------------------------------

    def deliver(self, outcome: Outcome) -> None:
        """Everything one request led to, as Slack's transport would post it."""
        reply = outcome.reply
        if outcome.files or outcome.scratch is not None:
            self._post_files(outcome)
        if reply is not None:
            self.answer(reply)
        for update in outcome.updates:
            self.note(self.t("bot.console.card_updated", text=_card_outcome(update.reply)))
        for out in outcome.outbound:
            to = SECRETARIAT_CHANNEL if out.secretariat else (out.user or "")
            self._delivered(to, out.reply)
            if out.card:
                self._cards += 1
                self.core.remember_card(
                    out.card, subject=out.subject, channel=f"console:{to}", ts=str(self._cards)
                )
        if outcome.form is not None:
            self.fill(outcome.form)

    def answer(self, reply: Reply, extra: str = "") -> None:
        """The bot's private answer to whoever is typing."""
        body = self.view(reply, self._number) + (f"\n{extra}" if extra else "")
        self.block(self.t("bot.console.to", who=self.me), body)

    def note(self, text: str) -> None:
        """The console's own words (not the bot's): indented, no heading."""
        self.write(textwrap.indent(text, "  "))

    def block(self, heading: str, body: str) -> None:
        self.write(f"  {heading}\n{textwrap.indent(body, '    ')}")

    def _delivered(self, recipient: str, reply: Reply) -> None:
        """A DM or a channel post for someone (a reminder, a review card, a digest).

        In the demo's compact mode a DM shows as its headline only, and during a
        scheduler pass one line per person; channel posts (review cards, the
        digest) are always shown whole.
        """
        if self.compact_deliveries and recipient != SECRETARIAT_CHANNEL:
            if self._batch is not None:
                self._batch.setdefault(recipient, []).append(reply.text)
            else:
                self._one_line(recipient, reply.text)
            return
        heading = self.t("bot.console.to", who=self.directory.label(recipient))
        self.block(heading, self.view(reply, self._number))

    def _one_line(self, recipient: str, text: str, more: int = 0) -> None:
        heading = self.t("bot.console.to", who=self.directory.label(recipient))
        extra = " " + self.t("bot.console.more", count=more) if more else ""
        first, *rest = (text + extra).split("\n")
        self.write("\n".join([f"  {heading} {first}", *(f"    {line}" for line in rest)]))

    def _post_files(self, outcome: Outcome) -> None:
        """Files for the secretariat channel (the report pack) land in the output folder."""
        try:
            for file in outcome.files:
                target = self._save(file.path.name, file.path.read_bytes())
                self.note(self.t("bot.console.posted", title=file.title, path=str(target)))
        finally:
            if outcome.scratch is not None:
                shutil.rmtree(outcome.scratch, ignore_errors=True)

    def _save(self, name: str, content: bytes) -> Path:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / name
        path.write_bytes(content)
        if path not in self.written:
            self.written.append(path)
        return path

    def _number(self, control: Control) -> int:
        """Buttons are numbered afresh for each line typed; older numbers stay valid until then."""
        if self._fresh_numbers:
            self.controls = {}
            self._fresh_numbers = False
        number = len(self.controls) + 1
        self.controls[number] = control
        return number

    # -- words and the end -----------------------------------------------------------------

    def t(self, key: str, /, **params: object) -> str:
        return self.core.t(key, self.lang, **params)

    def prompt(self) -> str:
        now = self.clock.now.astimezone(self.settings.core.tz)
        return f"[{now:%Y-%m-%d %H:%M}] {self.me}> "

    def close(self) -> None:
        self.core.close()


def run(console: Console, read: Callable[[str], str], *, interactive: bool) -> None:
    """The loop: read a line, answer it, until ``/quit`` or the end of the input."""
    console.write(console.t("bot.console.banner", who=console.me, when=console.when()))
    if not console.directory.departments:
        console.write(console.t("bot.console.empty"))
    while True:
        try:
            line = read(console.prompt() if interactive else "")
        except EOFError:
            break
        except KeyboardInterrupt:
            console.write("")
            continue
        if not interactive:
            console.write(console.prompt() + line)
        try:
            if not console.handle(line):
                break
        except Exception:  # a bug must not end the person's session; show it and go on
            log.exception("console: %r failed", line)
            console.note(console.t("bot.error"))


def _card_outcome(reply: Reply) -> str:
    """What an updated card now says: its last section's first line (承認しました, 差し替え)."""
    last = reply.sections[-1].text if reply.sections else ""
    return (last or reply.text).split("\n")[0]


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _split(args: str) -> list[str]:
    """Words of ``/upload``'s arguments; quotes keep a path with spaces together."""
    try:
        return shlex.split(args)
    except ValueError:  # an unmatched quote in the message text
        return args.split()


def _option_value(item: Input, answer: str) -> str:
    """What a menu sends back for the option typed (its label or its value); else the text."""
    for option in item.options:
        if answer in (option.label, option.value):
            return option.value
    return answer


def _text_section(text: str) -> Section:
    return Section(text=text)
