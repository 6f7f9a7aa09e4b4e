"""Certificates in Slack: scan in the DM, then number / latest renewal / expiry in a form."""

from __future__ import annotations

import datetime as dt

from .conftest import SECRETARIAT, SHUNO_OWNER, Harness, text_of
from .test_checks_roster import channel_cards, upload
from .test_upload import elements

PMARK = "R2-15-14"
ISMS = "R2-15-13"
VENDOR = "株式会社サンプル収納サービス"


def open_form(slack: Harness, condition: str) -> dict:
    slack.click(SHUNO_OWNER, "certificate_form", condition, channel="D" + SHUNO_OWNER)
    slack.settle()
    return slack.fake.of("views.open")[-1].body["view"]


def test_form_asks_for_the_scan_first(slack: Harness) -> None:
    url = slack.click(SHUNO_OWNER, "certificate_form", PMARK, channel="D" + SHUNO_OWNER)
    assert "先に登録証の写し" in slack.answer_at(url)
    slack.settle()
    assert slack.fake.of("views.open") == []


def test_certificate_form_updates_the_vendor_and_flags_an_expired_certificate(
    slack: Harness,
) -> None:
    reply = upload(slack, SHUNO_OWNER, "FC1", "pmark.pdf", b"%PDF-1.4 pmark", PMARK)
    assert "認証の登録" in reply  # the next step, offered with the receipt
    [card] = channel_cards(slack)
    assert "初回登録 2006-08-01" in text_of(card)  # what the import knew, before anything entered

    view = open_form(slack, PMARK)
    assert view["callback_id"] == "certificate_record" and view["private_metadata"] == PMARK
    assert {b["block_id"] for b in view["blocks"] if b["type"] == "input"} == {
        "number",
        "renewed",
        "expires",
    }  # the scheme is clear from the condition's text (プライバシーマーク)

    bad = slack.submit_view(
        SHUNO_OWNER,
        "certificate_record",
        {"number": "10820001(07)", "renewed": "そのうち", "expires": "2020-07-31"},
        PMARK,
    )
    assert "そのうち" in bad.json()["errors"]["renewed"]
    backwards = slack.submit_view(
        SHUNO_OWNER,
        "certificate_record",
        {"number": "10820001(07)", "renewed": "2018-08-01", "expires": "2018-07-31"},
        PMARK,
    )
    assert "expires" in backwards.json()["errors"]

    done = slack.submit_view(
        SHUNO_OWNER,
        "certificate_record",
        {"number": "10820001(07)", "renewed": "2018-08-01", "expires": "令和2年7月31日"},
        PMARK,
    )
    assert done.status_code == 200 and not done.content
    slack.settle()
    with slack.store() as store:
        held = {c.scheme: c for c in store.certifications(VENDOR)}
        pmark = held["PrivacyMark"]
        assert pmark.number == "10820001(07)"
        assert pmark.last_renewed == dt.date(2018, 8, 1)
        assert pmark.expires == dt.date(2020, 7, 31)
        assert pmark.first_registered == dt.date(2006, 8, 1)  # kept
        assert any(e.action == "certification_updated" for e in store.events(f"vendor:{VENDOR}"))

    owner = [c for c in slack.fake.of("chat.postMessage") if c.body["channel"] == "D" + SHUNO_OWNER]
    answer = text_of(owner[-1].body)
    assert "有効期限 2020-07-31" in answer and "切れています" in answer
    [update] = slack.fake.of("chat.update")  # the waiting review card, redrawn
    redrawn = text_of(update.body)
    assert (
        "最新更新日 2018-08-01" in redrawn and "認証の有効期限(2020-07-31)が切れています" in redrawn
    )
    assert {e["action_id"] for e in elements(update.body)} == {"review_accept", "review_return"}


def test_never_renewed_certificate_is_flagged_in_the_details(slack: Harness) -> None:
    url = slack.click(SECRETARIAT, "details", ISMS)
    details = slack.answer_at(url)
    assert "初回登録(2007-03-16)以降の更新が確認できません" in details
    assert "certificate_form" not in details  # the form button is for the owner
