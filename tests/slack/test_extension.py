"""Extension requests: the owner's modal takes parse_due text; the secretariat approves once."""

from __future__ import annotations

import datetime as dt

from .conftest import SECRETARIAT, SECRETARIAT_CHANNEL, SHUNO_OWNER, VACC_OWNER, Harness, text_of
from .test_upload import elements


def request_extension(slack: Harness, due_text: str = "令和3年4月30日") -> str:
    slack.click(SHUNO_OWNER, "extension_request", "R2-15-01", channel="D" + SHUNO_OWNER)
    slack.settle()
    view = slack.fake.of("views.open")[-1].body["view"]
    assert view["callback_id"] == "extension_request" and view["private_metadata"] == "R2-15-01"
    response = slack.submit_view(
        SHUNO_OWNER,
        "extension_request",
        {"new_due": due_text, "reason": "受託者の回答待ち"},
        "R2-15-01",
    )
    assert response.status_code == 200
    slack.settle()
    card = slack.fake.of("chat.postMessage")[-1]
    assert card.body["channel"] == SECRETARIAT_CHANNEL
    return next(e["value"] for e in elements(card.body) if e["action_id"] == "extension_approve")


def test_unreadable_date_is_shown_under_the_field(slack: Harness) -> None:
    response = slack.submit_view(
        SHUNO_OWNER, "extension_request", {"new_due": "そのうち", "reason": "待ち"}, "R2-15-01"
    )
    errors = response.json()["errors"]
    assert "そのうち" in errors["new_due"]


def test_approve_moves_the_due_date_once_and_logs_old_new_and_reason(slack: Harness) -> None:
    key = request_extension(slack)
    card = text_of(slack.fake.of("chat.postMessage")[-1].body)
    assert "令和3年4月30日" in card and "2021-03-10" in card

    refused = slack.click(VACC_OWNER, "extension_approve", key)
    assert "事務局だけ" in slack.answer_at(refused)
    slack.click(SECRETARIAT, "extension_approve", key)
    slack.click(SECRETARIAT, "extension_approve", key)
    slack.settle()
    with slack.store() as store:
        assert store.condition("R2-15-01").due == dt.date(2021, 4, 30)
        extended = [e for e in store.events("R2-15-01") if e.action == "extended"]
        assert len(extended) == 1
        assert extended[0].data == {"old_due": "2021-03-10", "new_due": "2021-04-30"}
        assert extended[0].reason == "受託者の回答待ち"
    assert len(slack.fake.of("chat.update")) == 1
    owner = [c for c in slack.fake.of("chat.postMessage") if c.body["channel"] == "D" + SHUNO_OWNER]
    assert "承認されました" in text_of(owner[-1].body)


def test_decline_keeps_the_due_date(slack: Harness) -> None:
    key = request_extension(slack, "2021-05-31")
    slack.click(SECRETARIAT, "extension_decline", key)
    slack.settle()
    with slack.store() as store:
        assert store.condition("R2-15-01").due == dt.date(2021, 3, 10)
        assert store.events("R2-15-01")[-1].action == "extension_declined"
