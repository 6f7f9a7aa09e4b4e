"""The secretariat's review: Accept / Return only for the secretariat, each card decided once."""

from __future__ import annotations

import pytest

from .conftest import SECRETARIAT, SECRETARIAT_CHANNEL, SHUNO_OWNER, Harness, text_of
from .test_upload import ROSTER, elements

pytestmark = pytest.mark.both_engines


def submit_roster(slack: Harness) -> str:
    """Upload a roster for R2-15-08 and return its review card's key."""
    slack.fake.add_file("F100", "roster.csv", ROSTER)
    slack.dm(SHUNO_OWNER, "R2-15-08", files=["F100"])
    slack.settle()
    card = slack.fake.of("chat.postMessage")[-1]
    assert card.body["channel"] == SECRETARIAT_CHANNEL
    return next(e["value"] for e in elements(card.body) if e["action_id"] == "review_accept")


def test_accept_by_someone_else_is_refused_and_changes_nothing(slack: Harness) -> None:
    key = submit_roster(slack)
    url = slack.click(SHUNO_OWNER, "review_accept", key)
    assert "事務局だけ" in slack.answer_at(url)
    slack.settle()
    assert slack.fake.of("response")[0].body["response_type"] == "ephemeral"
    assert slack.fake.of("chat.update") == []
    with slack.store() as store:
        assert store.condition("R2-15-08").status == "submitted"
        # the roster upload is checked (roster_checked) right after it is submitted; nothing since
        assert [e.action for e in store.events("R2-15-08")][-2:] == ["submitted", "roster_checked"]


def test_accept_twice_acts_once_and_updates_the_card(slack: Harness) -> None:
    key = submit_roster(slack)
    slack.click(SECRETARIAT, "review_accept", key)
    second = slack.click(SECRETARIAT, "review_accept", key)
    slack.settle()
    with slack.store() as store:
        assert store.condition("R2-15-08").status == "accepted"
        assert [e.action for e in store.events("R2-15-08")].count("accepted") == 1
    updates = slack.fake.of("chat.update")
    assert len(updates) == 1
    assert updates[0].body["channel"] == SECRETARIAT_CHANNEL
    assert elements(updates[0].body) == []  # no buttons left to press
    assert "承認しました" in text_of(updates[0].body)
    answers = [text_of(c.body) for c in slack.fake.of("response")]
    assert any("既に判断済み" in a for a in answers)
    owner = [c for c in slack.fake.of("chat.postMessage") if c.body["channel"] == "D" + SHUNO_OWNER]
    assert "承認しました" in text_of(owner[-1].body)
    assert second


def test_return_asks_a_reason_and_tells_the_owner(slack: Harness) -> None:
    key = submit_roster(slack)
    slack.click(SECRETARIAT, "review_return", key)
    slack.settle()
    opened = slack.fake.of("views.open")[0]
    view = opened.body["view"]
    assert view["callback_id"] == "review_return" and view["private_metadata"] == key

    empty = slack.submit_view(SECRETARIAT, "review_return", {"reason": "  "}, key)
    assert empty.json()["response_action"] == "errors"

    done = slack.submit_view(SECRETARIAT, "review_return", {"reason": "雇用形態の欄が空です"}, key)
    assert done.status_code == 200 and not done.content
    slack.settle()
    with slack.store() as store:
        assert store.condition("R2-15-08").status == "returned"
        assert store.events("R2-15-08")[-1].reason == "雇用形態の欄が空です"
    owner = [c for c in slack.fake.of("chat.postMessage") if c.body["channel"] == "D" + SHUNO_OWNER]
    assert "雇用形態の欄が空です" in text_of(owner[-1].body)
    assert len(slack.fake.of("chat.update")) == 1


def test_return_form_submitted_by_someone_else_is_refused(slack: Harness) -> None:
    key = submit_roster(slack)
    url = slack.click(SHUNO_OWNER, "review_return", key)
    assert "事務局だけ" in slack.answer_at(url)
    slack.submit_view(SHUNO_OWNER, "review_return", {"reason": "自分で差し戻す"}, key)
    slack.settle()
    assert slack.fake.of("views.open") == []
    with slack.store() as store:
        assert store.condition("R2-15-08").status == "submitted"


def test_english_refusal(make_bot) -> None:  # type: ignore[no-untyped-def]
    slack = make_bot("en")
    key = submit_roster(slack)
    url = slack.click(SHUNO_OWNER, "review_accept", key)
    assert "Only the secretariat" in slack.answer_at(url)
