"""The status query, by slash command, in the DM and after an @mention, for each role and filter."""

from __future__ import annotations

from .conftest import (
    SECRETARIAT,
    SHUNO_BY_EMAIL,
    SHUNO_HEAD,
    SHUNO_OWNER,
    STRANGER,
    Harness,
    text_of,
)


def test_secretariat_gets_counts_overdue_and_due_soon(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT))
    assert "確認事項 計 27 件(期限超過 11 件)" in answer
    assert "期限超過" in answer
    assert "収納課" in answer and "新型コロナウイルスワクチン接種事業PT" in answer
    assert "R2-16-01" in answer  # due 令和3年2月24日, overdue on 15 March
    assert "期限が近いもの" in answer and "R2-15-11" in answer  # due 19 March
    call = slack.fake.of("response")[0]
    assert call.body["response_type"] == "ephemeral"


def test_overdue_filter_lists_only_overdue_items(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT, "overdue"))
    assert "R2-16-01" in answer and "R2-15-01" in answer
    assert "R2-15-16" not in answer  # due at the next meeting, not overdue
    assert "R2-15-11" not in answer  # due 19 March


def test_department_consultation_vendor_and_condition_filters(slack: Harness) -> None:
    by_department = slack.answer_at(slack.command(SECRETARIAT, "収納課"))
    assert "R2-15-01" in by_department and "R2-16-01" not in by_department

    by_consultation = slack.answer_at(slack.command(SECRETARIAT, "R2-16"))
    assert "R2-16-01" in by_consultation and "R2-15-01" not in by_consultation

    by_vendor = slack.answer_at(slack.command(SECRETARIAT, "サンプル予約システムズ株式会社"))
    assert "R2-16-05" in by_vendor and "R2-16-01" not in by_vendor

    one = slack.answer_at(slack.command(SECRETARIAT, "r2-15-08"))
    assert "R2-15-08" in one
    assert "令和3年3月31日" in one and "2021-03-31" in one
    assert "雇用形態" in one  # what evidence is expected for a roster


def test_unknown_filter_gets_help_not_an_error(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT, "存在しない課"))
    assert "「存在しない課」に該当する" in answer
    assert "overdue" in answer and "収納課" in answer


def test_staff_see_only_their_own_items(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SHUNO_OWNER))
    assert "あなたの担当の確認事項" in answer
    assert "R2-15-01" in answer and "R2-16-01" not in answer
    refused = slack.answer_at(slack.command(SHUNO_OWNER, "新型コロナウイルスワクチン接種事業PT"))
    assert "あなたの担当課ではない" in refused
    head = slack.answer_at(slack.command(SHUNO_HEAD, "overdue"))
    assert "R2-15-01" in head and "R2-15-16" not in head


def test_owner_named_by_email_is_resolved_once(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SHUNO_BY_EMAIL))
    assert "R2-15-01" in answer
    slack.answer_at(slack.command(SHUNO_BY_EMAIL))
    lookups = slack.fake.of("users.lookupByEmail")
    assert [c.body["email"] for c in lookups] == ["shuno@city.example.lg.jp"]
    with slack.store() as store:
        assert store.linked_user("shuno@city.example.lg.jp") == SHUNO_BY_EMAIL


def test_someone_unknown_is_told_how_to_get_registered(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(STRANGER))
    assert "登録されていません" in answer
    assert "R2-15" not in answer


def test_status_typed_in_the_dm(slack: Harness) -> None:
    slack.dm(SHUNO_OWNER, "状況 期限超過")
    call = slack.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == "D" + SHUNO_OWNER
    )[0]
    answer = text_of(call.body)
    assert "R2-15-01" in answer and "R2-15-11" not in answer


def test_status_after_a_mention_is_ephemeral(slack: Harness) -> None:
    slack.event(
        {
            "type": "app_mention",
            "user": SECRETARIAT,
            "channel": "C0GENERAL",
            "text": "<@UBOT> status R2-16",
            "ts": "1.2",
        }
    )
    call = slack.fake.wait_call("chat.postEphemeral")[0]
    assert call.body["user"] == SECRETARIAT and call.body["channel"] == "C0GENERAL"
    assert "R2-16-01" in text_of(call.body)


def test_english_replies(make_bot) -> None:  # type: ignore[no-untyped-def]
    slack = make_bot("en")
    answer = slack.answer_at(slack.command(SECRETARIAT, "overdue"))
    assert "27 conditions" not in answer  # narrowed
    assert "11 conditions (11 overdue)" in answer and "Matching conditions" in answer
    assert "days overdue" in answer and "2021-03-10 (令和3年3月10日)" in answer
    unknown = slack.answer_at(slack.command(SECRETARIAT, "nowhere"))
    assert "Nothing matches 'nowhere'" in unknown
    slack.dm(SHUNO_OWNER, "status")
    call = slack.fake.wait_call("chat.postMessage")[0]
    assert "Your conditions" in text_of(call.body)


def test_the_command_name_is_configurable(make_bot) -> None:  # type: ignore[no-untyped-def]
    slack = make_bot("ja", status_command="/kakunin")
    answer = slack.answer_at(slack.command(SECRETARIAT, "", command="/kakunin"))
    assert "確認事項 計 27 件(期限超過 11 件)" in answer
