"""Serving: signatures, retries handled once, health, Slack API errors, escaping, App Home."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from .conftest import (
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    SHUNO_OWNER,
    Failure,
    Harness,
    sign,
    text_of,
)
from .test_upload import ROSTER

pytestmark = pytest.mark.both_engines


def command_body(text: str = "") -> str:
    return str(
        httpx.QueryParams(
            {
                "command": "/dd-status",
                "text": text,
                "user_id": SECRETARIAT,
                "channel_id": "C1",
                "response_url": "http://127.0.0.1:9/x",
            }
        )
    )


def test_forged_and_stale_signatures_get_401(slack: Harness) -> None:
    body = command_body()
    forged = slack.post(
        body, "application/x-www-form-urlencoded", signature=sign(body, int(time.time()), "wrong")
    )
    assert forged.status_code == 401
    old = int(time.time()) - 600
    stale = slack.post(
        body, "application/x-www-form-urlencoded", timestamp=old, signature=sign(body, old)
    )
    assert stale.status_code == 401
    slack.settle()
    assert slack.fake.calls == []  # no listener ran


def test_health(slack: Harness) -> None:
    response = httpx.get(f"{slack.url}/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert httpx.get(f"{slack.url}/nowhere").status_code == 404


def test_an_event_delivered_twice_is_handled_once(slack: Harness) -> None:
    slack.dm(SHUNO_OWNER, "状況", event_id="Ev-twice")
    retry = slack.dm(
        SHUNO_OWNER,
        "状況",
        event_id="Ev-twice",
        headers={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"},
    )
    assert retry.status_code == 200
    slack.settle()
    assert len(slack.fake.of("chat.postMessage")) == 1


def test_rate_limit_waits_for_retry_after(slack: Harness) -> None:
    slack.fake.fail(
        "chat.postMessage",
        Failure(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"}),
    )
    slack.dm(SHUNO_OWNER, "状況")
    slack.settle()
    assert slack.sleeps == [7.0]
    assert len(slack.fake.of("chat.postMessage")) == 2  # refused once, then delivered


def test_not_in_channel_is_logged_and_the_app_carries_on(
    slack: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.slack.api")
    slack.fake.fail(
        "chat.postMessage",
        Failure(
            200,
            {"ok": False, "error": "not_in_channel"},
            when=lambda b: b.get("channel") == SECRETARIAT_CHANNEL,
        ),
    )
    slack.fake.add_file("F200", "roster.csv", ROSTER)
    slack.dm(SHUNO_OWNER, "R2-15-08", files=["F200"])
    slack.settle()
    assert any("not_in_channel" in r.getMessage() for r in caplog.records)
    with slack.store() as store:
        assert store.condition("R2-15-08").status == "submitted"  # the evidence is kept
    url = slack.command(SECRETARIAT, "R2-15-08")
    assert "提出済" in slack.answer_at(url)


def test_channel_not_found_is_not_retried(slack: Harness) -> None:
    slack.fake.fail("chat.postEphemeral", Failure(200, {"ok": False, "error": "channel_not_found"}))
    slack.event(
        {
            "type": "app_mention",
            "user": SECRETARIAT,
            "channel": "C0GONE",
            "text": "<@UBOT> 状況",
            "ts": "1.1",
        }
    )
    slack.settle()
    assert len(slack.fake.of("chat.postEphemeral")) == 1
    assert slack.sleeps == []
    # the answer still reaches the person, in their DM
    assert slack.fake.of("chat.postMessage")[0].body["channel"] == "D" + SECRETARIAT


def test_app_home_for_staff_and_secretariat(slack: Harness) -> None:
    slack.event({"type": "app_home_opened", "user": SHUNO_OWNER, "tab": "home"})
    slack.event({"type": "app_home_opened", "user": SECRETARIAT, "tab": "home"})
    slack.settle()
    views = {c.body["user_id"]: c.body["view"] for c in slack.fake.of("views.publish")}
    staff = json.dumps(views[SHUNO_OWNER], ensure_ascii=False)
    assert views[SHUNO_OWNER]["type"] == "home"
    assert "R2-15-01" in staff and "R2-16-01" not in staff and "求める資料" in staff
    secretariat = json.dumps(views[SECRETARIAT], ensure_ascii=False)
    assert "確認事項 計 27 件" in secretariat and "事務局の確認待ち(0 件)" in secretariat


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_status_reply_never_contains_raw_user_text(make_bot, lang: str) -> None:  # type: ignore[no-untyped-def]
    slack = make_bot(lang)
    url = slack.command(SECRETARIAT, "<!channel>")
    answer = slack.answer_at(url)
    assert "<!channel>" not in answer and "&lt;!channel&gt;" in answer
    assert "channel" in text_of(slack.fake.of("response")[0].body)
