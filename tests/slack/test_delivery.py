"""Delivery: the scheduler's ticks against the fake Slack Web API and a fake Teams webhook.

A month of ticks on an injected clock delivers exactly what was planned; a tick
run twice sends nothing twice; 429s are waited out; a `ddbot tick` killed with
SIGKILL between claim and send is recovered by the next tick; a Teams webhook
answering 500 then 200 gets the card once.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_webhook import running_webhook

from bot.config import BotSettings
from bot.core import Core
from bot.delivery.build import build_sender
from bot.delivery.sender import Sender
from bot.delivery.transports import ConsoleTransport
from bot.scheduler import tick
from duediligence.config import Settings
from duediligence.importer import import_file
from duediligence.store import Store

from .conftest import (
    BOT_TOKEN,
    MEETING_NIGHT,
    ROOT,
    SAMPLE,
    SECRETARIAT,
    SECRETARIAT_CHANNEL,
    TOKYO,
    WAIT,
    Failure,
    FakeSlack,
)

pytestmark = pytest.mark.both_engines

MONTH_START = dt.date(2021, 3, 1)  # Mondays 3/1, 3/8, 3/15, 3/22: four digests
MONTH_END = dt.date(2021, 3, 28)


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TOKYO)


@pytest.fixture
def db(db_url: str) -> str:
    path = db_url
    store = Store.open(path)
    import_file(store, SAMPLE, actor=SECRETARIAT, now=MEETING_NIGHT)
    store.close()
    return path


def settings_for(
    db: str, fake: FakeSlack, tmp_path: Path, *, teams: str = "", lang: str = "ja"
) -> BotSettings:
    return BotSettings(
        core=Settings(
            db=db,
            evidence_dir=str(tmp_path / "ev"),
            tz=TOKYO,
            lang=lang,
            secretariat_users=frozenset({SECRETARIAT}),
        ),
        bot_token=BOT_TOKEN,
        api_url=f"{fake.url}/api/",
        secretariat_channel=SECRETARIAT_CHANNEL,
        teams_webhook_url=teams,
    )


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(at(MONTH_START))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def sender(
    db: str, fake: FakeSlack, tmp_path: Path, clock: Clock, sleeps: list[float]
) -> Iterator[Sender]:
    settings = settings_for(db, fake, tmp_path)
    core = Core(settings.core, clock=clock, status_command=settings.status_command)
    yield build_sender(settings, core, sleep=sleeps.append)
    core.close()


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def posts(fake: FakeSlack) -> list:
    return fake.of("chat.postMessage")


def test_a_month_of_ticks_delivers_exactly_what_was_planned(
    sender: Sender, fake: FakeSlack, clock: Clock
) -> None:
    for day in days(MONTH_START, MONTH_END):
        for hour, minute in ((8, 0), (9, 30), (14, 0)):  # before the send hour, at it, and later
            clock.now = at(day, hour, minute)
            tick(sender, clock.now)
    store = sender.core.store
    entries = store.outbox_entries()
    statuses = Counter(str(e.status) for e in entries)
    assert statuses["sent"] > 0 and statuses["failed"] == 0 and statuses["sending"] == 0
    sent = [e for e in entries if str(e.status) == "sent"]
    # one chat.postMessage per sent entry, to the right place
    expected = Counter(
        SECRETARIAT_CHANNEL if e.recipient == "secretariat" else f"D{_user(e.recipient)}"
        for e in sent
    )
    assert Counter(c.body["channel"] for c in posts(fake)) == expected
    kinds = Counter(str(e.kind) for e in sent)
    assert kinds["digest"] == 4
    assert kinds["escalation"] > 0
    assert kinds["reminder"] > 0
    digest_days = sorted(e.send_after.date() for e in sent if str(e.kind) == "digest")
    assert digest_days == [
        dt.date(2021, 3, 1),
        dt.date(2021, 3, 8),
        dt.date(2021, 3, 15),
        dt.date(2021, 3, 22),
    ]
    escalations = [e for e in sent if str(e.kind) == "escalation"]
    assert {e.recipient for e in escalations} <= {"U02SHUNO900", "U03VACC0900", "U04SOMU0900"}
    heads = [c for c in posts(fake) if c.body["channel"] == "DU03VACC0900"]
    assert heads and "所属長" in heads[0].body["text"] and "日過ぎています" in heads[0].body["text"]
    # nothing goes out before the send hour or on a closed day (Saturday 3/20 is also 春分の日)
    assert all(e.send_after.hour == 9 for e in sent)
    assert all(
        e.send_after.weekday() < 5 and e.send_after.date() != dt.date(2021, 3, 20) for e in sent
    )
    # the e-mail owner was looked up once and then reached by id
    assert len(fake.of("users.lookupByEmail")) == 1
    assert any(c.body["channel"] == "DU02SHUNO002" for c in posts(fake))


def _user(recipient: str) -> str:
    return {"shuno@city.example.lg.jp": "U02SHUNO002"}.get(recipient, recipient)


def test_a_tick_run_twice_at_the_same_instant_sends_nothing_twice(
    sender: Sender, fake: FakeSlack
) -> None:
    now = at(dt.date(2021, 3, 15))
    first = tick(sender, now)
    count = len(posts(fake))
    second = tick(sender, now)
    assert first.sent == count > 0
    assert (second.planned, second.sent) == (0, 0)
    assert len(posts(fake)) == count


def test_two_ticks_at_once_each_entry_sent_once(db: str, fake: FakeSlack, tmp_path: Path) -> None:
    now = at(dt.date(2021, 3, 15))
    settings = settings_for(db, fake, tmp_path)
    cores = [Core(settings.core, clock=lambda: now) for _ in range(2)]
    senders = [build_sender(settings, core, sleep=lambda _: None) for core in cores]
    barrier = threading.Barrier(2)
    results = []

    def run(s: Sender) -> None:
        barrier.wait()
        results.append(tick(s, now))

    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    sent = cores[0].store.outbox_entries(status="sent")
    assert sum(r.sent for r in results) == len(sent) == len(posts(fake)) > 0
    for core in cores:
        core.close()


def test_rate_limits_are_waited_out_and_nothing_is_lost(
    sender: Sender, fake: FakeSlack, sleeps: list[float]
) -> None:
    limited = Failure(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"})
    fake.fail("chat.postMessage", limited)
    fake.fail(
        "chat.postMessage",
        Failure(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "3"}),
    )
    result = tick(sender, at(dt.date(2021, 3, 15)))
    assert sleeps[:2] == [7.0, 3.0]
    assert result.failed == result.retried == 0
    store = sender.core.store
    assert len(store.outbox_entries(status="sent")) == result.sent == len(store.outbox_entries())
    delivered = [c for c in posts(fake)]
    assert len(delivered) == result.sent + 2  # the two refused calls, then everything once


def test_transient_errors_back_off_and_permanent_ones_fail_into_the_digest(
    sender: Sender, fake: FakeSlack, clock: Clock
) -> None:
    now = at(dt.date(2021, 3, 15))
    fake.fail(
        "chat.postMessage",
        Failure(
            200,
            {"ok": False, "error": "internal_error"},
            when=lambda b: b.get("channel") == "DU03VACC0001",
        ),
    )
    fake.fail(
        "conversations.open",
        Failure(
            200,
            {"ok": False, "error": "user_not_found"},
            when=lambda b: b.get("users") == "U03VACC0002",
        ),
    )
    result = tick(sender, now)
    store = sender.core.store
    retry = [e for e in store.outbox_entries(status="pending") if e.recipient == "U03VACC0001"]
    failed = store.outbox_entries(status="failed")
    assert result.retried == len(retry) == 1
    assert retry[0].send_after > now and "internal_error" in (retry[0].last_error or "")
    assert {e.recipient for e in failed} == {"U03VACC0002"} and result.failed == len(failed)
    later = now + dt.timedelta(minutes=10)
    clock.now = later
    assert tick(sender, later).sent == 1  # the transient failure went out on the next pass
    digest = sender.core.digest_reply()
    text = digest.text + "".join(s.title + "".join(s.items) for s in digest.sections)
    assert "届けられなかった通知" in text and "U03VACC0002" in text and "user_not_found" in text


def test_console_transport_receives_the_same_deliveries(
    db: str, tmp_path: Path, fake: FakeSlack
) -> None:
    now = at(dt.date(2021, 3, 15))
    settings = settings_for(db, fake, tmp_path)
    settings = BotSettings(core=settings.core)  # no Slack token: the console is the transport
    core = Core(settings.core, clock=lambda: now)
    lines: list[str] = []
    console = ConsoleTransport(write=lines.append)
    result = tick(build_sender(settings, core, console=console), now)
    assert result.sent == len(console.delivered) > 0
    assert any("R2-16-01" in line and "超過" in line for line in lines)
    assert fake.calls == []
    core.close()


def test_teams_gets_the_digest_once_after_a_500(db: str, fake: FakeSlack, tmp_path: Path) -> None:
    now = at(dt.date(2021, 3, 17))  # Monday's digest caught up, and a 15-business-day escalation
    waits: list[float] = []
    with running_webhook() as hook:
        hook.answer(500)
        settings = settings_for(db, fake, tmp_path, teams=hook.url)
        core = Core(settings.core, clock=lambda: now)
        result = tick(build_sender(settings, core, sleep=waits.append), now)
        again = tick(build_sender(settings, core, sleep=waits.append), now)
        core.close()
    assert len(hook.received) == 1 + len(hook.delivered)
    cards = [b["attachments"][0]["content"] for b in hook.delivered]
    digests = [c for c in cards if "週次ダイジェスト" in c["body"][0]["text"]]
    assert len(digests) == 1
    escalations = [c for c in cards if c not in digests]
    assert escalations, [c["body"][0]["text"] for c in cards]
    assert all("所属長" in c["body"][0]["text"] for c in escalations)
    assert waits == [1.0]
    assert result.failed == 0 and again.sent == 0


def _tick_process(
    db: str, fake: FakeSlack, tmp_path: Path, now: dt.datetime
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DD_DATABASE_URL": db,
        "DD_EVIDENCE_DIR": str(tmp_path / "ev"),
        "DD_SECRETARIAT_USERS": SECRETARIAT,
        "DD_SECRETARIAT_CHANNEL": SECRETARIAT_CHANNEL,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": f"{fake.url}/api/",
    }
    env.pop("DD_TEAMS_WEBHOOK_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "tick", "--now", now.isoformat()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_killed_tick_is_recovered_by_the_next_with_nothing_lost(
    db: str, fake: FakeSlack, tmp_path: Path
) -> None:
    now = at(dt.date(2021, 3, 15))
    release = threading.Event()
    fake.holds["chat.postMessage"] = release
    process = _tick_process(db, fake, tmp_path, now)
    try:
        fake.wait_call("chat.postMessage")  # claimed, and the first send is in flight
        process.send_signal(signal.SIGKILL)
        assert process.wait(WAIT) == -signal.SIGKILL
    finally:
        del fake.holds["chat.postMessage"]
        release.set()
        if process.poll() is None:
            process.kill()
    store = Store.open(db)
    claimed = store.outbox_entries(status="sending")
    planned = store.outbox_entries()
    assert claimed and len(store.outbox_entries(status="sent")) == 0
    # Within the claim's lease another tick leaves the in-flight entries alone …
    early = _tick_process(db, fake, tmp_path, now + dt.timedelta(minutes=5))
    assert early.wait(WAIT) == 0
    assert {e.id for e in store.outbox_entries(status="sending")} == {e.id for e in claimed}
    # … and once the lease has run out, the next tick sends them.
    late = _tick_process(db, fake, tmp_path, now + dt.timedelta(minutes=20))
    assert late.wait(WAIT) == 0, late.stderr.read() if late.stderr else ""
    sent = store.outbox_entries(status="sent")
    assert len(sent) == len(planned)
    delivered = Counter(c.body["channel"] for c in posts(fake) if c.body.get("channel"))
    for entry in sent:
        target = (
            SECRETARIAT_CHANNEL
            if entry.recipient == "secretariat"
            else f"D{_user(entry.recipient)}"
        )
        assert delivered[target] >= 1
    # at most the single in-flight call was repeated
    assert len(posts(fake)) <= len(planned) + 1
    store.close()


def test_an_entry_delivered_days_late_says_what_is_true_that_day(
    sender: Sender, fake: FakeSlack, clock: Clock
) -> None:
    store = sender.core.store
    planned_on = at(dt.date(2021, 2, 24))  # R2-16-01..03 are due that day
    clock.now = planned_on
    from duediligence.reminders import plan_reminders

    plan_reminders(store, planned_on)
    claimed = store.claim_outbox(planned_on, limit=500)  # …and the sender dies before sending
    assert any(e.stage == "due_day" for e in claimed)
    clock.now = later = at(dt.date(2021, 2, 26))
    tick(sender, later)
    texts = [c.body["text"] for c in posts(fake) if c.body["channel"] == "DU03VACC0001"]
    assert texts and not any("本日が期限" in t for t in texts)
    assert any("R2-16-01" in t and "2 日" in t for t in texts), texts


def test_the_fiscal_year_end_question_is_asked_once_per_owner(
    sender: Sender, fake: FakeSlack, clock: Clock
) -> None:
    year_end = at(dt.date(2021, 3, 31))  # R2-16-07: "was data kept past 令和2年度?"
    clock.now = year_end
    tick(sender, year_end)
    questions = [c for c in posts(fake) if "fy_yes" in str(c.body.get("blocks"))]
    assert sorted(c.body["channel"] for c in questions) == ["DU03VACC0001", "DU03VACC0002"]
    assert "R2-16-07" in str(questions[0].body["blocks"])
    clock.now = later = year_end + dt.timedelta(hours=3)
    tick(sender, later)
    assert len([c for c in posts(fake) if "fy_yes" in str(c.body.get("blocks"))]) == 2


def test_an_answered_question_is_not_sent(sender: Sender, fake: FakeSlack, clock: Clock) -> None:
    from duediligence.checks.triggers import answer_fy_check
    from duediligence.reminders import plan_reminders

    year_end = at(dt.date(2021, 3, 31))
    clock.now = year_end
    store = sender.core.store
    planned = [e for e in plan_reminders(store, year_end) if str(e.kind) == "question"]
    assert len(planned) == 2
    answer_fy_check(
        sender.core.tracker(), "R2-16-07", kept=False, actor="U03VACC0001", now=year_end
    )
    tick(sender, year_end)
    assert not [c for c in posts(fake) if "fy_yes" in str(c.body.get("blocks"))]
    assert {str(e.status) for e in store.outbox_entries(kind="question")} == {"cancelled"}


def test_old_deliveries_are_pruned_but_their_history_stays(
    sender: Sender, fake: FakeSlack, clock: Clock
) -> None:
    store = sender.core.store
    march = at(dt.date(2021, 3, 15))
    clock.now = march
    first = tick(sender, march)
    assert first.sent > 0 and first.pruned == 0
    sent_events = [e for e in store.events() if e.action.endswith("_sent")]
    assert len(sent_events) == first.sent
    assert store.claim_delivery("event:Ev1", at=march)  # a Slack event id handled in March
    clock.now = later = at(dt.date(2021, 6, 21))  # more than 90 days on
    count = len(posts(fake))
    result = tick(sender, later)
    assert result.pruned == first.sent  # March's rows are gone …
    remaining = {e.id for e in store.outbox_entries()}
    assert remaining.isdisjoint({e.data["outbox"] for e in sent_events})
    assert [e for e in store.events() if e.action.endswith("_sent")][
        : len(sent_events)
    ] == sent_events
    assert len(posts(fake)) == count + result.sent  # … and nothing of March was sent again
    assert not any("R2-16-01 の期限まで" in c.body["text"] for c in posts(fake)[count:])
    assert store.claim_delivery("event:Ev1", at=later)  # the old event id was forgotten
