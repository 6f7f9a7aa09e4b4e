"""DD_CLOSED_DAYS: the office's own closure days count everywhere business days are counted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE, SECRETARIAT, AdminCli

from bot.config import BotSettings
from bot.core import Core
from bot.delivery.build import build_sender
from bot.delivery.transports import ConsoleTransport
from bot.scheduler import tick
from duediligence.cli import cli
from duediligence.config import Settings
from duediligence.errors import ConfigError
from duediligence.importer import import_file
from duediligence.store import Store

TOKYO = dt.timezone(dt.timedelta(hours=9))


def test_settings_read_the_closure_days() -> None:
    calendar = Settings.from_env({"DD_CLOSED_DAYS": "12/29-1/3, 2021-06-01"}).calendar()
    assert not calendar.is_business_day(dt.date(2021, 6, 1))
    assert not calendar.is_business_day(dt.date(2022, 1, 3))
    assert Settings.from_env({}).calendar().is_business_day(dt.date(2021, 6, 1))
    assert not Settings.from_env({}).calendar().is_business_day(dt.date(2021, 12, 30))


def test_a_typo_in_the_closure_days_stops_start_up() -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({"DD_CLOSED_DAYS": "6月1日"})
    assert "環境変数 DD_CLOSED_DAYS の値「6月1日」は使えません" in err.value.render("ja")


@pytest.mark.parametrize(
    ("name", "value"),
    [("DD_CLOSED_DAYS", "毎週水曜"), ("DD_TZ", "Mars/Base"), ("DD_MAX_UPLOAD_BYTES", "-3")],
)
def test_a_bad_variable_is_one_clear_line_from_the_cli(
    admin: AdminCli, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    result = admin("status")
    assert result.exit_code == 1
    assert f"環境変数 {name} の値「{value}」は使えません" in result.stderr
    assert "Traceback" not in result.output


def _due_after_disk_replacement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, closed: str | None
) -> str:
    monkeypatch.setenv("DD_DB", str(tmp_path / f"{closed}.db"))
    monkeypatch.setenv("DD_EVIDENCE_DIR", str(tmp_path / "ev"))
    if closed is None:
        monkeypatch.delenv("DD_CLOSED_DAYS", raising=False)
    else:
        monkeypatch.setenv("DD_CLOSED_DAYS", closed)
    runner = CliRunner()
    now = "2021-06-01T10:00:00+09:00"
    assert runner.invoke(cli, ["--now", now, "import", str(SAMPLE)]).exit_code == 0
    result = runner.invoke(
        cli,
        [
            "--now",
            now,
            "event",
            "R2-15",
            "disk_replacement",
            "--date",
            "2021-06-01",
            "--as",
            "U02SHUNO001",
        ],
    )
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, ["--now", now, "show", "R2-15-06", "--json"])
    return json.loads(shown.output)["due"]


def test_an_event_counts_business_days_with_the_closure_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ordinary = _due_after_disk_replacement(tmp_path, monkeypatch, None)
    assert ordinary == "2021-06-15"  # 10 business days after 6/1
    closed = _due_after_disk_replacement(tmp_path, monkeypatch, "12/29-1/3, 2021-06-04")
    assert closed == "2021-06-16"  # the office is closed on Friday 6/4: one day later


def _planned_on_due_day(tmp_path: Path, closed: str) -> int:
    db = str(tmp_path / f"tick-{len(closed)}.db")
    store = Store.open(db)
    import_file(store, SAMPLE, actor=SECRETARIAT, now=dt.datetime(2021, 2, 10, 19, tzinfo=TOKYO))
    store.close()
    now = dt.datetime(2021, 2, 24, 9, 30, tzinfo=TOKYO)  # R2-16-01..03 fall due that day
    settings = BotSettings(
        core=Settings(db=db, evidence_dir=str(tmp_path / "ev"), closed_days=closed)
    )
    core = Core(settings.core, clock=lambda: now)
    try:
        console = ConsoleTransport(write=lambda _: None)
        return tick(build_sender(settings, core, console=console), now).planned
    finally:
        core.close()


def test_nothing_is_sent_on_a_closure_day(tmp_path: Path) -> None:
    assert _planned_on_due_day(tmp_path, "12/29-1/3") > 0
    assert _planned_on_due_day(tmp_path, "12/29-1/3, 2021-02-24") == 0
