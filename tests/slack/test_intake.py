"""Registering a consultation and its conditions through modals, amending and withdrawing them.

The real bolt app over HTTP against the fake Web API: the App Home button opens the
registration modal, each submission updates the modal to the next step, the due date is
shown back (和暦 and ISO) before anything is saved, and the condition card's 変更 / 取消
record the meeting's decision; the owning department's DM shows the change at the next tick.
"""

from __future__ import annotations

import datetime as dt
import json

from bot.delivery.build import build_sender
from bot.scheduler import tick
from duediligence import Status

from .conftest import NOW, SECRETARIAT, SHUNO_OWNER, Harness, text_of

SOMU_OWNER = "U04SOMU0001"  # 総務課


def home_of(slack: Harness, user: str) -> dict:
    slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    slack.settle()
    return [c for c in slack.fake.of("views.publish") if c.body["user_id"] == user][-1].body["view"]


def actions_in(view_or_message: dict) -> list[str]:
    blocks = view_or_message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def submit(slack: Harness, user: str, callback: str, values: dict, metadata: str = "") -> dict:
    response = slack.submit_view(user, callback, values, metadata)
    assert response.status_code == 200, response.text
    slack.settle()
    return response.json() if response.content else {}


def add_condition(slack: Harness, metadata: str, values: dict) -> tuple[dict, str]:
    """The condition form, then its confirmation; returns the confirmation view and its text."""
    answer = submit(slack, SECRETARIAT, "register_condition", values, metadata)
    assert answer["response_action"] == "update", answer
    confirm = answer["view"]
    assert confirm["callback_id"] == "register_confirm"
    return confirm, json.dumps(confirm["blocks"], ensure_ascii=False)


def test_register_amend_and_withdraw_through_the_modals(slack: Harness) -> None:
    # The App Home offers the button to the secretariat only.
    assert "register_start" in actions_in(home_of(slack, SECRETARIAT))
    assert "register_start" not in actions_in(home_of(slack, SHUNO_OWNER))

    slack.click(SECRETARIAT, "register_start", "")
    slack.settle()
    opened = slack.fake.of("views.open")[-1].body["view"]
    assert opened["callback_id"] == "register_consultation"
    kinds = [b for b in opened["blocks"] if b.get("block_id") == "department"][0]["element"]
    assert kinds["type"] == "static_select"

    answer = submit(
        slack,
        SECRETARIAT,
        "register_consultation",
        {
            "meeting": "R2-6",
            "number": "令和2年度諮問第17号",
            "title": "防犯カメラ映像管理システム保守業務委託",
            "department": "総務課",
            "vendor": "株式会社サンプル警備",
        },
    )
    assert answer["response_action"] == "update"
    form = answer["view"]
    assert form["callback_id"] == "register_condition"
    shown = json.dumps(form["blocks"], ensure_ascii=False)
    assert "名簿" in shown and "雇用形態" in shown  # the kinds with their evidence rules
    metadata = form["private_metadata"]

    # A bad kind and an unreadable date are refused under their fields; nothing is saved.
    refused = submit(
        slack,
        SECRETARIAT,
        "register_condition",
        {"kind": "名薄", "text": "名簿を提出させる", "due": "そのうち"},
        metadata,
    )
    assert refused["response_action"] == "errors"
    assert "名簿 (roster)" in refused["errors"]["kind"]
    assert "そのうち" in refused["errors"]["due"]

    confirm, text = add_condition(
        slack,
        metadata,
        {
            "kind": "roster",
            "text": "保守に当たる従事者全員の名簿を提出させる(変更時を含む)",
            "due": "3月末",
            "vendor": "株式会社サンプル警備",
            "recurrence": "on_change",
        },
    )
    assert "「3月末」→ 令和3年3月31日(2021-03-31)" in text  # read back before saving
    with slack.store() as store:
        assert store.find_condition("R2-17-01") is None
    submit(slack, SECRETARIAT, "register_confirm", {"due": "3月末"}, confirm["private_metadata"])
    saved = slack.fake.of("chat.postMessage")[-1].body
    assert "R2-17-01" in text_of(saved) and "register_more" in actions_in(saved)

    slack.click(SECRETARIAT, "register_more", "R2-17|R2-6", channel="D" + SECRETARIAT)
    slack.settle()
    again = slack.fake.of("views.open")[-1].body["view"]
    assert again["callback_id"] == "register_condition"
    confirm, text = add_condition(
        slack,
        again["private_metadata"],
        {"kind": "pledge", "text": "従事者全員から秘密保持の誓約書を徴取する", "due": "次回審議会"},
    )
    assert "令和3年5月19日" in text and "2021-05-19" in text
    submit(
        slack, SECRETARIAT, "register_confirm", {"due": "次回審議会"}, confirm["private_metadata"]
    )

    with slack.store() as store:
        consultation = store.consultation("R2-17")
        assert consultation.department == "総務課" and consultation.meeting == "R2-6"
        assert [v.name for v in consultation.vendors] == ["株式会社サンプル警備"]
        first, second = store.condition("R2-17-01"), store.condition("R2-17-02")
        assert (first.due, str(first.recurrence)) == (dt.date(2021, 3, 31), "on_change")
        assert second.due == dt.date(2021, 5, 19) and second.department == "総務課"

    # The condition card's menu: amend the first, withdraw the second.
    card_url = slack.click(SECRETARIAT, "details", "R2-17-01")
    assert "amend_edit" in slack.answer_at(card_url) and "amend_withdraw" in slack.answer_at(
        card_url
    )
    slack.click(SECRETARIAT, "amend_edit", "R2-17-01")
    slack.settle()
    edit = slack.fake.of("views.open")[-1].body["view"]
    assert edit["callback_id"] == "amend_edit_form" and edit["private_metadata"] == "R2-17-01"
    submit(
        slack,
        SECRETARIAT,
        "amend_edit_form",
        {
            "meeting": "R3-1",
            "text": "保守に当たる従事者全員の名簿を提出させる(変更時を含む)",
            "due": "令和3年6月30日",
            "department": "総務課",
            "reason": "第1回審議会で提出期限を延ばした",
        },
        "R2-17-01",
    )
    slack.click(SECRETARIAT, "amend_withdraw", "R2-17-02")
    slack.settle()
    submit(
        slack,
        SECRETARIAT,
        "amend_withdraw_form",
        {"meeting": "令和3年度第1回", "reason": "会社の誓約書の写しで足りるとした"},
        "R2-17-02",
    )
    with slack.store() as store:
        assert store.condition("R2-17-01").due == dt.date(2021, 6, 30)
        amended = [e for e in store.events("R2-17-01") if e.action == "amended"]
        assert [(e.data["field"], e.data["meeting"]) for e in amended] == [("due", "R3-1")]
        assert store.condition("R2-17-02").status is Status.WITHDRAWN

    # The owning department's DM shows the change, old and new, at the next delivery.
    core = slack.bot.deps.core
    tick(build_sender(slack.bot.deps.settings, core), NOW + dt.timedelta(minutes=1))
    to_somu = [
        text_of(c.body)
        for c in slack.fake.of("chat.postMessage")
        if c.body.get("channel") == "D" + SOMU_OWNER
    ]
    changed = next(t for t in to_somu if "【変更】" in t)
    assert "R2-17-01" in changed and "令和3年3月31日" in changed and "令和3年6月30日" in changed
    assert "第1回審議会で提出期限を延ばした" in changed
    assert any("【取消】" in t and "R2-17-02" in t for t in to_somu)


def test_a_department_user_is_refused_and_nothing_changes(slack: Harness) -> None:
    url = slack.click(SHUNO_OWNER, "register_start", "", channel="D" + SHUNO_OWNER)
    assert "事務局のみ" in slack.answer_at(url)
    assert not [c for c in slack.fake.of("views.open")]
    with slack.store() as store:
        before = len(store.events())
    submit(
        slack,
        SHUNO_OWNER,
        "register_consultation",
        {"meeting": "R2-6", "title": "勝手な諮問", "department": "収納課"},
    )
    submit(
        slack,
        SHUNO_OWNER,
        "amend_withdraw_form",
        {"meeting": "R2-6", "reason": "自分で取り消したい"},
        "R2-15-12",
    )
    refusals = [
        text_of(c.body)
        for c in slack.fake.of("chat.postMessage")
        if c.body.get("channel") == "D" + SHUNO_OWNER
    ]
    assert len([t for t in refusals if "事務局のみ" in t]) == 2
    url = slack.click(SHUNO_OWNER, "details", "R2-15-12", channel="D" + SHUNO_OWNER)
    assert "amend_withdraw" not in slack.answer_at(url)
    with slack.store() as store:
        assert len(store.events()) == before
        assert store.find_consultation("R2-17") is None
        assert store.condition("R2-15-12").status is Status.OPEN
