"""``report MEETING`` in Slack names the meeting as people do: date, 和暦, name, next."""

from __future__ import annotations

import pytest

from .conftest import SECRETARIAT, Harness


@pytest.mark.parametrize(
    "meeting", ["2021-05-19", "令和3年5月19日", "令和3年度第一回", "next", "r3-1"]
)
def test_report_for_a_meeting_named_any_way_builds_its_pack(slack: Harness, meeting: str) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT, f"report {meeting}"))
    slack.settle()
    assert "令和3年度第1回 の報告資料" in answer
    [complete] = slack.fake.of("files.completeUploadExternal")
    assert "report-pack-R3-1" in str(slack.fake.of("files.getUploadURLExternal"))
    assert complete.body["channel_id"]


def test_a_day_without_a_meeting_lists_the_known_ones(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT, "report 2021-05-20"))
    slack.settle()
    assert "会議「2021-05-20」は登録されていません" in answer
    assert "R2-6" in answer and "R3-1" in answer
    assert slack.fake.of("files.getUploadURLExternal") == []
