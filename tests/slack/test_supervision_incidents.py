"""An incident reported in the Slack DM on a Friday evening: the reply names the report
conditions with their business-day deadlines, and the next tick alerts the secretariat channel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.config import BotSettings
from bot.core import Core
from bot.delivery.build import build_sender
from bot.scheduler import tick
from duediligence.config import Settings

from .conftest import (
    BOT_TOKEN,
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    SHUNO_OWNER,
    STRANGER,
    TOKYO,
    Harness,
    text_of,
)

FRIDAY_EVENING = dt.datetime(2021, 6, 4, 19, 30, tzinfo=TOKYO)


def dm_texts(slack: Harness, user: str, count: int = 1) -> list[str]:
    calls = slack.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == "D" + user, count
    )
    return [text_of(c.body) for c in calls]


def test_a_friday_evening_leak_alerts_the_secretariat_within_one_tick(
    make_bot: Callable[..., Harness], tmp_path
) -> None:
    slack = make_bot("ja", clock=lambda: FRIDAY_EVENING)
    slack.dm(SHUNO_OWNER, "漏えいが発生しました R2-15 メールの誤送信で住民3名分")
    slack.settle()
    reply = dm_texts(slack, SHUNO_OWNER)[0]
    assert "R2-15-INC1-1" in reply and "令和3年6月9日" in reply  # 速報: Wed, 3 business days
    assert "R2-15-INC1-2" in reply and "令和3年7月2日" in reply  # 確報: 30 days, Sun → Fri
    assert "R2-15-INC1-3" in reply and "再発防止策" in reply
    assert not [
        c for c in slack.fake.of("chat.postMessage") if c.body.get("channel") == SECRETARIAT_CHANNEL
    ]  # not yet: the tick delivers it

    settings = BotSettings(
        core=Settings(
            db=slack.db,
            evidence_dir=str(tmp_path / "evidence"),
            tz=TOKYO,
            lang="ja",
            secretariat_users=frozenset({SECRETARIAT}),
        ),
        bot_token=BOT_TOKEN,
        api_url=f"{slack.fake.url}/api/",
        secretariat_channel=SECRETARIAT_CHANNEL,
    )
    later = FRIDAY_EVENING + dt.timedelta(minutes=5)  # the next tick, still Friday evening
    core = Core(settings.core, clock=lambda: later, status_command=settings.status_command)
    try:
        result = tick(build_sender(settings, core), later)
    finally:
        core.close()
    assert result.sent >= 1
    alerts = [
        c for c in slack.fake.of("chat.postMessage") if c.body.get("channel") == SECRETARIAT_CHANNEL
    ]
    assert len(alerts) == 1
    alert = text_of(alerts[0].body)
    assert "至急" in alert and "R2-15" in alert and "漏えい" in alert
    assert "R2-15-INC1-1" in alert and "令和3年6月9日" in alert
    assert "誤送信" not in alert and "住民" not in alert  # the description stays in the DM


def test_the_case_is_named_or_the_reporters_only_one(make_bot: Callable[..., Harness]) -> None:
    slack = make_bot("ja", clock=lambda: FRIDAY_EVENING)
    slack.dm("U03VACC0001", "紛失しました 予約メモ1枚")  # the PT has one outsourcing: R2-16
    assert "R2-16-INC1-1" in dm_texts(slack, "U03VACC0001")[0]
    slack.dm(STRANGER, "漏えいが発生しました")
    asked = dm_texts(slack, STRANGER)[0]
    assert "どの委託" in asked and "登録されていません" in asked
    slack.dm(STRANGER, "漏えいが発生しました R2-15")
    refused = dm_texts(slack, STRANGER, 2)[1]
    assert "R2-15-INC1-1" not in refused and "所管課の担当者のみ" in refused
    with slack.store() as store:
        assert [i.consultation for i in store.incidents()] == ["R2-16"]
        assert store.find_condition("R2-15-INC1-1") is None


def test_english(make_bot: Callable[..., Harness]) -> None:
    slack = make_bot("en", clock=lambda: FRIDAY_EVENING)
    slack.dm(SHUNO_OWNER, "leak R2-15 wrong address")
    reply = dm_texts(slack, SHUNO_OWNER)[0]
    assert "Recorded the leak on R2-15" in reply and "R2-15-INC1-1" in reply
