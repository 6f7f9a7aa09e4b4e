"""Evidence with a term through the real bolt app: 「有効期限 …」 in the upload's message, the
60/30/7-day reminders delivered by the scheduler's tick, and the reopening the day after."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import BotSettings
from bot.core import Core
from bot.delivery.build import build_sender
from bot.delivery.sender import Sender
from bot.scheduler import tick
from duediligence.config import Settings
from duediligence.evidence import BlobStore
from duediligence.importer import import_file
from duediligence.store import Store
from duediligence.tracker import Tracker

from .conftest import (
    BOT_TOKEN,
    MEETING_NIGHT,
    SAMPLE,
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    SHUNO_BY_EMAIL,
    SHUNO_OWNER,
    TOKYO,
    FakeSlack,
    Harness,
    text_of,
)

ISMS_ITEM = "R2-15-13"


def dm_texts(slack: Harness, user: str, count: int = 1) -> list[str]:
    calls = slack.fake.wait_call(
        "chat.postMessage", lambda c: c.body.get("channel") == "D" + user, count
    )
    return [text_of(c.body) for c in calls]


def test_an_upload_naming_its_validity_records_it(slack: Harness) -> None:
    slack.fake.add_file("F101", "isms.pdf", b"%PDF ISMS certificate")
    slack.dm(SHUNO_OWNER, "R2-15-13 ISMS登録証です 有効期限 令和3年5月31日", files=["F101"])
    slack.settle()
    reply = dm_texts(slack, SHUNO_OWNER)[0]
    assert "R2-15-13" in reply and "有効期限" in reply and "令和3年5月31日" in reply
    with slack.store() as store:
        evidence = store.evidence_of(ISMS_ITEM)
        assert [e.valid_until for e in evidence] == [dt.date(2021, 5, 31)]
        assert store.condition(ISMS_ITEM).status == "submitted"
        assert store.events(ISMS_ITEM)[-1].data["valid_until"] == "2021-05-31"


def test_an_unreadable_validity_changes_nothing(slack: Harness) -> None:
    slack.fake.add_file("F102", "isms.pdf", b"%PDF ISMS certificate")
    slack.dm(SHUNO_OWNER, "R2-15-13 有効期限 そのうち", files=["F102"])
    slack.settle()
    reply = dm_texts(slack, SHUNO_OWNER)[0]
    assert "有効期限を読み取れませんでした" in reply
    assert slack.fake.of("download") == []  # refused before a byte was fetched
    with slack.store() as store:
        assert store.evidence_of(ISMS_ITEM) == []
        assert store.condition(ISMS_ITEM).status == "open"


def test_details_name_the_approving_body(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SHUNO_OWNER, ISMS_ITEM))
    assert "承認" in answer and "東村山市個人情報保護運営審議会（審議会）令和2年度第6回" in answer


# -- delivery on a travelled clock ---------------------------------------------------------------


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TOKYO)


@pytest.fixture
def clock() -> Clock:
    return Clock(at(dt.date(2021, 3, 1)))


@pytest.fixture
def sender(tmp_path: Path, fake: FakeSlack, clock: Clock) -> Iterator[Sender]:
    db = str(tmp_path / "validity.db")
    store = Store.open(db)
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    tracker = Tracker(store, BlobStore(tmp_path / "ev"))
    tracker.submit_evidence(
        ISMS_ITEM,
        io.BytesIO(b"%PDF ISMS"),
        filename="isms.pdf",
        actor=SHUNO_OWNER,
        now=at(dt.date(2021, 3, 1)),
        valid_until=dt.date(2021, 5, 31),
    )
    tracker.accept(ISMS_ITEM, actor=SECRETARIAT, now=at(dt.date(2021, 3, 2)))
    store.close()
    settings = BotSettings(
        core=Settings(
            db=db,
            evidence_dir=str(tmp_path / "ev"),
            tz=TOKYO,
            lang="ja",
            secretariat_users=frozenset({SECRETARIAT}),
        ),
        bot_token=BOT_TOKEN,
        api_url=f"{fake.url}/api/",
        secretariat_channel=SECRETARIAT_CHANNEL,
    )
    core = Core(settings.core, clock=clock, status_command=settings.status_command)
    yield build_sender(settings, core)
    core.close()


def test_lapse_reminders_are_delivered_and_the_condition_reopens(
    sender: Sender, fake: FakeSlack, clock: Clock
) -> None:
    day = dt.date(2021, 3, 25)
    while day <= dt.date(2021, 6, 1):
        clock.now = at(day)
        tick(sender, clock.now)
        day += dt.timedelta(days=1)
    lapse = [c for c in fake.of("chat.postMessage") if "有効期限が切れます" in text_of(c.body)]
    # 60 days before (Thu 1 Apr), 30 (Sat 1 May → Fri 30 Apr), 7 (Mon 24 May); two owners each
    assert len(lapse) == 6
    assert {c.body["channel"] for c in lapse} == {"D" + SHUNO_OWNER, "D" + SHUNO_BY_EMAIL}
    first = text_of(lapse[0].body)
    assert "R2-15-13" in first and "isms.pdf" in first and "あと 60 日" in first
    sent = sender.core.store.outbox_entries(kind="evidence_expiry", status="sent")
    assert sorted({(e.send_after.date(), e.stage) for e in sent}) == [
        (dt.date(2021, 4, 1), "lapse_60"),
        (dt.date(2021, 4, 30), "lapse_30"),
        (dt.date(2021, 5, 24), "lapse_7"),
    ]
    condition = sender.core.store.condition(ISMS_ITEM)
    assert condition.status == "open" and condition.due == dt.date(2021, 5, 31)
    lapsed = [e for e in sender.core.store.events(ISMS_ITEM) if e.action == "lapsed"]
    assert lapsed[0].at.astimezone(TOKYO).date() == dt.date(2021, 6, 1)
