"""``ddbot demo --scenario supervision``: the committee's cloud contract walked for a year, and
what it left behind (the chain, the clause finding, the incident, the inspection, the lapse)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.demo import DemoResult, run_demo
from duediligence import Status
from duediligence.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "supervision-cloud.yaml"


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    out = tmp_path_factory.mktemp("supervision")
    return run_demo(
        SAMPLE,
        db=out / "demo.db",
        out_dir=out / "out",
        write=lambda _: None,
        scenario="supervision",
    )


@pytest.fixture
def store(walked: DemoResult):
    opened = Store.open(str(walked.db))
    yield opened
    opened.close()


def test_every_new_kind_ends_where_the_walk_leaves_it(store: Store) -> None:
    status = {c.id: c.status for c in store.conditions()}
    assert status["ISC-R5-04-1"] is Status.ACCEPTED  # clauses confirmed
    assert status["ISC-R5-04-1-F-incident"] is Status.OPEN  # the missing clause's amendment
    assert status["ISC-R5-04-2-C-media"] is Status.OPEN  # the inspection's corrective action
    assert {status[f"ISC-R5-04-INC1-{n}"] for n in (1, 2, 3)} == {Status.OPEN}
    assert status["ISC-R5-04-5"] is Status.OPEN  # the certificate lapsed and reopened
    assert [e.action for e in store.events("ISC-R5-04-5")][-1] == "lapsed"


def test_the_alert_and_the_lapse_reminders_were_delivered(store: Store) -> None:
    alerts = [e for e in store.events("incident:1") if e.action == "alert_sent"]
    assert [e.data["recipient"] for e in alerts] == ["secretariat"]
    assert alerts[0].at.hour in (10, 19)  # the Friday evening it was reported (UTC or local)
    sent = [e for e in store.events("ISC-R5-04-5") if e.action == "evidence_expiry_sent"]
    assert sorted(e.data["stage"] for e in sent) == sorted(["lapse_60", "lapse_30", "lapse_7"] * 2)


def test_the_transcript_shows_the_chain_and_the_pack(walked: DemoResult) -> None:
    text = "\n".join(walked.transcript)
    assert "【至急】ISC-R5-04 で個人情報の漏えいが報告されました。" in text
    assert "事故発生時の報告: なし(追加が必要)" in text
    assert any(p.name == "report-pack-ISC-R5-3.md" for p in walked.files)
    pack = next(p for p in walked.files if p.name == "report-pack-ISC-R5-3.md")
    markdown = pack.read_text(encoding="utf-8")
    assert (
        "株式会社サンプルクラウド（元請） → サンプルデータセンター株式会社（再委託先）" in markdown
    )
    assert markdown.startswith("# 令和5年度第3回委員会")


def test_english_and_the_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--scenario", "supervision", "--lang", "en",
         "--db", str(tmp_path / "en.db"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "[Urgent] A leak of personal data was reported on ISC-R5-04." in result.stdout
    assert "Reporting of incidents: missing (to be added)" in result.stdout
