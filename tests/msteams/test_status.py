"""The status query in Teams, by role, through the real SDK app and the fake connector."""

from __future__ import annotations

from .conftest import SECRETARIAT, SHUNO_BY_EMAIL, SHUNO_OWNER, STRANGER, Harness, visible


def test_secretariat_sees_counts_by_department(teams: Harness) -> None:
    teams.say(SECRETARIAT, "状況")
    cards = teams.personal(SECRETARIAT)
    assert len(cards) == 1
    shown = visible(cards[0])
    assert "確認事項 計" in shown
    assert "収納課" in shown and "新型コロナウイルスワクチン接種事業PT" in shown
    assert cards[0]["version"] == "1.5"


def test_owner_sees_only_their_department(teams: Harness) -> None:
    teams.say(SHUNO_OWNER, "状況")
    shown = visible(teams.personal(SHUNO_OWNER)[0])
    assert "あなたの担当の確認事項" in shown
    assert "R2-15-" in shown
    assert "R2-16-" not in shown


def test_owner_named_by_email_is_linked_through_the_connector(teams: Harness) -> None:
    teams.say(SHUNO_BY_EMAIL, "状況")
    shown = visible(teams.personal(SHUNO_BY_EMAIL)[0])
    assert "あなたの担当の確認事項" in shown
    lookups = teams.fake.of("GET", "/v3/conversations/")
    assert [c.path.rsplit("/", 1)[-1] for c in lookups] == [f"29:{SHUNO_BY_EMAIL}"]
    teams.say(SHUNO_BY_EMAIL, "状況")  # resolved once and stored: not asked again
    assert len(teams.fake.of("GET", "/v3/conversations/")) == 1
    with teams.store() as store:
        assert store.linked_user("shuno@city.example.lg.jp") == SHUNO_BY_EMAIL


def test_stranger_is_told_they_are_not_registered(teams: Harness) -> None:
    teams.say(STRANGER, "状況")
    assert "登録されていません" in visible(teams.personal(STRANGER)[0])


def test_anything_else_gets_help(teams: Harness) -> None:
    teams.say(SHUNO_OWNER, "こんにちは")
    assert "使い方" in visible(teams.personal(SHUNO_OWNER)[0])


def test_channel_mention_is_answered_in_the_personal_chat(teams: Harness) -> None:
    teams.say(SECRETARIAT, "<at>ddbot</at> 状況", scope="channel")
    assert "確認事項 計" in visible(teams.personal(SECRETARIAT)[0])
    in_channel = teams.fake.sent("19:secretariat@thread.tacv2")
    assert len(in_channel) == 1
    assert "確認事項 計" not in in_channel[0].text()
    assert "個人チャット" in in_channel[0].text()


def test_redelivered_activity_is_handled_once(teams: Harness) -> None:
    activity = teams.say(SECRETARIAT, "状況")
    response = teams.post(activity)  # Bot Framework sends the same activity again
    assert response.status_code == 200
    assert len(teams.personal(SECRETARIAT)) == 1
