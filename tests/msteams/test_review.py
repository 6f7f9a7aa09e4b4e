"""The secretariat's review in Teams: Accept / Return on the channel card, by role, pressed twice."""

from __future__ import annotations

from typing import Any

from .conftest import CHANNEL, SECRETARIAT, SHUNO_OWNER, Harness, buttons, visible

PDF = b"%PDF-1.4 confirmation\n" * 20
CARD = "application/vnd.microsoft.card.adaptive"


def _submitted(teams: Harness) -> tuple[str, str]:
    """R2-15-01 uploaded by its owner: (card key, the card's activity id in the channel)."""
    teams.upload(SHUNO_OWNER, "kakunin.pdf", PDF, "R2-15-01")
    with teams.store() as store:
        evidence = store.evidence_of("R2-15-01")[0]
        key = f"review:R2-15-01:{evidence.id}"
        card = store.card(key)
    assert card is not None and card.ts
    return key, card.ts


def _press(
    teams: Harness, user: str, action: str, key: str, ts: str, **data: Any
) -> dict[str, Any]:
    return teams.press(
        user,
        {"action": action, "value": key, **data},
        card=ts,
        scope="channel",
        conversation=CHANNEL,
    )


def _submit(teams: Harness, user: str, data: dict[str, Any], ts: str) -> dict[str, Any]:
    return teams.press(user, data, card=ts, scope="channel", conversation=CHANNEL)


def _owner_messages(teams: Harness) -> list[str]:
    return [visible(c) for c in teams.personal(SHUNO_OWNER)]


def test_staff_cannot_accept_and_nothing_changes(teams: Harness) -> None:
    key, ts = _submitted(teams)
    result = _press(teams, SHUNO_OWNER, "review_accept", key, ts)
    assert result["type"] == "application/vnd.microsoft.activity.message"
    assert "事務局" in result["value"]
    assert teams.fake.updated() == []
    with teams.store() as store:
        assert store.condition("R2-15-01").status == "submitted"
        assert store.card(key).decided_by is None  # type: ignore[union-attr]


def test_accept_pressed_twice_decides_once(teams: Harness) -> None:
    key, ts = _submitted(teams)
    first = _press(teams, SECRETARIAT, "review_accept", key, ts)
    assert first["type"] == CARD
    assert buttons(first["value"]) == []
    assert "承認" in visible(first["value"])
    updates = teams.fake.updated()
    assert [u.path.rsplit("/", 1)[-1] for u in updates] == [ts]  # replaced for everyone
    assert buttons(updates[0].cards()[0]) == []
    owner_before = _owner_messages(teams)
    assert any("承認" in m for m in owner_before)

    second = _press(teams, SECRETARIAT, "review_accept", key, ts)  # a double press
    assert second["type"] == CARD and buttons(second["value"]) == []
    assert "承認" in visible(second["value"])
    assert len(teams.fake.updated()) == 1
    assert _owner_messages(teams) == owner_before  # the owner heard once
    with teams.store() as store:
        assert store.condition("R2-15-01").status == "accepted"
        accepted = [e for e in store.events("R2-15-01") if e.action == "accepted"]
        assert len(accepted) == 1 and accepted[0].actor == SECRETARIAT


def test_return_asks_for_a_reason_in_the_card(teams: Harness) -> None:
    key, ts = _submitted(teams)
    form = _press(teams, SECRETARIAT, "review_return", key, ts)
    assert form["type"] == CARD
    inputs = [b for b in form["value"]["body"] if b.get("type") == "Input.Text"]
    assert [i["id"] for i in inputs] == ["reason"] and inputs[0]["isMultiline"] is True
    submit = buttons(form["value"])[0]

    empty = _submit(teams, SECRETARIAT, {**submit["data"], "reason": " "}, ts)
    assert empty["type"] == "application/vnd.microsoft.activity.message"
    with teams.store() as store:
        assert store.condition("R2-15-01").status == "submitted"

    reason = "連絡調整責任者の記載がありません"
    done = _submit(teams, SECRETARIAT, {**submit["data"], "reason": reason}, ts)
    assert done["type"] == CARD and buttons(done["value"]) == []
    assert reason in visible(done["value"])
    with teams.store() as store:
        assert store.condition("R2-15-01").status == "returned"
    assert any(reason in m for m in _owner_messages(teams))


def test_staff_cannot_return(teams: Harness) -> None:
    key, ts = _submitted(teams)
    result = _press(teams, SHUNO_OWNER, "review_return", key, ts)
    assert result["type"] == "application/vnd.microsoft.activity.message"
    data = {"action": "form_submit", "callback": "review_return", "metadata": key, "reason": "x"}
    forged = _submit(teams, SHUNO_OWNER, data, ts)
    assert forged["type"] == "application/vnd.microsoft.activity.message"
    with teams.store() as store:
        assert store.condition("R2-15-01").status == "submitted"


def test_refresh_shows_the_card_as_it_stands(teams: Harness) -> None:
    key, ts = _submitted(teams)
    before = _press(teams, SHUNO_OWNER, "refresh", key, ts)
    assert before["type"] == CARD
    assert {b["verb"] for b in buttons(before["value"])} == {"review_accept", "review_return"}
    _press(teams, SECRETARIAT, "review_accept", key, ts)
    after = _press(teams, SHUNO_OWNER, "refresh", key, ts)
    assert after["type"] == CARD and buttons(after["value"]) == []
    assert "承認" in visible(after["value"])
