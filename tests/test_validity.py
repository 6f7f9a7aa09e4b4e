"""Evidence that expires: a valid-until date, reminders 60/30/7 days before, reopened after.

The clock travels day by day through a year; planning is the same call the
scheduler's tick makes.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from conftest import SECRETARIAT, SHUNO_OWNER, TOKYO, VACC_OWNER, AdminCli

from duediligence import EvidenceError, Status, TransitionError
from duediligence.reminders import plan_reminders, stage_label
from duediligence.tracker import Tracker
from duediligence.validity import lapse_expired

pytestmark = pytest.mark.both_engines

ISMS_ITEM = "R2-15-13"
OWNERS = ("U02SHUNO001", "shuno@city.example.lg.jp")
SUBMITTED_ON = dt.datetime(2021, 3, 1, 10, 0, tzinfo=TOKYO)
VALID_UNTIL = dt.date(2022, 3, 15)


def at(day: dt.date, hour: int = 9, minute: int = 5) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TOKYO)


def days(start: dt.date, end: dt.date):
    while start <= end:
        yield start
        start += dt.timedelta(days=1)


def accepted_with_term(t: Tracker, valid_until: dt.date = VALID_UNTIL) -> None:
    t.submit_evidence(
        ISMS_ITEM,
        io.BytesIO(b"%PDF ISMS certificate"),
        filename="isms.pdf",
        actor=SHUNO_OWNER,
        now=SUBMITTED_ON,
        effective=dt.date(2019, 3, 16),
        valid_until=valid_until,
    )
    t.accept(ISMS_ITEM, actor=SECRETARIAT, now=SUBMITTED_ON + dt.timedelta(days=1))


def lapse_entries(t: Tracker) -> list[tuple[dt.date, str, str]]:
    return sorted(
        (e.send_after.date(), e.stage, e.recipient)
        for e in t.store.outbox_entries(kind="evidence_expiry")
    )


def test_reminded_60_30_7_days_before_and_reopened_the_day_after(sample: Tracker) -> None:
    accepted_with_term(sample)
    evidence = sample.store.evidence_of(ISMS_ITEM)[-1]
    assert (evidence.effective, evidence.valid_until) == (dt.date(2019, 3, 16), VALID_UNTIL)

    for day in days(dt.date(2022, 1, 1), VALID_UNTIL):
        plan_reminders(sample.store, at(day))
        assert sample.store.condition(ISMS_ITEM).status is Status.ACCEPTED
    # 60 days before: Fri 14 Jan; 30 days before is Sun 13 Feb, and Fri 11 Feb is a national
    # holiday, so Thu 10 Feb; 7 days before: Tue 8 Mar. Each to both owners, once.
    expected = [
        (day, stage, owner)
        for day, stage in (
            (dt.date(2022, 1, 14), "lapse_60"),
            (dt.date(2022, 2, 10), "lapse_30"),
            (dt.date(2022, 3, 8), "lapse_7"),
        )
        for owner in sorted(OWNERS)
    ]
    assert lapse_entries(sample) == expected
    assert stage_label("lapse_30") == "有効期限の30日前"

    # The day after it lapses, just past midnight (no send hour for a state change).
    plan_reminders(sample.store, at(VALID_UNTIL + dt.timedelta(days=1), 0, 10))
    reopened = sample.store.condition(ISMS_ITEM)
    assert reopened.status is Status.OPEN
    assert reopened.due == VALID_UNTIL and reopened.is_overdue(VALID_UNTIL + dt.timedelta(days=1))
    lapsed = sample.store.events(ISMS_ITEM)[-1]
    assert lapsed.action == "lapsed" and lapsed.actor == "scheduler"
    assert lapsed.data["from"] == "accepted" and lapsed.data["valid_until"] == "2022-03-15"
    assert lapsed.data["old_due"] == "2021-03-10"
    # once reopened it is chased as an overdue item, and lapses only once
    assert lapse_expired(sample.store, at(dt.date(2022, 3, 17)), tz=TOKYO) == []


def test_a_reported_condition_reopens_and_must_be_reported_again(sample: Tracker) -> None:
    accepted_with_term(sample)
    sample.mark_reported(ISMS_ITEM, actor=SECRETARIAT, meeting="R3-1", now=at(dt.date(2021, 5, 20)))
    assert lapse_expired(sample.store, at(VALID_UNTIL), tz=TOKYO) == []
    assert lapse_expired(sample.store, at(dt.date(2022, 3, 16), 0, 1), tz=TOKYO) == [ISMS_ITEM]
    condition = sample.store.condition(ISMS_ITEM)
    assert condition.status is Status.OPEN and condition.reported_at_meeting is None
    assert sample.store.events(ISMS_ITEM)[-1].data["reported_at_meeting"] == "R3-1"


def test_the_renewal_is_taken_within_60_days_and_cancels_what_was_planned(
    sample: Tracker,
) -> None:
    accepted_with_term(sample)
    plan_reminders(sample.store, at(dt.date(2022, 1, 14)))
    # too early: the accepted item takes no new file half a year before it lapses
    with pytest.raises(TransitionError):
        sample.submit_evidence(
            ISMS_ITEM,
            io.BytesIO(b"new"),
            filename="isms-2023.pdf",
            actor=SHUNO_OWNER,
            now=at(dt.date(2021, 9, 1)),
        )
    renewed = sample.submit_evidence(
        ISMS_ITEM,
        io.BytesIO(b"%PDF ISMS certificate, renewed"),
        filename="isms-2023.pdf",
        actor=SHUNO_OWNER,
        now=at(dt.date(2022, 2, 1)),
        valid_until=dt.date(2025, 3, 15),
    )
    assert sample.store.condition(ISMS_ITEM).status is Status.SUBMITTED
    event = sample.store.events(ISMS_ITEM)[-1]
    assert event.action == "renewal_submitted" and event.data["valid_until"] == "2025-03-15"
    assert event.data["evidence_id"] == renewed.evidence.id
    sample.accept(ISMS_ITEM, actor=SECRETARIAT, now=at(dt.date(2022, 2, 2)))

    for day in days(dt.date(2022, 2, 3), dt.date(2022, 3, 20)):
        plan_reminders(sample.store, at(day))
    assert sample.store.condition(ISMS_ITEM).status is Status.ACCEPTED  # no lapse
    assert {stage for _, stage, _ in lapse_entries(sample)} == {"lapse_60"}
    # the planned but unsent 60-day reminder is cancelled when claimed: the file was renewed
    sample.store.claim_outbox(at(dt.date(2022, 2, 3)), limit=1000)
    stale = sample.store.outbox_entries(kind="evidence_expiry")
    assert {str(e.status) for e in stale} == {"cancelled"}
    assert {e.last_error for e in stale} == {"evidence renewed or condition reopened"}


def test_a_term_that_ends_before_it_starts_is_refused_and_stores_nothing(
    sample: Tracker,
) -> None:
    with pytest.raises(EvidenceError) as err:
        sample.submit_evidence(
            ISMS_ITEM,
            io.BytesIO(b"x"),
            filename="a.pdf",
            actor=SHUNO_OWNER,
            now=SUBMITTED_ON,
            effective=dt.date(2022, 1, 1),
            valid_until=dt.date(2021, 1, 1),
        )
    assert "有効期間" in err.value.render()
    assert sample.store.evidence_of(ISMS_ITEM) == []
    assert sample.store.condition(ISMS_ITEM).status is Status.OPEN


def test_only_the_owner_or_the_secretariat_records_a_term(sample: Tracker) -> None:
    sample.submit_evidence(
        ISMS_ITEM, io.BytesIO(b"x"), filename="a.pdf", actor=SHUNO_OWNER, now=SUBMITTED_ON
    )
    from duediligence import PermissionDenied

    with pytest.raises(PermissionDenied):
        sample.set_validity(ISMS_ITEM, actor=VACC_OWNER, now=SUBMITTED_ON, valid_until=VALID_UNTIL)
    found = sample.set_validity(
        ISMS_ITEM, actor=SECRETARIAT, now=SUBMITTED_ON, valid_until=VALID_UNTIL
    )
    assert found.valid_until == VALID_UNTIL
    event = sample.store.events(ISMS_ITEM)[-1]
    assert event.action == "validity_set" and event.data["old_valid_until"] is None


def test_cli_records_the_term_and_shows_it(admin: AdminCli, tmp_path) -> None:
    admin.import_sample()
    scan = tmp_path / "isms.pdf"
    scan.write_bytes(b"%PDF ISMS")
    added = admin(
        "evidence", "add", ISMS_ITEM, str(scan), "--as", SHUNO_OWNER,
        "--valid-until", "令和4年3月15日", "--effective", "2019-03-16",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    shown = json.loads(admin("show", ISMS_ITEM, "--json").output)
    assert shown["evidence"][0]["valid_until"] == "2022-03-15"
    assert shown["evidence"][0]["effective"] == "2019-03-16"
    assert "有効期限 2022-03-15" in admin("show", ISMS_ITEM).output

    moved = admin(
        "evidence", "validity", ISMS_ITEM, "--valid-until", "2023-03-15", "--as", SECRETARIAT
    )
    assert moved.exit_code == 0, moved.output
    assert "2023-03-15" in moved.output
    bad = admin("evidence", "validity", ISMS_ITEM, "--valid-until", "いつか", "--as", SECRETARIAT)
    assert bad.exit_code == 1
    shown = json.loads(admin("show", ISMS_ITEM, "--json").output)
    assert shown["evidence"][0]["valid_until"] == "2023-03-15"
    english = admin("--lang", "en", "evidence", "validity", ISMS_ITEM, "--valid-until",
                    "2024-03-15", "--as", SECRETARIAT)  # fmt: skip
    assert "valid until 2024-03-15" in english.output
