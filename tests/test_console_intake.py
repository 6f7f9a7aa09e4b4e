"""`ddbot console`: register a consultation with a condition, then amend and withdraw, by hand."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from duediligence import Status
from duediligence.importer import import_file
from duediligence.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"
MEETING_NIGHT = dt.datetime(2021, 2, 10, 19, 40, tzinfo=ZoneInfo("Asia/Tokyo"))


def run_console(tmp_path: Path, *lines: str, who: str = "事務局") -> tuple[str, Path]:
    db = tmp_path / "console.db"
    if not db.exists():
        store = Store.open(str(db))
        import_file(store, SAMPLE, actor="U01JIMU0001", now=MEETING_NIGHT)
        store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DD_", "SLACK_"))}
    env["HOME"] = str(tmp_path)
    args = [sys.executable, "-m", "bot", "console", "--db", str(db), "--as", who]
    args += ["--now", "2021-02-12T10:00:00+09:00", "--out", str(tmp_path / "out")]
    done = subprocess.run(
        args, input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, db


def test_register_a_consultation_and_a_condition_in_the_console(tmp_path: Path) -> None:
    out, db = run_console(
        tmp_path,
        "/register",
        "R2-6",  # the meeting
        "令和2年度諮問第17号",
        "防犯カメラ映像管理システム保守業務委託",
        "総務課",
        "株式会社サンプル警備",
        "名簿",  # the kind, by its label
        "保守に当たる従事者全員の名簿を提出させる",
        "3月末",
        "",  # department: the consultation's
        "株式会社サンプル警備",
        "",  # report back: 要
        "変更時",
        "",  # no trigger
        "",  # the confirmation: keep 3月末
    )
    assert "「3月末」→ 令和3年3月31日(2021-03-31)" in out
    assert "確認事項 R2-17-01 を登録しました" in out
    store = Store.open(str(db))
    condition = store.condition("R2-17-01")
    assert condition.department == "総務課" and str(condition.recurrence) == "on_change"
    assert condition.due == dt.date(2021, 3, 31)
    store.close()


def test_a_department_user_cannot_register_in_the_console(tmp_path: Path) -> None:
    out, db = run_console(tmp_path, "/register", who="収納課")
    assert "事務局のみ" in out
    store = Store.open(str(db))
    assert store.find_consultation("R2-17") is None
    store.close()


def test_amend_and_withdraw_from_the_condition_card(tmp_path: Path) -> None:
    out, db = run_console(
        tmp_path,
        "状況 R2-15-12",
        "2",  # the card's 取り消す (1 is 変更)
        "R2-6",
        "仕様書(案)から当該条項を削除したため不要",
        "状況 R2-15-10",
        "1",  # 変更
        "令和2年度第6回",
        "",  # text as it is
        "令和3年3月31日",
        "",  # department as it is
        "期限を見直した",
    )
    assert "確認事項 R2-15-12 を取り消しました(令和2年度第6回の決定)" in out
    assert "確認事項 R2-15-10 を変更しました" in out
    store = Store.open(str(db))
    assert store.condition("R2-15-12").status is Status.WITHDRAWN
    assert store.condition("R2-15-10").due == dt.date(2021, 3, 31)
    assert [e.data["field"] for e in store.events("R2-15-10") if e.action == "amended"] == ["due"]
    store.close()
