"""Pledges in Slack: one scan per named person, coverage on the card, Accept refused until covered."""

from __future__ import annotations

import json

from .conftest import SECRETARIAT, SHUNO_OWNER, Harness, text_of
from .test_checks_roster import (
    GOOD,
    NAMES,
    PLEDGE_ITEM,
    ROSTER_ITEM,
    channel_cards,
    review_key,
    upload,
    xlsx,
)
from .test_upload import elements


def pledge_for_one_person(slack: Harness) -> str:
    """A roster of three, then one person's pledge scan; the review card's key."""
    upload(slack, SHUNO_OWNER, "FR1", "meibo.xlsx", xlsx(GOOD), ROSTER_ITEM)
    reply = upload(
        slack,
        SHUNO_OWNER,
        "FP1",
        "seiyaku-yamada.pdf",
        b"%PDF-1.4 pledge",
        f"{PLEDGE_ITEM} 山田　太郎さんの誓約書です",  # a full-width space, as people type it
    )
    assert "1人分の誓約書を記録しました" in reply and "1/3人" in reply
    assert "未提出: 佐藤 花子、鈴木 一郎" in reply  # names, privately, to the owner
    return review_key(channel_cards(slack)[-1])


def test_scan_naming_a_person_counts_and_the_card_shows_coverage_only(slack: Harness) -> None:
    pledge_for_one_person(slack)
    card = text_of(channel_cards(slack)[-1])
    assert "1/3人" in card and "名簿3行目の方の誓約書がありません" in card
    assert not any(name in card for name in NAMES)
    with slack.store() as store:
        [pledge] = store.latest_pledges("R2-15", "株式会社サンプル収納サービス").values()
        assert pledge.name == "山田 太郎" and pledge.after_leaving


def test_accept_is_refused_until_covered_then_overridden_with_a_reason(slack: Harness) -> None:
    key = pledge_for_one_person(slack)
    url = slack.click(SECRETARIAT, "review_accept", key)
    refusal = slack.answer_at(url)
    assert "誓約書が揃っていないため承認できません(1/3人)" in refusal
    slack.settle()
    assert slack.fake.of("chat.update") == []
    with slack.store() as store:
        assert store.condition(PLEDGE_ITEM).status == "submitted"
        assert store.card(key).decided_by is None  # the card can still be decided

    override = next(
        e
        for e in elements(slack.fake.of("response")[-1].body)
        if e["action_id"] == "pledge_override"
    )
    slack.click(SHUNO_OWNER, "pledge_override", override["value"])  # not the secretariat
    slack.settle()
    assert slack.fake.of("views.open") == []
    slack.click(SECRETARIAT, "pledge_override", override["value"])
    slack.settle()
    view = slack.fake.of("views.open")[-1].body["view"]
    assert view["callback_id"] == "pledge_override" and view["private_metadata"] == key

    empty = slack.submit_view(SECRETARIAT, "pledge_override", {"reason": " "}, key)
    assert "reason" in empty.json()["errors"]
    reason = "残り2名は派遣元の誓約書で確認済み(原本は所管課保管)"
    done = slack.submit_view(SECRETARIAT, "pledge_override", {"reason": reason}, key)
    assert done.status_code == 200 and not done.content
    slack.settle()
    with slack.store() as store:
        assert store.condition(PLEDGE_ITEM).status == "accepted"
        overridden = [e for e in store.events(PLEDGE_ITEM) if e.action == "coverage_overridden"]
        assert [e.reason for e in overridden] == [reason]
        assert overridden[0].data["covered"] == 1 and overridden[0].data["required"] == 3
    [update] = slack.fake.of("chat.update")
    assert elements(update.body) == [] and reason in text_of(update.body)


def test_home_shows_coverage_to_the_owner_and_the_secretariat(slack: Harness) -> None:
    pledge_for_one_person(slack)
    slack.event({"type": "app_home_opened", "user": SHUNO_OWNER, "tab": "home"})
    slack.event({"type": "app_home_opened", "user": SECRETARIAT, "tab": "home"})
    slack.settle()
    views = {c.body["user_id"]: c.body["view"] for c in slack.fake.of("views.publish")}
    assert "1/3人(名簿第1版)" in json.dumps(views[SHUNO_OWNER], ensure_ascii=False)
    secretariat = json.dumps(views[SECRETARIAT], ensure_ascii=False)
    assert PLEDGE_ITEM in secretariat and "誓約書 1/3人" in secretariat


def test_pledge_file_naming_nobody_is_kept_but_not_counted(slack: Harness) -> None:
    upload(slack, SHUNO_OWNER, "FR1", "meibo.xlsx", xlsx(GOOD), ROSTER_ITEM)
    reply = upload(slack, SHUNO_OWNER, "FP2", "scan.pdf", b"%PDF-1.4 pledges", PLEDGE_ITEM)
    assert "人数には数えていません" in reply and "0/3人" in reply
    with slack.store() as store:
        assert store.condition(PLEDGE_ITEM).status == "submitted"
        assert store.latest_pledges("R2-15", "株式会社サンプル収納サービス") == {}
