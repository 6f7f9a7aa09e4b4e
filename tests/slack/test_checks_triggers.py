"""Events in Slack: App Home button and form, the DM phrase, and the fiscal-year-end question."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.delivery.build import build_sender
from bot.scheduler import tick
from duediligence.business_calendar import BusinessCalendar
from duediligence.checks import triggers
from duediligence.reminders import plan_reminders

from .conftest import NOW, SECRETARIAT_CHANNEL, SHUNO_OWNER, TOKYO, VACC_OWNER, Harness, text_of
from .test_checks_roster import channel_cards, dm_to
from .test_upload import elements

FY_CHECK = "R2-16-07"


def home_buttons(slack: Harness, user: str) -> list[dict[str, Any]]:
    slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    slack.settle()
    view = slack.fake.of("views.publish")[-1].body["view"]
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_disk_replacement_from_app_home_opens_the_disposal_certificate(slack: Harness) -> None:
    buttons = home_buttons(slack, SHUNO_OWNER)
    reports = {e["value"] for e in buttons if e["action_id"] == "trigger_report"}
    assert reports == {"R2-15|contract_end", "R2-15|disk_replacement"}
    assert not any("R2-16" in v for v in reports)  # another department's events

    slack.click(SHUNO_OWNER, "trigger_report", "R2-15|disk_replacement", channel="")
    slack.settle()
    view = slack.fake.of("views.open")[-1].body["view"]
    assert view["callback_id"] == "trigger_report" and "R2-15-06" in json.dumps(
        view, ensure_ascii=False
    )
    bad = slack.submit_view(
        SHUNO_OWNER, "trigger_report", {"date": "いつか"}, view["private_metadata"]
    )
    assert "いつか" in bad.json()["errors"]["date"]
    with slack.store() as store:
        assert store.condition("R2-15-06").due is None  # still waiting

    done = slack.submit_view(
        SHUNO_OWNER,
        "trigger_report",
        {"date": "令和3年6月1日", "note": ""},
        view["private_metadata"],
    )
    assert done.status_code == 200 and not done.content
    slack.settle()
    with slack.store() as store:
        assert store.condition("R2-15-06").due == dt.date(2021, 6, 15)  # 10 business days later
        assert store.condition("R2-15-05").due is None  # the contract has not ended
    answer = dm_to(slack, SHUNO_OWNER)[-1]
    assert "ディスク交換" in answer and "R2-15-06: 期限 令和3年6月15日(2021-06-15)" in answer
    notice = text_of(channel_cards(slack)[-1])
    assert "収納課" in notice and "R2-15-06" in notice


def test_event_phrase_in_the_dm(slack: Harness) -> None:
    slack.dm(SHUNO_OWNER, "契約終了 R2-15 2022-03-31")
    slack.settle()
    due = BusinessCalendar().add_business_days(dt.date(2022, 3, 31), 10)
    with slack.store() as store:
        assert store.condition("R2-15-05").due == due
    assert (
        f"R2-15-05: 期限 令和4年4月{due.day}日({due.isoformat()})" in dm_to(slack, SHUNO_OWNER)[-1]
    )

    slack.dm(SHUNO_OWNER, "契約終了 R2-15 2022-03-31")  # the same event again
    slack.settle()
    assert "報告済み" in dm_to(slack, SHUNO_OWNER)[-1]

    slack.dm(SHUNO_OWNER, "ディスク交換 R9-99 今日")
    slack.settle()
    unknown = dm_to(slack, SHUNO_OWNER)[-1]
    assert (
        "「R9-99」は見つかりません" in unknown and "ディスク交換 R2-15 今日" in unknown
    )  # examples

    slack.dm(VACC_OWNER, "ディスク交換 R2-15 今日")  # not their department
    slack.settle()
    assert "「出来事の報告」の権限がありません" in dm_to(slack, VACC_OWNER)[-1]
    with slack.store() as store:
        assert store.condition("R2-15-06").due is None


def test_event_phrase_in_english(make_bot) -> None:  # type: ignore[no-untyped-def]
    slack = make_bot("en")
    slack.dm(SHUNO_OWNER, "disk replacement R2-15-06 today")
    slack.settle()
    due = BusinessCalendar().add_business_days(NOW.date(), 10)
    answer = dm_to(slack, SHUNO_OWNER)[-1]
    assert "Recorded 'disk replacement' of R2-15" in answer
    assert f"R2-15-06: due {due.isoformat()}" in answer
    with slack.store() as store:
        assert store.condition("R2-15-06").due == due


def ask_fiscal_year_question(slack: Harness) -> dict[str, Any]:
    """What the scheduler does at the year end: plan the questions, deliver them to the owners."""
    core = slack.bot.deps.core
    sender = build_sender(slack.bot.deps.settings, core, client=slack.bot.app.client)
    eve = dt.datetime(2021, 3, 30, 9, 30, tzinfo=TOKYO)
    assert [e for e in plan_reminders(core.store, eve) if e.kind == "question"] == []
    year_end = dt.datetime(2021, 3, 31, 9, 30, tzinfo=TOKYO)
    tick(sender, year_end)
    questions = core.store.outbox_entries(kind="question")
    assert {(e.recipient, e.occurrence, str(e.status)) for e in questions} == {
        ("U03VACC0001", "2020", "sent"),
        ("U03VACC0002", "2020", "sent"),
    }
    posted = [
        c.body
        for c in slack.fake.of("chat.postMessage")
        if c.body["channel"] == "D" + VACC_OWNER and "fy_yes" in str(c.body.get("blocks"))
    ]
    assert len(posted) == 1 and "令和2年度" in text_of(posted[0])
    return {e["action_id"]: e["value"] for e in elements(posted[0])}


def test_fiscal_year_question_answered_no_closes_the_year(slack: Harness) -> None:
    buttons = ask_fiscal_year_question(slack)
    url = slack.click(VACC_OWNER, "fy_no", buttons["fy_no"], channel="D" + VACC_OWNER)
    slack.settle()
    [response] = [c for c in slack.fake.of("response") if c.path.endswith(url.rsplit("/", 1)[1])]
    assert response.body["replace_original"] is True and elements(response.body) == []
    assert "保存なし" in text_of(response.body)
    with slack.store() as store:
        [answer] = store.fy_answers(FY_CHECK)
        assert (answer.fiscal_year, answer.kept, answer.opened) == (2020, False, None)
        assert store.condition(FY_CHECK).due is None  # keeps waiting for next year
    with slack.store() as store:
        assert triggers.fy_questions(store, dt.date(2021, 3, 31)) == []  # not asked again

    again = slack.click(VACC_OWNER, "fy_yes", buttons["fy_yes"], channel="D" + VACC_OWNER)
    slack.settle()
    assert "回答済み" in slack.answer_at(again)


def channel_posts(slack: Harness) -> list[Any]:
    return [
        c for c in slack.fake.of("chat.postMessage") if c.body["channel"] == SECRETARIAT_CHANNEL
    ]


def test_fiscal_year_question_answered_yes_opens_the_report(slack: Harness) -> None:
    buttons = ask_fiscal_year_question(slack)
    before = len(channel_posts(slack))  # the year-end tick's digest
    url = slack.click(VACC_OWNER, "fy_yes", buttons["fy_yes"], channel="D" + VACC_OWNER)
    due = BusinessCalendar().add_business_days(NOW.date(), 20)
    answer = slack.answer_at(url)
    assert "保存あり" in answer and FY_CHECK in answer and due.isoformat() in answer
    with slack.store() as store:
        assert store.condition(FY_CHECK).due == due
        assert [a.kept for a in store.fy_answers(FY_CHECK)] == [True]
    assert len(channel_posts(slack)) == before  # the answer goes to nobody else
