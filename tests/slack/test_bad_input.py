"""The bad-input walk of the chat actions, through the real bolt App: each refusal says what
to do, and the database is unchanged. (The CLI's walk: tests/test_bad_input_commands.py.)"""

from __future__ import annotations

from .conftest import SECRETARIAT, SHUNO_OWNER, Harness
from .test_checks_roster import dm_to, upload


def _state(slack: Harness) -> tuple[object, ...]:
    with slack.store() as store:
        conditions = [(c.id, str(c.status), c.due) for c in store.conditions()]
        evidence = sum(len(store.evidence_of(c[0])) for c in conditions)
        return (len(store.events()), tuple(conditions), evidence)


def test_a_file_naming_an_unknown_condition_says_so_and_asks(slack: Harness) -> None:
    before = _state(slack)
    reply = upload(slack, SHUNO_OWNER, "FB1", "kaitou.pdf", b"%PDF answer", "R2-15-99 の回答です")
    assert "「R2-15-99」という確認事項はありません" in reply
    assert "どの確認事項" in reply  # the menu of the uploader's own items follows
    assert _state(slack) == before


def test_a_zip_for_a_certificate_is_refused_unread(slack: Harness) -> None:
    before = _state(slack)
    reply = upload(slack, SHUNO_OWNER, "FB2", "isms.zip", b"PK\x03\x04zip", "R2-15-13 登録証")
    assert "PDF" in reply and "isms.zip" in reply
    assert slack.fake.of("download") == []
    assert _state(slack) == before


def test_details_of_an_unknown_condition_says_what_was_meant(slack: Harness) -> None:
    before = _state(slack)
    url = slack.click(SHUNO_OWNER, "details", "r2-15-08", channel="D" + SHUNO_OWNER)
    assert "「R2-15-08」のことですか" in slack.answer_at(url)
    assert _state(slack) == before


def test_accept_on_a_card_for_an_open_item_says_what_to_do(slack: Harness) -> None:
    before = _state(slack)
    url = slack.click(SECRETARIAT, "review_accept", "review:R2-15-02:999")
    answer = slack.answer_at(url)
    slack.settle()
    assert "R2-15-02" in answer and "提出してから承認" in answer
    assert _state(slack) == before


def test_an_extension_into_the_past_is_shown_under_the_field(slack: Harness) -> None:
    before = _state(slack)
    # later than the due date (2021-03-10) but before today (2021-03-15)
    response = slack.submit_view(
        SHUNO_OWNER, "extension_request", {"new_due": "2021-03-12", "reason": "待ち"}, "R2-15-01"
    )
    assert "今日以降" in response.json()["errors"]["new_due"]
    assert _state(slack) == before


def test_an_event_years_ahead_is_refused_in_the_dm_and_in_the_form(slack: Harness) -> None:
    before = _state(slack)
    slack.dm(SHUNO_OWNER, "ディスク交換 R2-15 2031-01-01")
    slack.settle()
    assert "5年より先" in dm_to(slack, SHUNO_OWNER)[-1]
    form = slack.submit_view(
        SHUNO_OWNER, "trigger_report", {"date": "2031-01-01"}, "R2-15|disk_replacement"
    )
    assert "5年より先" in form.json()["errors"]["date"]
    assert _state(slack) == before


def test_a_renewal_in_the_future_is_shown_under_its_field(slack: Harness) -> None:
    upload(slack, SHUNO_OWNER, "FB3", "pmark.pdf", b"%PDF pmark", "R2-15-14 登録証")
    before = _state(slack)
    response = slack.submit_view(
        SHUNO_OWNER,
        "certificate_record",
        {"number": "10820001(07)", "renewed": "2022-08-01", "expires": "2024-07-31"},
        "R2-15-14",
    )
    assert "今日以前" in response.json()["errors"]["renewed"]
    assert _state(slack) == before


def test_a_report_for_an_unknown_meeting_name_lists_the_known_ones(
    slack: Harness,
) -> None:
    before = _state(slack)
    answer = slack.answer_at(slack.command(SECRETARIAT, "report 令和9年度第1回"))
    slack.settle()
    assert "登録されている会議" in answer and "R3-1" in answer
    assert _state(slack) == before
