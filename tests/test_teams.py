"""Teams notifications: the Workflows envelope, retries on 429 and 5xx, give-up on 4xx."""

from __future__ import annotations

import pytest
from fake_webhook import running_webhook

from bot.core.reply import Button, Field, Reply, Section
from bot.render.teams import CARD_CONTENT_TYPE, workflows_message
from bot.teams import TeamsDeliveryError, TeamsWebhook

DIGEST = Reply(
    text="週次ダイジェスト: 期限超過 3 件",
    sections=(
        Section(
            title="期限超過", items=("R2-15-01 収納課 10日超過", "R2-16-03 ワクチンPT 3日超過")
        ),
        Section(title="集計", fields=(Field("未提出", "12"), Field("確認待ち", "2"))),
        Section(text="<!channel> 株式会社テスト", buttons=(Button("details", "詳細"),)),
    ),
)


def test_envelope_and_card() -> None:
    message = workflows_message(DIGEST, footer="詳しくは /dd-status")
    assert message["type"] == "message"
    attachment = message["attachments"][0]
    assert attachment["contentType"] == CARD_CONTENT_TYPE
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [b.get("text", "") for b in card["body"]]
    assert texts[0] == "週次ダイジェスト: 期限超過 3 件"
    assert "- R2-15-01 収納課 10日超過\n- R2-16-03 ワクチンPT 3日超過" in texts
    facts = next(b for b in card["body"] if b["type"] == "FactSet")["facts"]
    assert facts == [{"title": "未提出", "value": "12"}, {"title": "確認待ち", "value": "2"}]
    assert "actions" not in card  # a webhook cannot call the bot back
    assert texts[-1] == "詳しくは /dd-status"


def test_500_then_200_delivers_the_card_once() -> None:
    waits: list[float] = []
    with running_webhook() as hook:
        hook.answer(500)
        TeamsWebhook(hook.url, sleep=waits.append).post(DIGEST)
    assert len(hook.received) == 2
    assert len(hook.delivered) == 1
    assert hook.delivered[0]["attachments"][0]["content"]["body"][0]["text"] == DIGEST.text
    assert waits == [1.0]


def test_429_waits_retry_after() -> None:
    waits: list[float] = []
    with running_webhook() as hook:
        hook.answer((429, {"Retry-After": "7"}), (503, {}))
        TeamsWebhook(hook.url, sleep=waits.append).post(DIGEST)
    assert waits == [7.0, 2.0]
    assert len(hook.delivered) == 1


def test_bad_request_is_not_retried() -> None:
    with running_webhook() as hook:
        hook.answer(400)
        with pytest.raises(TeamsDeliveryError, match="400"):
            TeamsWebhook(hook.url, sleep=lambda _: None).post(DIGEST)
    assert len(hook.received) == 1 and hook.delivered == []


def test_gives_up_after_bounded_attempts() -> None:
    with running_webhook() as hook:
        hook.answer(*([500] * 10))
        with pytest.raises(TeamsDeliveryError, match="500"):
            TeamsWebhook(hook.url, sleep=lambda _: None, max_attempts=3).post(DIGEST)
    assert len(hook.received) == 3 and hook.delivered == []


def test_unreachable_webhook_raises_after_retries() -> None:
    with running_webhook() as hook:
        url = hook.url
    with pytest.raises(TeamsDeliveryError):
        TeamsWebhook(url, sleep=lambda _: None, max_attempts=2).post(DIGEST)
