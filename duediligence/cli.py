"""``duediligence``: the secretariat's admin command line, a thin layer over the library.

Every command prints Japanese by default (``DD_LANG=en`` for English), writes
errors to stderr with exit status 1, and changes nothing when it fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .bodies import approval_label
from .chain import has_chain, path_label
from .cli_usage import UsageInJapanese
from .config import Settings
from .dates import format_wareki
from .errors import DueDiligenceError, EvidenceError, NotFound
from .evidence import BlobStore, check_evidence_dir
from .kinds import evidence_rule, kind_label
from .messages import normalize_lang, t
from .private_files import exposure_warning, open_private
from .status import condition_detail, condition_record, event_record
from .store import ConditionFilter, Store
from .submission import CertificateFields, SubmissionResult, check_summary
from .texttable import render_table
from .tracker import Tracker

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    settings: Settings
    db_path: str
    now_override: dt.datetime | None
    checked_modes: bool = False

    @property
    def lang(self) -> str:
        return self.settings.lang

    def now(self) -> dt.datetime:
        if self.now_override is not None:
            return self.now_override
        return dt.datetime.now(self.settings.tz)

    def today(self) -> dt.date:
        return self.now().astimezone(self.settings.tz).date()

    def store(self) -> Store:
        if not self.checked_modes:  # once per command: others may read an existing database
            self.checked_modes = True
            warning = exposure_warning(self.db_path, self.lang)
            if warning:
                click.echo(warning, err=True)
        return Store.open(
            self.db_path, pool_size=self.settings.db_pool, busy_seconds=self.settings.busy_seconds
        )

    def tracker(self) -> Tracker:
        store = self.store()
        blobs = BlobStore(self.settings.evidence_dir, max_bytes=self.settings.max_upload_bytes)
        check_evidence_dir(store, blobs)
        return Tracker(
            store,
            blobs,
            secretariat=self.settings.secretariat_users,
            calendar=self.settings.calendar(),
        )

    def t(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)


def _parse_now(value: str | None, settings: Settings) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(value, param_hint="--now") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.tz)


def friendly_errors(func: F) -> F:
    """Show a DueDiligenceError as one clear message on stderr, exit status 1 (2: no database)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context().find_object(Context)
        try:
            return func(*args, **kwargs)
        except DueDiligenceError as err:
            click.echo(err.render(ctx.lang if ctx else "ja"), err=True)
            sys.exit(err.exit_code)

    return wrapper  # type: ignore[return-value]


pass_ctx = click.make_pass_decorator(Context)


@click.group(
    cls=UsageInJapanese,
    help="Track a council's conditional approvals from import to report-back. 付帯条件の管理。",
)
@click.option(
    "--db",
    default=None,
    help="SQLite file or postgresql:// URL (DD_DATABASE_URL or DD_DB, default ./duediligence.db).",
)
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Pretend it is this ISO time (for tests and back-dating).",
)
@click.option(
    "--lang", type=click.Choice(["ja", "en"]), default=None, help="Language of messages (DD_LANG)."
)
@click.pass_context
def cli(click_ctx: click.Context, db: str | None, now_text: str | None, lang: str | None) -> None:
    env = dict(os.environ)
    env.update({k: v for k, v in (("DD_DATABASE_URL", db), ("DD_LANG", lang)) if v})
    try:
        settings = Settings.from_env(env)
    except DueDiligenceError as err:
        click.echo(err.render(normalize_lang(env.get("DD_LANG"))), err=True)
        click_ctx.exit(1)
    click_ctx.obj = Context(
        settings=settings, db_path=settings.db, now_override=_parse_now(now_text, settings)
    )


@cli.command(help="Create or migrate the database. データベースを作成・更新します。")
@pass_ctx
@friendly_errors
def init(ctx: Context) -> None:
    store = ctx.store()
    store.close()
    click.echo(ctx.t("cli.initialized", path=store.path))  # host:port/db, never a password


@cli.command(
    "import",
    help="Import one meeting's YAML file or registration workbook (.xlsx), all or nothing. "
    "会議ファイルを取り込みます。",
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "actor", default="import", help="Who is importing (recorded in events).")
@pass_ctx
@friendly_errors
def import_(ctx: Context, file: Path, actor: str) -> None:
    from .importer import import_file

    store = ctx.store()
    result = import_file(store, file, actor=actor, now=ctx.now())
    click.echo(
        ctx.t(
            "cli.imported",
            filename=file.name,
            created=len(result.created),
            updated=len(result.updated),
            unchanged=len(result.unchanged),
        )
    )


def _due_label(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "-"
    return f"{format_wareki(day)} ({day.isoformat()})" if lang == "ja" else day.isoformat()


@cli.command(help="List conditions with their status. 確認事項の一覧と状況。")
@click.option("--department", default=None, help="Only this department.")
@click.option("--consultation", default=None, help="Only this consultation id.")
@click.option("--vendor", default=None, help="Only this vendor.")
@click.option("--overdue", is_flag=True, help="Only overdue items.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
@friendly_errors
def status(
    ctx: Context,
    department: str | None,
    consultation: str | None,
    vendor: str | None,
    overdue: bool,
    as_json: bool,
) -> None:
    store = ctx.store()
    today = ctx.today()
    _known_filters(store, department, consultation, vendor)
    where = ConditionFilter(
        department=department,
        consultation=consultation,
        vendor=vendor,
        overdue_on=today if overdue else None,
    )
    conditions = store.conditions(where)
    if as_json:
        click.echo(
            json.dumps(
                [condition_record(c, today) for c in conditions], ensure_ascii=False, indent=2
            )
        )
        return
    if not conditions:
        click.echo(ctx.t("cli.no_conditions"))
        return
    if vendor:  # a sub-contractor is shown under its contractor(s): 元請 → 再委託先 → …
        for cid in dict.fromkeys(c.consultation for c in conditions):
            if has_chain(store, cid):
                click.echo(f"{ctx.t('cli.show.chain')}: {path_label(store, cid, vendor)}")
    headers = [ctx.t(f"cli.col.{k}") for k in ("id", "kind", "status", "due", "department", "text")]
    rows = []
    for c in conditions:
        status_text = ctx.t(f"status.{c.status}")
        if c.is_overdue(today) and c.due:
            status_text += " ⚠ " + ctx.t("cli.overdue_days", days=(today - c.due).days)
        rows.append(
            [
                c.id,
                kind_label(c.kind, ctx.lang),
                status_text,
                _due_label(c.due, ctx.lang),
                c.department,
                c.text,
            ]
        )
    click.echo(render_table(headers, rows, max_width=36))
    overdue_count = sum(1 for c in conditions if c.is_overdue(today))
    click.echo(ctx.t("cli.summary", total=len(conditions), overdue=overdue_count))


def _known_filters(
    store: Store, department: str | None, consultation: str | None, vendor: str | None
) -> None:
    """A filter naming nothing registered is a typo, not "no conditions": say what was meant."""
    from .suggest import Closest

    if department is not None and store.find_department(department) is None:
        names = tuple(d.name for d in store.departments())
        raise NotFound("error.filter.department", name=department, hint=Closest(department, names))
    if consultation is not None and store.find_consultation(consultation) is None:
        ids = tuple(c.id for c in store.consultations())
        raise NotFound(
            "error.filter.consultation", name=consultation, hint=Closest(consultation, ids)
        )
    if vendor is not None and vendor not in store.vendor_names():
        names = tuple(store.vendor_names())
        raise NotFound("error.filter.vendor", name=vendor, hint=Closest(vendor, names))


@cli.command(help="Show one condition with its evidence and history. 確認事項の詳細。")
@click.argument("condition_id")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_ctx
@friendly_errors
def show(ctx: Context, condition_id: str, as_json: bool) -> None:
    store = ctx.store()
    detail = condition_detail(store, condition_id, ctx.today())
    if as_json:
        click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    condition = store.condition(condition_id)
    consultation = store.consultation(condition.consultation)
    lines = [
        f"{condition.id}  [{kind_label(condition.kind, ctx.lang)}]  {ctx.t(f'status.{condition.status}')}",
        f"{ctx.t('cli.show.consultation')}: {consultation.number or consultation.id} {consultation.title}",
        f"{ctx.t('cli.show.approved_by')}: {approval_label(store, consultation, ctx.lang)}",
        *(
            [f"{ctx.t('cli.show.chain')}: {path_label(store, consultation.id, condition.vendor)}"]
            if condition.vendor and has_chain(store, consultation.id)
            else []
        ),
        f"{ctx.t('cli.col.department')}: {condition.department}"
        + (f" / {ctx.t('cli.col.vendor')}: {condition.vendor}" if condition.vendor else ""),
        f"{ctx.t('cli.col.due')}: {_due_label(condition.due, ctx.lang)}",
        f"{ctx.t('cli.show.text')}: {condition.text}",
        f"{ctx.t('cli.show.expected')}: {evidence_rule(condition.kind, ctx.lang)}",
        f"{ctx.t('cli.show.recurrence')}: {ctx.t(f'recurrence.{condition.recurrence}')} / "
        f"{ctx.t('cli.show.report_back')}: {ctx.t('cli.yes' if condition.report_back else 'cli.no')}",
        f"{ctx.t('cli.show.evidence')}:",
    ]
    evidence = detail["evidence"]
    lines += [
        f"  {e['uploaded_at'][:16]}  {e['filename']}  {e['size']} B  {e['sha256'][:12]}  {e['uploaded_by']}"
        + (f"  {ctx.t('cli.show.valid_until', date=e['valid_until'])}" if e["valid_until"] else "")
        for e in evidence
    ] or [f"  {ctx.t('cli.show.none')}"]
    lines.append(f"{ctx.t('cli.show.events')}:")
    lines += [_event_line(ctx, e) for e in detail["events"]]
    click.echo("\n".join(lines))


def _event_subject(ctx: Context, store: Store, subject: str) -> str:
    """A condition id as it is; a consultation or meeting named alone gets its prefix."""
    from .errors import MeetingNotFound
    from .meetings import resolve_meeting

    if store.find_condition(subject) is not None:
        return subject
    if store.find_consultation(subject) is not None:
        return f"consultation:{subject}"
    try:
        return f"meeting:{resolve_meeting(store, subject, today=ctx.today()).id}"
    except MeetingNotFound:
        store.condition(subject)  # unknown: refused with the id it may have meant
        raise


def _event_line(ctx: Context, e: dict[str, Any]) -> str:
    label = ctx.t(f"event.{e['action']}")
    if label == f"event.{e['action']}":
        label = e["action"]
    reason = f"  「{e['reason']}」" if e["reason"] else ""
    return f"  {e['at'][:16]}  {e['subject']}  {label}  {e['actor']}{reason}"


@cli.command(
    help="The append-only event log: all, or one condition, consultation or meeting. 履歴。"
)
@click.argument("subject", required=False)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@friendly_errors
def events(ctx: Context, subject: str | None, as_json: bool) -> None:
    store = ctx.store()
    if subject is not None and not subject.count(":"):
        subject = _event_subject(ctx, store, subject)
    records = [event_record(e) for e in store.events(subject)]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif not records:
        click.echo(ctx.t("cli.events.none"))
    else:
        click.echo("\n".join(_event_line(ctx, e) for e in records))


@cli.group(help="Submit or read evidence files. 提出ファイル。")
def evidence() -> None:
    pass


@evidence.command(
    "add",
    help="Submit FILE as evidence for a condition; the condition's kind decides the checks "
    "(roster, pledges, certificate, disposal certificate). ファイルを提出します。",
)
@click.argument("condition_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "actor", required=True, help="Slack user id or e-mail of the submitter.")
@click.option("--person", default=None, help="Pledge conditions: whose pledge it is (氏名).")
@click.option(
    "--not-after-leaving",
    is_flag=True,
    help="Pledge conditions: the pledge ends with employment (does not count as covered).",
)
@click.option("--number", default=None, help="Certificate renewals: the registration number.")
@click.option("--renewed", default=None, help="Certificate renewals: the latest renewal date.")
@click.option("--expires", default=None, help="Certificate renewals: the expiry date.")
@click.option("--scheme", default=None, help="Certificate renewals: ISMS, PrivacyMark, …")
@click.option("--effective", default=None, help="The document holds from this date (有効開始日).")
@click.option(
    "--valid-until",
    default=None,
    help="The last day the document holds (有効期限); it reopens after.",
)
@pass_ctx
@friendly_errors
def evidence_add(
    ctx: Context,
    condition_id: str,
    file: Path,
    actor: str,
    person: str | None,
    not_after_leaving: bool,
    number: str | None,
    renewed: str | None,
    expires: str | None,
    scheme: str | None,
    effective: str | None,
    valid_until: str | None,
) -> None:
    from .dates import parse_due

    fields = certificate_fields(ctx, number, renewed, expires, scheme)
    result = submit_file(
        ctx,
        condition_id,
        file,
        actor,
        person=person,
        after_leaving=not not_after_leaving,
        certificate=fields,
        effective=parse_due(effective, today=ctx.today()) if effective else None,
        valid_until=parse_due(valid_until, today=ctx.today()) if valid_until else None,
    )
    click.echo(
        ctx.t(
            "cli.evidence_added",
            id=condition_id,
            filename=result.evidence.filename,
            size=result.evidence.size,
            short=result.evidence.sha256[:12],
            status=ctx.t(f"status.{result.condition.status}"),
        )
    )
    summary = check_summary(result, ctx.lang)
    if summary:
        click.echo(summary)


def submit_file(
    ctx: Context, condition_id: str, file: Path, actor: str, **options: Any
) -> SubmissionResult:
    """Every CLI command that submits a file comes here: one call, the kind's checks."""
    tracker = ctx.tracker()
    with file.open("rb") as stream:
        return tracker.submit_evidence(
            condition_id, stream, filename=file.name, actor=actor, now=ctx.now(), **options
        )


def certificate_fields(
    ctx: Context,
    number: str | None,
    renewed: str | None,
    expires: str | None,
    scheme: str | None = None,
) -> CertificateFields | None:
    """--number, --renewed and --expires together (dates as people write them), or none."""
    from .dates import parse_due

    given = [v for v in (number, renewed, expires) if v is not None]
    if not given and scheme is None:
        return None
    if len(given) < 3:
        raise EvidenceError("checks.submit.fields_incomplete")
    assert number is not None and renewed is not None and expires is not None
    return CertificateFields(
        number=number,
        renewed=parse_due(renewed, today=ctx.today()),
        expires=parse_due(expires, today=ctx.today()),
        scheme=scheme,
    )


@evidence.command(
    "get",
    help="Write a stored evidence file to --out (the read is logged). 提出ファイルを取り出します。",
)
@click.argument("condition_id")
@click.argument("sha256")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "actor", required=True, help="Owner department member or secretariat.")
@pass_ctx
@friendly_errors
def evidence_get(ctx: Context, condition_id: str, sha256: str, out: Path, actor: str) -> None:
    tracker = ctx.tracker()
    found, stream = tracker.read_evidence(
        condition_id, sha256, actor=actor, now=ctx.now(), surface="cli"
    )
    with stream, open_private(out) as target:  # personal data: owner-only from the first byte
        shutil.copyfileobj(stream, target)
    click.echo(ctx.t("cli.evidence_saved", filename=found.filename, out=str(out)))


def _transition_command(name: str, help_text: str, *, reason: bool = False) -> None:
    @cli.command(name, help=help_text)
    @click.argument("condition_id")
    @click.option("--reason", required=reason, default="", help="Why (required).")
    @click.option(
        "--as", "actor", required=True, help="Slack user id or e-mail of the secretariat member."
    )
    @pass_ctx
    @friendly_errors
    def command(ctx: Context, condition_id: str, reason: str, actor: str) -> None:
        tracker = ctx.tracker()
        before = tracker.store.condition(condition_id).status
        method = {"accept": tracker.accept, "return": tracker.return_, "waive": tracker.waive}[name]
        kwargs = {"note": reason} if name == "accept" else {"reason": reason}
        after = method(condition_id, actor=actor, now=ctx.now(), **kwargs)
        click.echo(
            ctx.t(
                "cli.transitioned",
                id=condition_id,
                old=ctx.t(f"status.{before}"),
                new=ctx.t(f"status.{after.status}"),
            )
        )


_transition_command("accept", "Accept submitted evidence (secretariat). 確認済にします。")
_transition_command(
    "return", "Return submitted evidence with a reason (secretariat). 差し戻します。", reason=True
)
_transition_command(
    "waive", "Waive a condition with a reason (secretariat). 免除します。", reason=True
)


@cli.command(
    "mark-reported",
    help="Mark an accepted condition reported at a council meeting (secretariat); without an ID, "
    "every item the meeting's report pack showed as accepted. 報告済にします。",
)
@click.argument("condition_id", required=False)
@click.option(
    "--meeting",
    required=True,
    help="The meeting it was reported at: its id, date (2021-11-15, 令和3年11月15日), "
    "name (令和3年度第2回) or next.",
)
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def mark_reported(ctx: Context, condition_id: str | None, meeting: str, actor: str) -> None:
    if condition_id is None:
        from .commands.report import echo_pack_marked

        echo_pack_marked(ctx, meeting, actor)
        return
    tracker = ctx.tracker()
    before = tracker.store.condition(condition_id).status
    after = tracker.mark_reported(condition_id, actor=actor, meeting=meeting, now=ctx.now())
    click.echo(
        ctx.t(
            "cli.transitioned",
            id=condition_id,
            old=ctx.t(f"status.{before}"),
            new=ctx.t(f"status.{after.status}"),
        )
    )


@cli.command(help="Move a condition's due date (secretariat). 期限を延長します。")
@click.argument("condition_id")
@click.option(
    "--due",
    "due_text",
    required=True,
    help="New due date, as people write it (令和3年6月30日, 2021-06-30, …).",
)
@click.option("--reason", required=True)
@click.option("--as", "actor", required=True)
@pass_ctx
@friendly_errors
def extend(ctx: Context, condition_id: str, due_text: str, reason: str, actor: str) -> None:
    from .dates import parse_due

    tracker = ctx.tracker()
    before = tracker.store.condition(condition_id).due
    new_due = parse_due(due_text, today=ctx.today())
    tracker.extend(condition_id, actor=actor, new_due=new_due, reason=reason, now=ctx.now())
    click.echo(
        ctx.t(
            "cli.extended",
            id=condition_id,
            old=_due_label(before, ctx.lang),
            new=_due_label(new_due, ctx.lang),
        )
    )


def main() -> None:
    cli(prog_name="duediligence")


def _load_areas() -> None:
    from .commands import load_all

    load_all()


_load_areas()


if __name__ == "__main__":
    main()
