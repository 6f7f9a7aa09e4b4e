"""Japanese business days: weekends, national holidays, the 12/29–1/3 closure, configurable."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duediligence.business_calendar import YEAR_END_CLOSURE, BusinessCalendar

D = dt.date
CAL = BusinessCalendar()


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2021, 4, 28), None),  # Wednesday
        (D(2021, 4, 29), "holiday"),  # 昭和の日
        (D(2021, 5, 1), "weekend"),
        (D(2021, 5, 3), "holiday"),  # 憲法記念日
        (D(2021, 5, 4), "holiday"),  # みどりの日
        (D(2021, 5, 5), "holiday"),  # こどもの日
        (D(2021, 5, 6), None),
        (D(2021, 7, 23), "holiday"),  # スポーツの日, moved for the Olympics
        (D(2021, 10, 11), None),  # …so the usual October Monday was a working day
        (D(2020, 5, 6), "holiday"),  # 振替休日
        (D(2019, 4, 30), "holiday"),  # 国民の休日 before the enthronement
        (D(2019, 5, 1), "holiday"),  # 天皇の即位の日
        (D(2021, 12, 28), None),
        (D(2021, 12, 29), "closure"),
        (D(2021, 12, 31), "closure"),
        (D(2022, 1, 1), "closure"),  # also a holiday: the closure is named first
        (D(2022, 1, 3), "closure"),
        (D(2022, 1, 4), None),
        (D(2022, 1, 10), "holiday"),  # 成人の日
    ],
)
def test_closed_days_and_why(day: dt.date, reason: str | None) -> None:
    assert CAL.closure(day) == reason
    assert CAL.is_business_day(day) is (reason is None)


def test_holiday_names_come_from_jpholiday() -> None:
    assert CAL.holiday_name(D(2021, 5, 3)) == "憲法記念日"
    assert CAL.holiday_name(D(2021, 5, 6)) is None


@pytest.mark.parametrize(
    ("day", "after", "before"),
    [
        (D(2021, 4, 28), D(2021, 4, 30), D(2021, 4, 27)),
        (D(2021, 4, 30), D(2021, 5, 6), D(2021, 4, 28)),  # Golden Week
        (D(2021, 5, 3), D(2021, 5, 6), D(2021, 4, 30)),
        (D(2021, 12, 28), D(2022, 1, 4), D(2021, 12, 27)),  # New Year
        (D(2022, 1, 1), D(2022, 1, 4), D(2021, 12, 28)),
        (D(2022, 1, 7), D(2022, 1, 11), D(2022, 1, 6)),  # 成人の日
    ],
)
def test_next_and_previous_business_day(day: dt.date, after: dt.date, before: dt.date) -> None:
    assert CAL.next_business_day(day) == after
    assert CAL.previous_business_day(day) == before


def test_roll_forward_and_back_keep_a_business_day() -> None:
    assert CAL.roll_forward(D(2021, 4, 28)) == D(2021, 4, 28)
    assert CAL.roll_back(D(2021, 4, 28)) == D(2021, 4, 28)
    assert CAL.roll_forward(D(2021, 5, 3)) == D(2021, 5, 6)
    assert CAL.roll_back(D(2021, 5, 3)) == D(2021, 4, 30)


def test_add_business_days_across_holidays_and_the_year_end() -> None:
    assert CAL.add_business_days(D(2021, 5, 10), -14) == D(2021, 4, 14)
    assert CAL.add_business_days(D(2021, 5, 10), -7) == D(2021, 4, 23)
    assert CAL.add_business_days(D(2021, 4, 28), 2) == D(2021, 5, 6)
    assert CAL.add_business_days(D(2021, 12, 27), 3) == D(2022, 1, 5)
    assert CAL.add_business_days(D(2022, 1, 5), -3) == D(2021, 12, 27)
    assert CAL.add_business_days(D(2021, 5, 3), 0) == D(2021, 5, 3)
    assert CAL.add_business_days(D(2021, 5, 3), 1) == D(2021, 5, 6)
    assert CAL.add_business_days(D(2021, 5, 3), -1) == D(2021, 4, 30)
    assert CAL.add_business_days(D(2019, 1, 4), 750) == _naive_add(D(2019, 1, 4), 750)


def test_business_days_between() -> None:
    assert CAL.business_days_between(D(2021, 5, 10), D(2021, 5, 17)) == 5
    assert CAL.business_days_between(D(2021, 5, 17), D(2021, 5, 10)) == -5
    assert CAL.business_days_between(D(2021, 4, 30), D(2021, 5, 6)) == 1
    assert CAL.business_days_between(D(2021, 12, 27), D(2022, 1, 5)) == 3
    assert CAL.business_days_between(D(2021, 5, 3), D(2021, 5, 3)) == 0
    assert CAL.business_days_between(D(2021, 5, 1), D(2021, 5, 5)) == 0
    assert list(CAL.business_days(D(2021, 4, 28), D(2021, 5, 7))) == [
        D(2021, 4, 28),
        D(2021, 4, 30),
        D(2021, 5, 6),
        D(2021, 5, 7),
    ]


def _naive_add(day: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        day += dt.timedelta(days=step)
        if CAL.is_business_day(day):
            left -= 1
    return day


@settings(deadline=None)  # the first call builds each year's table
@given(
    st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31)),
    st.integers(min_value=-400, max_value=400),
)
def test_adding_and_counting_agree_with_stepping_day_by_day(day: dt.date, n: int) -> None:
    moved = CAL.add_business_days(day, n)
    assert moved == _naive_add(day, n)
    if n:
        assert CAL.is_business_day(moved)
    if n >= 0 or CAL.is_business_day(day):
        assert CAL.business_days_between(day, moved) == n
    else:  # counting back from a closed day: the day itself is not counted
        assert CAL.business_days_between(day, moved) == n + 1
    assert CAL.business_days_between(moved, day) == -CAL.business_days_between(day, moved)


def test_closures_are_configurable() -> None:
    no_year_end = BusinessCalendar(closures=())
    assert no_year_end.is_business_day(D(2021, 12, 29))
    assert not no_year_end.is_business_day(D(2022, 1, 1))  # still 元日
    city = BusinessCalendar.from_spec("12/29-1/3, 5/14, 2021-08-13")
    assert city.closures[: len(YEAR_END_CLOSURE)] == YEAR_END_CLOSURE
    assert city.closure(D(2021, 5, 14)) == "closure"  # an annual municipal day
    assert city.closure(D(2022, 5, 13)) is None
    assert city.closure(D(2021, 8, 13)) == "closure"  # a one-off
    assert city.closure(D(2022, 8, 12)) is None
    assert BusinessCalendar.from_spec("none").closures == ()
    assert BusinessCalendar.from_spec("").is_business_day(D(2021, 12, 29))
    election = BusinessCalendar(open_dates=frozenset({D(2021, 10, 30)}))
    assert election.is_business_day(D(2021, 10, 30))
    assert election.add_business_days(D(2021, 10, 29), 1) == D(2021, 10, 30)
    six_days = BusinessCalendar(weekend=frozenset({6}))
    assert six_days.is_business_day(D(2021, 5, 8))
    no_holidays = BusinessCalendar(national_holidays=False)
    assert no_holidays.is_business_day(D(2021, 5, 3))


def test_a_bad_closure_spec_is_refused() -> None:
    with pytest.raises(ValueError, match="12/32x"):
        BusinessCalendar.from_spec("12/29-1/3, 12/32x")


def test_a_calendar_without_business_days_fails_loudly() -> None:
    never = BusinessCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError):
        never.roll_forward(D(2021, 5, 3))
