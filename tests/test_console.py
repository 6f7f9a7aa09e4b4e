"""`ddbot console`: the real bot in a terminal, driven by a script on stdin and through a pty.

Each test starts `python -m bot console` on its own SQLite file holding the
sample meeting, types lines as a person would, and checks both the replies
printed and what the database holds afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.uploads import MENU_STATUSES
from bot.people import Directory
from duediligence import ConditionFilter, Status
from duediligence.importer import import_file
from duediligence.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
TOKYO = ZoneInfo("Asia/Tokyo")
MEETING_NIGHT = dt.datetime(2021, 2, 10, 19, 40, tzinfo=TOKYO)
MID_MARCH = "2021-03-15T10:00:00+09:00"  # R2-15's March 10 items and R2-16's Feb 24 ones overdue
PROCESS_LIMIT = 120  # seconds a console may take before the test gives up on it (not asserted)

Console = Callable[..., str]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "console.db"
    store = Store.open(str(path))
    import_file(store, SAMPLE, actor="U01JIMU0001", now=MEETING_NIGHT)
    store.close()
    return path


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DD_", "SLACK_")) and k != "PYTHONSTARTUP"
    }
    env["HOME"] = str(tmp_path)
    env["DD_CONSOLE_HISTORY"] = str(tmp_path / "history")
    return env


@pytest.fixture
def console(db: Path, tmp_path: Path) -> Console:
    """Run the console with *lines* on stdin; returns everything it printed."""

    def run(*lines: str, now: str = MID_MARCH, who: str | None = None, lang: str = "ja") -> str:
        args = [sys.executable, "-m", "bot", "console", "--db", str(db), "--now", now]
        args += ["--out", str(tmp_path / "out"), "--lang", lang]
        if who:
            args += ["--as", who]
        done = subprocess.run(
            args,
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=_env(tmp_path),
            timeout=PROCESS_LIMIT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


def answers(output: str) -> list[tuple[str, str]]:
    """(typed line, what was printed after it), in order."""
    found: list[tuple[str, str]] = []
    for line in output.splitlines():
        if line.startswith("[") and "> " in line:
            found.append((line.split("> ", 1)[1], ""))
        elif found:
            typed, said = found[-1]
            found[-1] = (typed, said + line + "\n")
    return found


def said(output: str, typed: str, nth: int = 0) -> str:
    """What the console printed after the *nth* time *typed* was entered."""
    blocks = [block for line, block in answers(output) if line == typed]
    assert len(blocks) > nth, f"{typed!r} was not answered: {output}"
    return blocks[nth]


def open_store(db: Path) -> Store:
    return Store.open(str(db))


# -- the status query --------------------------------------------------------------------


def test_status_as_the_secretariat_and_as_a_department(console: Console) -> None:
    out = console(
        "状況",
        "状況 期限超過",
        "/as 収納課",
        "状況",
        "状況 期限超過",
        "状況 新型コロナウイルスワクチン接種事業PT",
    )
    # the secretariat: every department, counted
    everything = said(out, "状況")
    assert "確認事項 計 27 件" in everything
    for department in ("収納課", "新型コロナウイルスワクチン接種事業PT", "総務課"):
        assert department in everything
    overdue = said(out, "状況 期限超過")
    assert "R2-16-01" in overdue and "R2-15-01" in overdue
    # the department: its own items only, and another department's are refused
    assert "あなたは 収納課 U02SHUNO001 です" in said(out, "/as 収納課")
    mine = said(out, "状況", 1)
    assert "あなたの担当の確認事項" in mine
    assert "R2-15-08" in mine and "R2-16-01" not in mine
    mine_overdue = said(out, "状況 期限超過", 1)
    assert "R2-15-01" in mine_overdue and "R2-16" not in mine_overdue
    assert "あなたの担当課ではない" in said(out, "状況 新型コロナウイルスワクチン接種事業PT")


def test_status_in_english(console: Console) -> None:
    answer = said(console("status", lang="en"), "status")
    assert "27 conditions" in answer and "By department" in answer


# -- evidence by path ---------------------------------------------------------------------


def test_an_upload_by_path_becomes_evidence(console: Console, db: Path, tmp_path: Path) -> None:
    memo = tmp_path / "kakunin.pdf"
    memo.write_bytes(b"%PDF-1.4 written answer from the vendor\n")
    typed = f"/upload {memo} R2-15-01 確認書です"
    answer = said(console("/as 収納課", typed), typed)
    assert "R2-15-01 の提出として受け付けました" in answer
    assert "事務局チャンネル" in answer and "承認" in answer  # the review card, with its buttons
    store = open_store(db)
    try:
        evidence = store.evidence_of("R2-15-01")
        assert [e.filename for e in evidence] == ["kakunin.pdf"]
        assert evidence[0].sha256 == hashlib.sha256(memo.read_bytes()).hexdigest()
        assert evidence[0].uploaded_by == "U02SHUNO001"
        assert store.condition("R2-15-01").status is Status.SUBMITTED
    finally:
        store.close()


def test_an_upload_without_a_condition_asks_which_and_the_number_chooses(
    console: Console, db: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "shiyousho.docx"
    spec.write_bytes(b"amended specification")
    store = open_store(db)
    try:  # the menu lists the department's items in the store's order, numbered from 1
        menu = store.conditions(
            ConditionFilter(departments_any=("収納課",), statuses=MENU_STATUSES, limit=100)
        )
    finally:
        store.close()
    number = str([c.id for c in menu].index("R2-15-10") + 1)
    out = console("/as 収納課", f"/upload {spec}", number)
    asked = said(out, f"/upload {spec}")
    assert "どの確認事項の提出ですか" in asked
    assert f"    {number}. R2-15-10 " in asked
    assert "R2-15-10 の提出として受け付けました" in said(out, number)
    store = open_store(db)
    try:
        assert [e.filename for e in store.evidence_of("R2-15-10")] == ["shiyousho.docx"]
    finally:
        store.close()


def test_a_missing_file_is_refused_and_nothing_changes(console: Console, db: Path) -> None:
    typed = "/upload /nonexistent/meibo.xlsx R2-15-08"
    assert "ファイルが見つかりません" in said(console("/as 収納課", typed), typed)
    store = open_store(db)
    try:
        assert store.evidence_of("R2-15-08") == []
    finally:
        store.close()


# -- buttons and forms ----------------------------------------------------------------------


def test_accept_by_a_department_user_is_refused_and_the_secretariat_accepts(
    console: Console, db: Path, tmp_path: Path
) -> None:
    memo = tmp_path / "kakunin.pdf"
    memo.write_bytes(b"%PDF-1.4 answer")
    out = console(
        "/as 収納課",
        f"/upload {memo} R2-15-01",
        "1",  # 収納課 presses 承認 on the review card
        "/as 事務局",
        "1",  # the secretariat presses the same button
        "1",  # and again: the card is decided already
    )
    assert "事務局だけが行えます" in said(out, "1", 0)
    assert "承認しました" in said(out, "1", 1)
    assert "承認しました" not in said(out, "1", 2)
    store = open_store(db)
    try:
        assert store.condition("R2-15-01").status is Status.ACCEPTED
        accepted = [e for e in store.events("R2-15-01") if e.action == "accepted"]
        assert [e.actor for e in accepted] == ["U01JIMU0001"]
    finally:
        store.close()


def test_return_asks_for_the_reason_on_its_own_line(
    console: Console, db: Path, tmp_path: Path
) -> None:
    answer = tmp_path / "kaitou.pdf"
    answer.write_bytes(b"%PDF-1.4 the vendor's answer")
    reason = "システム保守会社の回答が含まれていません"
    out = console("/as 収納課", f"/upload {answer} R2-15-03", "/as 事務局", "2", reason)
    pressed = said(out, "2")
    assert "理由" in pressed and reason in pressed and "差し戻しました" in pressed
    assert "収納課 U02SHUNO001" in pressed  # the owner hears it in their DM
    store = open_store(db)
    try:
        assert store.condition("R2-15-03").status is Status.RETURNED
        returned = [e for e in store.events("R2-15-03") if e.action == "returned"]
        assert returned and reason in returned[0].reason
    finally:
        store.close()


def test_a_number_that_was_not_shown_presses_nothing(console: Console) -> None:
    assert "7 番のボタンはありません" in said(console("7"), "7")


# -- time, reminders, people -----------------------------------------------------------------


def test_moving_the_clock_delivers_reminders_into_the_chat(console: Console, db: Path) -> None:
    moved = said(console("/date 2021-02-24", now="2021-02-20T10:00:00+09:00"), "/date 2021-02-24")
    assert "令和3年2月24日(2021-02-24) 水 09:00" in moved
    assert "新型コロナウイルスワクチン接種事業PT U03VACC0001" in moved
    assert "R2-16-01 は本日が期限です" in moved
    assert "定時処理: 予定" in moved
    store = open_store(db)
    try:
        sent = store.outbox_entries(status="sent")
        assert sent and {e.recipient for e in sent} >= {"U03VACC0001", "U03VACC0002"}
    finally:
        store.close()


def test_dates_are_read_as_people_write_them(console: Console) -> None:
    out = console("/date 令和3年3月1日", "/date 来週月曜", "/date そのうち")
    assert "2021-03-01" in said(out, "/date 令和3年3月1日")
    assert "2021-03-08" in said(out, "/date 来週月曜")
    assert "日付として読めませんでした" in said(out, "/date そのうち")


def test_as_picks_people_by_what_they_are(db: Path) -> None:
    store = open_store(db)
    try:
        directory = Directory.load(store)
    finally:
        store.close()
    assert directory.resolve("事務局") == "U01JIMU0001"
    assert directory.resolve("secretariat") == "U01JIMU0001"
    assert directory.resolve("収納課") == "U02SHUNO001"
    assert directory.resolve("収納課長") == "U02SHUNO900"
    assert directory.resolve("head 収納課") == "U02SHUNO900"
    assert directory.resolve("ワクチン接種事業PT") == "U03VACC0001"
    assert directory.resolve("総務課 課長") == "U04SOMU0900"
    assert directory.resolve("U09NOBODY01") == "U09NOBODY01"
    assert directory.resolve("経理課") is None
    assert directory.label("U02SHUNO900") == "収納課 所属長 U02SHUNO900"
    assert directory.label("shuno@city.example.lg.jp") == "収納課 shuno@city.example.lg.jp"


def test_help_and_an_unknown_command(console: Console) -> None:
    out = console("help", "/frobnicate")
    for command in ("/upload", "/as", "/date", "/tick", "/quit", "状況"):
        assert command in said(out, "help")
    assert "コマンドはありません" in said(out, "/frobnicate")


def test_import_then_report_pack_and_mark_reported(tmp_path: Path) -> None:
    """A fresh database: import as the secretariat, accept one item, pack it, close it."""
    db = tmp_path / "fresh.db"
    memo = tmp_path / "kakunin.pdf"
    memo.write_bytes(b"%PDF-1.4 answer")
    script = [
        f"/import {SAMPLE}",
        "/as 収納課",
        f"/upload {memo} R2-15-01",
        "/as 事務局",
        "1",
        "/date 2021-05-12T10:00",
        "報告資料",
        "/date 2021-05-19T17:00",
        "/mark-reported R3-1",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--db", str(db), "--as", "U01JIMU0001"]
        + ["--now", "2021-03-01T10:00:00+09:00", "--out", str(tmp_path / "out")],
        input="\n".join(script) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(tmp_path),
        timeout=PROCESS_LIMIT,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "新規 27 件" in said(out, f"/import {SAMPLE}")
    assert (tmp_path / "out" / "report-pack-R3-1.docx").is_file()
    assert "report-pack-R3-1.xlsx" in said(out, "報告資料")
    assert "1 件を報告済にしました" in said(out, "/mark-reported R3-1")
    store = open_store(db)
    try:
        assert store.condition("R2-15-01").status is Status.REPORTED
    finally:
        store.close()


# -- a real terminal ---------------------------------------------------------------------------


def test_a_terminal_session_with_prompts_and_history(db: Path, tmp_path: Path) -> None:
    """Through a pseudo-terminal: the prompt, a form's own prompt, readline's history file."""
    memo = tmp_path / "kakunin.pdf"
    memo.write_bytes(b"%PDF-1.4 answer")
    lines = [
        "/as 収納課",
        f"/upload {memo} R2-15-07",
        "/as 事務局",
        "2",
        "印影が不鮮明です",
        "/quit",
    ]
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--db", str(db), "--now", MID_MARCH]
        + ["--out", str(tmp_path / "out")],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=_env(tmp_path),
        close_fds=True,
    )
    os.close(slave)
    output = b""
    try:
        for line in lines:
            output += _read_until(master, b"> ")
            os.write(master, line.encode() + b"\n")
        output += _read_until(master, None)
    finally:
        os.close(master)
        process.wait(PROCESS_LIMIT)
    text = output.decode("utf-8", errors="replace")
    assert process.returncode == 0, text
    assert "収納課 U02SHUNO001> " in text  # the prompt says who you are
    assert "理由> " in text  # the Return form asks on its own prompt
    assert "差し戻しました" in text
    history = (tmp_path / "history").read_text(encoding="utf-8")
    assert "/as 事務局" in history


def _read_until(fd: int, marker: bytes | None) -> bytes:
    """Read the terminal until *marker* shows (None: until the console exits)."""
    data = b""
    while marker is None or not data.endswith(marker):
        ready, _, _ = select.select([fd], [], [], PROCESS_LIMIT)
        if not ready:
            raise AssertionError(f"the console stopped answering; it printed {data!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the console closed the terminal
            break
        if not chunk:
            break
        data += chunk
        data = data.replace(b"\r\n", b"\n")
        if marker is not None and data.rstrip(b" ").endswith(marker.rstrip()):
            break
    return data
