"""Every allowed and refused step of a condition's lifecycle, by role."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import (
    MEETING_NIGHT,
    SAMPLE,
    SECRETARIAT,
    SHUNO_HEAD,
    SHUNO_OWNER,
    STRANGER,
    VACC_OWNER,
)

from duediligence import PermissionDenied, ReasonRequired, Status, TransitionError
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

LATER = MEETING_NIGHT + dt.timedelta(days=3)
ITEM = "R2-15-01"  # 収納課, report_back true, no recurrence


def _submit(t: Tracker, cid: str = ITEM, who: str = SHUNO_OWNER, body: bytes = b"answer") -> None:
    t.submit_evidence(cid, [body], filename="kaitou.pdf", actor=who, now=LATER)


def _to(t: Tracker, status: Status, cid: str = ITEM) -> None:
    """Bring *cid* to *status* by the allowed path."""
    if status is Status.OPEN:
        return
    if status is Status.WAIVED:
        t.waive(cid, actor=SECRETARIAT, reason="対象外", now=LATER)
        return
    _submit(t, cid)
    if status is Status.RETURNED:
        t.return_(cid, actor=SECRETARIAT, reason="押印がありません", now=LATER)
    elif status in (Status.ACCEPTED, Status.REPORTED):
        t.accept(cid, actor=SECRETARIAT, now=LATER)
        if status is Status.REPORTED:
            t.mark_reported(cid, actor=SECRETARIAT, meeting="R3-1", now=LATER)


def _act(t: Tracker, action: str, who: str, cid: str = ITEM) -> None:
    if action == "submit":
        _submit(t, cid, who, body=b"second version")
    elif action == "accept":
        t.accept(cid, actor=who, now=LATER)
    elif action == "return":
        t.return_(cid, actor=who, reason="不足があります", now=LATER)
    elif action == "waive":
        t.waive(cid, actor=who, reason="不要となった", now=LATER)
    elif action == "mark_reported":
        t.mark_reported(cid, actor=who, meeting="R3-1", now=LATER)


# (from status, action) -> resulting status, or None when the step is refused
TABLE: dict[tuple[Status, str], Status | None] = {
    (Status.OPEN, "submit"): Status.SUBMITTED,
    (Status.OPEN, "accept"): None,
    (Status.OPEN, "return"): None,
    (Status.OPEN, "waive"): Status.WAIVED,
    (Status.OPEN, "mark_reported"): None,
    (Status.SUBMITTED, "submit"): Status.SUBMITTED,
    (Status.SUBMITTED, "accept"): Status.ACCEPTED,
    (Status.SUBMITTED, "return"): Status.RETURNED,
    (Status.SUBMITTED, "waive"): Status.WAIVED,
    (Status.SUBMITTED, "mark_reported"): None,
    (Status.RETURNED, "submit"): Status.SUBMITTED,
    (Status.RETURNED, "accept"): None,
    (Status.RETURNED, "return"): None,
    (Status.RETURNED, "waive"): Status.WAIVED,
    (Status.RETURNED, "mark_reported"): None,
    (Status.ACCEPTED, "submit"): None,
    (Status.ACCEPTED, "accept"): None,
    (Status.ACCEPTED, "return"): None,
    (Status.ACCEPTED, "waive"): Status.WAIVED,
    (Status.ACCEPTED, "mark_reported"): Status.REPORTED,
    (Status.REPORTED, "submit"): None,
    (Status.REPORTED, "accept"): None,
    (Status.REPORTED, "return"): None,
    (Status.REPORTED, "waive"): None,
    (Status.REPORTED, "mark_reported"): None,
    (Status.WAIVED, "submit"): None,
    (Status.WAIVED, "accept"): None,
    (Status.WAIVED, "return"): None,
    (Status.WAIVED, "waive"): None,
    (Status.WAIVED, "mark_reported"): None,
}

ACTOR_FOR = {"submit": SHUNO_OWNER}


@pytest.mark.parametrize(("start", "action"), list(TABLE))
def test_transition_table(sample: Tracker, start: Status, action: str) -> None:
    _to(sample, start)
    events_before = len(sample.store.events(ITEM))
    expected = TABLE[(start, action)]
    who = ACTOR_FOR.get(action, SECRETARIAT)
    if expected is None:
        with pytest.raises(TransitionError):
            _act(sample, action, who)
        assert sample.store.condition(ITEM).status is start
        assert len(sample.store.events(ITEM)) == events_before
    else:
        _act(sample, action, who)
        assert sample.store.condition(ITEM).status is expected
        assert len(sample.store.events(ITEM)) == events_before + 1


ROLE_TABLE = [
    # action, actor, allowed
    ("submit", SHUNO_OWNER, True),
    ("submit", "shuno@city.example.lg.jp", True),  # an owner listed by e-mail
    ("submit", SHUNO_HEAD, True),
    ("submit", SECRETARIAT, False),  # the reviewer does not submit what it approves
    ("submit", VACC_OWNER, False),  # another department
    ("submit", STRANGER, False),
    ("accept", SECRETARIAT, True),
    ("accept", SHUNO_OWNER, False),
    ("accept", SHUNO_HEAD, False),
    ("accept", STRANGER, False),
    ("return", SECRETARIAT, True),
    ("return", SHUNO_OWNER, False),
    ("waive", SECRETARIAT, True),
    ("waive", SHUNO_OWNER, False),
    ("waive", STRANGER, False),
]


@pytest.mark.parametrize(("action", "who", "allowed"), ROLE_TABLE)
def test_roles(sample: Tracker, action: str, who: str, allowed: bool) -> None:
    if action in ("accept", "return"):
        _to(sample, Status.SUBMITTED)
    before = sample.store.condition(ITEM).status
    events_before = len(sample.store.events())
    if allowed:
        _act(sample, action, who)
        assert sample.store.condition(ITEM).status is not before
    else:
        with pytest.raises(PermissionDenied) as err:
            _act(sample, action, who)
        assert who in str(err.value)
        assert sample.store.condition(ITEM).status is before
        assert len(sample.store.events()) == events_before


def test_mark_reported_needs_secretariat(sample: Tracker) -> None:
    _to(sample, Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        sample.mark_reported(ITEM, actor=SHUNO_OWNER, meeting="R3-1", now=LATER)
    assert sample.store.condition(ITEM).status is Status.ACCEPTED


@pytest.mark.parametrize("reason", ["", "   "])
def test_return_and_waive_need_a_reason(sample: Tracker, reason: str) -> None:
    _to(sample, Status.SUBMITTED)
    with pytest.raises(ReasonRequired):
        sample.return_(ITEM, actor=SECRETARIAT, reason=reason, now=LATER)
    with pytest.raises(ReasonRequired):
        sample.waive(ITEM, actor=SECRETARIAT, reason=reason, now=LATER)
    assert sample.store.condition(ITEM).status is Status.SUBMITTED


def test_events_record_who_when_why(sample: Tracker) -> None:
    _to(sample, Status.RETURNED)
    returned = sample.store.events(ITEM)[-1]
    assert (returned.action, returned.actor, returned.reason) == (
        "returned",
        SECRETARIAT,
        "押印がありません",
    )
    assert returned.at == LATER
    assert returned.data == {"from": "submitted", "to": "returned"}


def test_not_reported_back_is_finished_at_accepted(sample: Tracker) -> None:
    cid = "R2-16-04"  # report_back: false
    sample.submit_evidence(cid, [b"x"], filename="a.pdf", actor=VACC_OWNER, now=LATER)
    done = sample.accept(cid, actor=SECRETARIAT, now=LATER)
    assert done.finished
    with pytest.raises(TransitionError) as err:
        sample.mark_reported(cid, actor=SECRETARIAT, meeting="R3-1", now=LATER)
    assert "報告を要しない" in str(err.value)
    with pytest.raises(TransitionError):
        sample.waive(cid, actor=SECRETARIAT, reason="x", now=LATER)


def test_unknown_meeting_refused(sample: Tracker) -> None:
    _to(sample, Status.ACCEPTED)
    with pytest.raises(Exception, match="R9-9"):
        sample.mark_reported(ITEM, actor=SECRETARIAT, meeting="R9-9", now=LATER)
    assert sample.store.condition(ITEM).status is Status.ACCEPTED


def test_yearly_condition_opens_next_occurrence(sample: Tracker) -> None:
    cid = "R2-RPT-01-1"  # yearly, due 2021-03-31, 総務課
    sample.submit_evidence(
        cid, [b"4 requests"], filename="count.pdf", actor="U04SOMU0001", now=LATER
    )
    sample.accept(cid, actor=SECRETARIAT, now=LATER)
    assert sample.store.find_condition(f"{cid}#2") is None  # not finished until reported
    sample.mark_reported(cid, actor=SECRETARIAT, meeting="R3-1", now=LATER)
    nxt = sample.store.condition(f"{cid}#2")
    assert (nxt.status, nxt.due, nxt.occurrence, nxt.series) == (
        Status.OPEN,
        dt.date(2022, 3, 31),
        2,
        cid,
    )
    assert sample.store.events(cid)[-1].action == "occurrence_opened"


def test_fiscal_year_end_condition_without_report_opens_next_on_accept(
    sample: Tracker, tmp_path
) -> None:
    from duediligence.importer import import_file

    text = SAMPLE.read_text(encoding="utf-8").replace(
        "        due: 令和3年3月31日\n        recurrence: yearly\n",
        "        due: 令和3年3月31日\n        recurrence: fiscal_year_end\n        report_back: false\n",
    )
    path = tmp_path / "fy.yaml"
    path.write_text(text, encoding="utf-8")
    import_file(sample.store, path, actor=SECRETARIAT, now=LATER)
    cid = "R2-RPT-01-1"
    assert sample.store.condition(cid).recurrence.value == "fiscal_year_end"
    sample.submit_evidence(cid, [b"cert"], filename="c.pdf", actor="U04SOMU0001", now=LATER)
    sample.accept(cid, actor=SECRETARIAT, now=LATER)  # finished at accepted: nothing to report
    nxt = sample.store.condition(f"{cid}#2")
    assert (nxt.due, nxt.status) == (dt.date(2022, 3, 31), Status.OPEN)


def test_waived_recurring_condition_ends_its_series(sample: Tracker) -> None:
    cid = "R2-RPT-01-1"
    sample.waive(cid, actor=SECRETARIAT, reason="カメラ撤去", now=LATER)
    assert sample.store.find_condition(f"{cid}#2") is None


def test_extension_moves_due_and_logs_old_and_new(sample: Tracker) -> None:
    sample.request_extension(
        ITEM, actor=SHUNO_OWNER, new_due=dt.date(2021, 3, 31), reason="受託者の回答待ち", now=LATER
    )
    with pytest.raises(PermissionDenied):
        sample.extend(ITEM, actor=SHUNO_OWNER, new_due=dt.date(2021, 3, 31), reason="x", now=LATER)
    sample.extend(
        ITEM, actor=SECRETARIAT, new_due=dt.date(2021, 3, 31), reason="受託者の回答待ち", now=LATER
    )
    assert sample.store.condition(ITEM).due == dt.date(2021, 3, 31)
    last = sample.store.events(ITEM)[-1]
    assert last.data == {"old_due": "2021-03-10", "new_due": "2021-03-31"}
    assert last.reason == "受託者の回答待ち"


def test_errors_render_in_english(sample: Tracker) -> None:
    with pytest.raises(PermissionDenied) as err:
        sample.accept(ITEM, actor=STRANGER, now=LATER)
    assert "may not accept" in err.value.render("en")
    assert "事務局のみ" in err.value.render("ja")
