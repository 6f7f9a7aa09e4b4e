"""Incidents: reported by the owner, three report conditions with the legal deadlines, an alert
for the secretariat in the outbox at once (whatever the hour), the conditions in the pack."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SECRETARIAT, SHUNO_OWNER, TOKYO, VACC_OWNER, AdminCli

from duediligence import PermissionDenied, Status
from duediligence.incidents import report_incident
from duediligence.model import IncidentKind, Kind
from duediligence.report import build_pack
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

FRIDAY_EVENING = dt.datetime(2021, 6, 4, 19, 30, tzinfo=TOKYO)


def test_a_friday_evening_leak_opens_three_conditions_and_an_immediate_alert(
    sample: Tracker,
) -> None:
    incident = report_incident(
        sample,
        "R2-15",
        kind=IncidentKind.LEAK,
        actor=SHUNO_OWNER,
        now=FRIDAY_EVENING,
        description="メールの誤送信",
    )
    store = sample.store
    assert incident.conditions == ("R2-15-INC1-1", "R2-15-INC1-2", "R2-15-INC1-3")
    first, final, prevention = (store.condition(c) for c in incident.conditions)
    assert first.kind is Kind.INCIDENT_REPORT and first.due == dt.date(
        2021, 6, 9
    )  # 3 business days
    assert final.kind is Kind.INCIDENT_REPORT and final.due == dt.date(
        2021, 7, 2
    )  # 30 days: Sun → Fri
    assert prevention.kind is Kind.RECURRENCE_PREVENTION and prevention.due == final.due
    assert {c.status for c in (first, final, prevention)} == {Status.OPEN}
    assert first.department == "収納課" and first.vendor == "株式会社サンプル収納サービス"
    assert "速報" in first.text and "確報" in final.text and "30日以内" in final.text

    alerts = store.claim_outbox(FRIDAY_EVENING + dt.timedelta(minutes=5))
    assert [(a.kind, a.recipient, a.stage) for a in alerts] == [
        ("alert", "secretariat", "incident")
    ]
    assert alerts[0].payload["conditions"] == list(incident.conditions)
    assert "誤送信" not in str(alerts[0].payload)  # the description stays out of the channel
    logged = store.events(f"incident:{incident.id}")[-1]
    assert logged.action == "incident_reported" and logged.reason == "メールの誤送信"

    second = report_incident(
        sample, "R2-15", kind=IncidentKind.UNAUTHORIZED_ACCESS, actor=SHUNO_OWNER,
        now=FRIDAY_EVENING,
    )  # fmt: skip
    assert second.conditions[0] == "R2-15-INC2-1"
    assert store.condition("R2-15-INC2-2").due == dt.date(2021, 8, 3)  # 60 days


def test_only_the_department_or_the_secretariat_reports(sample: Tracker) -> None:
    with pytest.raises(PermissionDenied):
        report_incident(
            sample, "R2-15", kind=IncidentKind.LOSS, actor=VACC_OWNER, now=FRIDAY_EVENING
        )
    assert sample.store.incidents() == []
    assert sample.store.find_condition("R2-15-INC1-1") is None
    report_incident(sample, "R2-16", kind=IncidentKind.LOSS, actor=SECRETARIAT, now=FRIDAY_EVENING)
    assert (
        sample.store.condition("R2-16-INC1-1").department == "新型コロナウイルスワクチン接種事業PT"
    )


def test_the_incident_reports_are_in_the_pack(sample: Tracker, tmp_path) -> None:
    report_incident(sample, "R2-15", kind=IncidentKind.LEAK, actor=SHUNO_OWNER, now=FRIDAY_EVENING)
    with sample.store.transaction():
        from duediligence.model import Meeting

        sample.store.save_meeting(
            Meeting(
                "R3-2", "東村山市個人情報保護運営審議会", dt.date(2021, 8, 18), "令和3年度第2回"
            )
        )
    pack = build_pack(
        sample.store, "R3-2", tmp_path / "pack", now=dt.datetime(2021, 8, 2, 9, tzinfo=TOKYO)
    )
    assert {"R2-15-INC1-1", "R2-15-INC1-2", "R2-15-INC1-3"} <= set(pack.condition_ids)
    markdown = pack.markdown.read_text(encoding="utf-8")
    assert "事故報告［R2-15-INC1-1］" in markdown and "再発防止策［R2-15-INC1-3］" in markdown


def test_cli_reports_and_lists(admin: AdminCli) -> None:
    admin.import_sample()
    reported = admin(
        "incident", "report", "R2-15", "--kind", "leak", "--description", "誤送信",
        "--as", SHUNO_OWNER, now="2021-06-04T19:30:00+09:00",
    )  # fmt: skip
    assert reported.exit_code == 0, reported.output
    assert "R2-15-INC1-1 [事故報告] 期限 2021-06-09" in reported.output
    listed = admin("incident", "list")
    assert "R2-15-INC1-1, R2-15-INC1-2, R2-15-INC1-3" in listed.output and "漏えい" in listed.output
    refused = admin("incident", "report", "R2-15", "--kind", "leak", "--as", VACC_OWNER)
    assert refused.exit_code == 1
    english = admin("--lang", "en", "incident", "list")
    assert "leak" in english.output
