"""Due dates as Japanese offices write them: 和暦, 年度, 月末, relative forms, English, errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duediligence.dates import (
    ERAS,
    add_months,
    add_years,
    fiscal_year,
    fiscal_year_end,
    fiscal_year_start,
    format_wareki,
    parse_due,
)
from duediligence.errors import DueDateError
from duediligence.importer import import_file
from duediligence.store import Store

D = dt.date
MEETING = D(2021, 2, 10)  # the seed meeting (Wednesday)
ROOT = Path(__file__).resolve().parent.parent

# (text, today, expected due)
WAREKI = [
    ("令和3年3月31日", MEETING, D(2021, 3, 31)),
    ("令和元年5月1日", MEETING, D(2019, 5, 1)),
    ("平成31年4月30日", MEETING, D(2019, 4, 30)),
    ("R3.3.31", MEETING, D(2021, 3, 31)),
    ("R3/3/31", MEETING, D(2021, 3, 31)),
    ("R03.03.31", MEETING, D(2021, 3, 31)),
    ("r3-3-31", MEETING, D(2021, 3, 31)),
    ("H31.4.30", MEETING, D(2019, 4, 30)),
    ("R元.5.1", MEETING, D(2019, 5, 1)),
    ("Ｒ３．３．３１", MEETING, D(2021, 3, 31)),
    ("令和３年３月３１日", MEETING, D(2021, 3, 31)),
    ("令和三年三月三十一日", MEETING, D(2021, 3, 31)),
    ("平成三十一年四月三十日", MEETING, D(2019, 4, 30)),
    ("令和元年五月一日", MEETING, D(2019, 5, 1)),
    ("二〇二一年三月三十一日", MEETING, D(2021, 3, 31)),
    ("平成 30 年 4 月 1 日", MEETING, D(2018, 4, 1)),
    ("令和 元 年 5 月 1 日", MEETING, D(2019, 5, 1)),
    ("令和4年5月9日(月曜日)", MEETING, D(2022, 5, 9)),
    ("令和4年5月9日（火）", MEETING, D(2022, 5, 9)),  # the printed weekday is wrong: ignored
    ("令和4年5月9日月曜日", MEETING, D(2022, 5, 9)),
    ("令和4年5月9日(月・祝)", MEETING, D(2022, 5, 9)),
    ("令和3年3月31日 17時", MEETING, D(2021, 3, 31)),
    ("令和3年3月31日午後5時30分まで", MEETING, D(2021, 3, 31)),
    ("令和3年3月31日 17:00", MEETING, D(2021, 3, 31)),
    ("令和3年3月31日(水)正午必着", MEETING, D(2021, 3, 31)),
    ("令和3年3月31日(水)(必着)", MEETING, D(2021, 3, 31)),
    ("「令和3年3月31日」", MEETING, D(2021, 3, 31)),
    ("提出期限:令和3年3月31日", MEETING, D(2021, 3, 31)),
    ("平成33年3月31日", MEETING, D(2021, 3, 31)),  # Heisei running on past its end
    ("平成32年3月31日", MEETING, D(2020, 3, 31)),
    ("2021年3月31日", MEETING, D(2021, 3, 31)),
    ("令和3年", MEETING, D(2021, 12, 31)),
    ("令和3年3月", MEETING, D(2021, 3, 31)),
    ("R3.3", MEETING, D(2021, 3, 31)),
    ("令和3年12月中旬", MEETING, D(2021, 12, 20)),
    ("令和3年3月末日", MEETING, D(2021, 3, 31)),
]

RANGES = [
    ("令和4年1月から令和4年6月まで", MEETING, D(2022, 6, 30)),
    ("平成29年4月1日～平成32年3月31日", MEETING, D(2020, 3, 31)),
    ("平成29年4月1日〜平成32年3月31日", MEETING, D(2020, 3, 31)),
    ("令和3年3月1日~31日", MEETING, D(2021, 3, 31)),
    ("令和3年11月～2月", MEETING, D(2022, 2, 28)),  # the end's year follows the start
    ("令和4年1月から同年6月まで", MEETING, D(2022, 6, 30)),
    ("令和4年4月1日から1年間", MEETING, D(2023, 3, 31)),
    ("12月中旬～1月下旬", MEETING, D(2022, 1, 31)),
    ("～令和3年3月31日", MEETING, D(2021, 3, 31)),
    ("令和3年2月24日以降", MEETING, D(2021, 2, 24)),  # an open start: the date meant
    ("3月22日から", MEETING, D(2021, 3, 22)),
    ("令和元年度より前", MEETING, D(2019, 3, 31)),
    ("令和2年3月31日現在", MEETING, D(2020, 3, 31)),
    ("令和3年3月31日以前", MEETING, D(2021, 3, 31)),
]

FISCAL = [
    ("令和4年度", MEETING, D(2023, 3, 31)),
    ("令和4年度末", MEETING, D(2023, 3, 31)),
    ("令和元年度", MEETING, D(2020, 3, 31)),
    ("平成31年度", MEETING, D(2020, 3, 31)),
    ("2021年度", MEETING, D(2022, 3, 31)),
    ("R3年度末", MEETING, D(2022, 3, 31)),
    ("令和三年度末", MEETING, D(2022, 3, 31)),
    ("年度末", MEETING, D(2021, 3, 31)),
    ("今年度末", MEETING, D(2021, 3, 31)),
    ("本年度中", MEETING, D(2021, 3, 31)),
    ("年度内", MEETING, D(2021, 3, 31)),
    ("来年度末", MEETING, D(2022, 3, 31)),
    ("翌年度", MEETING, D(2022, 3, 31)),
    ("昨年度末", MEETING, D(2020, 3, 31)),
    ("上半期", MEETING, D(2021, 9, 30)),  # FY2020's first half is over: the next one
    ("下半期", MEETING, D(2021, 3, 31)),
    ("上期", D(2021, 4, 1), D(2021, 9, 30)),
    ("第1四半期", MEETING, D(2021, 6, 30)),
    ("第一四半期", MEETING, D(2021, 6, 30)),
    ("第3四半期", MEETING, D(2021, 12, 31)),
    ("第4四半期", MEETING, D(2021, 3, 31)),
    ("令和4年度第1四半期", MEETING, D(2022, 6, 30)),
    ("令和4年度上半期", MEETING, D(2022, 9, 30)),
    ("令和4年度下半期", MEETING, D(2023, 3, 31)),
]

MONTHS_AND_RELATIVE = [
    ("3月末", MEETING, D(2021, 3, 31)),
    ("3月末までに", MEETING, D(2021, 3, 31)),
    ("3月末迄", MEETING, D(2021, 3, 31)),
    ("3月", MEETING, D(2021, 3, 31)),
    ("1月末", MEETING, D(2022, 1, 31)),  # a month without a year: the next such month
    ("2月末", MEETING, D(2021, 2, 28)),  # …which may be the current one
    ("12月中旬", MEETING, D(2021, 12, 20)),
    ("12月上旬", MEETING, D(2021, 12, 10)),
    ("12月下旬", MEETING, D(2021, 12, 31)),
    ("4月初旬", MEETING, D(2021, 4, 10)),
    ("3月31日", MEETING, D(2021, 3, 31)),
    ("3/31", MEETING, D(2021, 3, 31)),
    ("2月9日", MEETING, D(2022, 2, 9)),
    ("2月10日", MEETING, D(2021, 2, 10)),
    ("月末", MEETING, D(2021, 2, 28)),
    ("今月末", MEETING, D(2021, 2, 28)),
    ("来月末", MEETING, D(2021, 3, 31)),
    ("来月10日", MEETING, D(2021, 3, 10)),
    ("再来月中旬", MEETING, D(2021, 4, 20)),
    ("来年3月", MEETING, D(2022, 3, 31)),
    ("年内", MEETING, D(2021, 12, 31)),
    ("今年中", MEETING, D(2021, 12, 31)),
    ("2週間後", MEETING, D(2021, 2, 24)),
    ("二週間以内", MEETING, D(2021, 2, 24)),
    ("1か月後", MEETING, D(2021, 3, 10)),
    ("1ヶ月以内", MEETING, D(2021, 3, 10)),
    ("一か月以内に", MEETING, D(2021, 3, 10)),
    ("半年後", MEETING, D(2021, 8, 10)),
    ("1年以内", MEETING, D(2022, 2, 10)),
    ("10日以内", MEETING, D(2021, 2, 20)),
    ("十日以内", MEETING, D(2021, 2, 20)),
    ("3日後", MEETING, D(2021, 2, 13)),
    ("5営業日以内", MEETING, D(2021, 2, 18)),  # 11th is a holiday, 13–14 a weekend
    ("来週金曜", MEETING, D(2021, 2, 19)),
    ("来週金曜日まで", MEETING, D(2021, 2, 19)),
    ("来週の月曜", MEETING, D(2021, 2, 15)),
    ("再来週の月曜", MEETING, D(2021, 2, 22)),
    ("今週金曜", MEETING, D(2021, 2, 12)),
    ("金曜日まで", MEETING, D(2021, 2, 12)),
    ("水曜日まで", MEETING, D(2021, 2, 10)),
    ("次の水曜日", MEETING, D(2021, 2, 17)),
    ("今週中", MEETING, D(2021, 2, 12)),
    ("今週中", D(2021, 2, 13), D(2021, 2, 14)),  # said on a Saturday: the week's Sunday
    ("来週中", MEETING, D(2021, 2, 19)),
    ("来週", MEETING, D(2021, 2, 19)),
    ("本日", MEETING, D(2021, 2, 10)),
    ("明日まで", MEETING, D(2021, 2, 11)),
    ("20日までに", MEETING, D(2021, 2, 20)),  # a day alone: the next 20th
    ("10日", MEETING, D(2021, 2, 10)),
    ("5日まで", MEETING, D(2021, 3, 5)),
    ("二十日まで", MEETING, D(2021, 2, 20)),
    ("29日", MEETING, D(2021, 3, 29)),  # February 2021 has no 29th
    ("31日", D(2021, 4, 1), D(2021, 5, 31)),
]

ISO_AND_ENGLISH = [
    ("2021-03-31", MEETING, D(2021, 3, 31)),
    ("2021-03-31T17:00:00+09:00", MEETING, D(2021, 3, 31)),
    ("2021/3/31", MEETING, D(2021, 3, 31)),
    ("2021/3/31 17:00", MEETING, D(2021, 3, 31)),
    ("2021.03.31", MEETING, D(2021, 3, 31)),
    ("20210331", MEETING, D(2021, 3, 31)),
    ("end of March", MEETING, D(2021, 3, 31)),
    ("End of March 2022", MEETING, D(2022, 3, 31)),
    ("end of January", MEETING, D(2022, 1, 31)),
    ("mid-March", MEETING, D(2021, 3, 20)),
    ("early April", MEETING, D(2021, 4, 10)),
    ("March 31, 2021", MEETING, D(2021, 3, 31)),
    ("31 March 2021", MEETING, D(2021, 3, 31)),
    ("31st of March", MEETING, D(2021, 3, 31)),
    ("Mar 5", MEETING, D(2021, 3, 5)),
    ("next Friday", MEETING, D(2021, 2, 12)),
    ("next Wednesday", MEETING, D(2021, 2, 17)),
    ("friday", MEETING, D(2021, 2, 12)),
    ("in 2 weeks", MEETING, D(2021, 2, 24)),
    ("within 10 days", MEETING, D(2021, 2, 20)),
    ("in a month", MEETING, D(2021, 3, 10)),
    ("within 5 business days", MEETING, D(2021, 2, 18)),
    ("3 weeks from now", MEETING, D(2021, 3, 3)),
    ("tomorrow", MEETING, D(2021, 2, 11)),
    ("today", MEETING, D(2021, 2, 10)),
    ("end of month", MEETING, D(2021, 2, 28)),
    ("end of next month", MEETING, D(2021, 3, 31)),
    ("by the end of next month", MEETING, D(2021, 3, 31)),
    ("end of the year", MEETING, D(2021, 12, 31)),
    ("end of the fiscal year", MEETING, D(2021, 3, 31)),
    ("end of next fiscal year", MEETING, D(2022, 3, 31)),
    ("FY2021", MEETING, D(2022, 3, 31)),
    ("end of this week", MEETING, D(2021, 2, 12)),
    ("next week", MEETING, D(2021, 2, 19)),
    ("until 2021-03-31", MEETING, D(2021, 3, 31)),
    ("no later than 31 March 2021", MEETING, D(2021, 3, 31)),
    ("from 1 April 2021 to 31 March 2022", MEETING, D(2022, 3, 31)),
    ("2021-04-01 to 2021-06-30", MEETING, D(2021, 6, 30)),
    ("before 2021-04-01", MEETING, D(2021, 3, 31)),
    # left to dateparser
    ("31.03.2021", MEETING, D(2021, 3, 31)),
    ("Wednesday, 31 March 2021 at 5pm", MEETING, D(2021, 3, 31)),
]

# Every date expression in the seed minutes (shared/seeds/council-minutes-2021-02-10.txt),
# read as of the meeting day.
SEED_MINUTES = [
    ("令和3年2月10日(水) 午後5時30分～7時40分", D(2021, 2, 10)),  # 開催日時
    ("令和2年度", D(2021, 3, 31)),  # 令和2年度第6回
    ("令和元年度", D(2020, 3, 31)),  # 届出書(令和元年度分)
    ("2006年", D(2006, 12, 31)),  # プライバシーマークを2006年に取っている
    ("2020年", D(2020, 12, 31)),  # 2020年の最新の認証更新
    ("2月24日以降", D(2021, 2, 24)),  # 2月24日以降に20回線
    ("令和3年2月24日以降", D(2021, 2, 24)),
    ("3月22日から", D(2021, 3, 22)),  # 3月22日から別途20回線
    ("平成26年度", D(2015, 3, 31)),  # 平成26年度に本審議会へ諮問
    ("1月下旬", D(2022, 1, 31)),  # 1月下旬にあった: no year, so the next January
    ("平成18年", D(2006, 12, 31)),  # 平成18年に小学校
    ("平成20年", D(2008, 12, 31)),  # 平成20年に保育園
    ("令和3年2月15日", D(2021, 2, 15)),  # 撮影は令和3年2月15日から
    ("年度末", D(2021, 3, 31)),  # 年度末にでも参考までに
    ("平成31年3月13日から令和2年3月31日まで", D(2020, 3, 31)),
    ("令和2年3月31日現在", D(2020, 3, 31)),
    ("令和元年度より前", D(2019, 3, 31)),
    ("今年度", D(2021, 3, 31)),  # 今年度第1回
]

ERA_EDGES = [
    ("明治45年7月29日", D(1912, 7, 29)),
    ("大正元年7月30日", D(1912, 7, 30)),
    ("大正15年12月24日", D(1926, 12, 24)),
    ("昭和元年12月25日", D(1926, 12, 25)),
    ("S64.1.7", D(1989, 1, 7)),
    ("昭和64年1月7日", D(1989, 1, 7)),
    ("平成元年1月8日", D(1989, 1, 8)),
    ("H1.1.8", D(1989, 1, 8)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("平成31年5月1日", D(2019, 5, 1)),  # Heisei runs on, as contracts did
    ("令和元年5月1日", D(2019, 5, 1)),
    ("令和元年5月", D(2019, 5, 31)),
    ("令和元年", D(2019, 12, 31)),
    ("令和元年度末", D(2020, 3, 31)),
]

FISCAL_EDGES = [  # (text, today, due)
    ("年度末", D(2021, 3, 31), D(2021, 3, 31)),
    ("年度末", D(2021, 4, 1), D(2022, 3, 31)),
    ("来年度末", D(2021, 3, 31), D(2022, 3, 31)),
    ("来年度末", D(2021, 4, 1), D(2023, 3, 31)),
    ("上半期", D(2021, 9, 30), D(2021, 9, 30)),
    ("上半期", D(2021, 10, 1), D(2022, 9, 30)),
    ("第4四半期", D(2022, 3, 31), D(2022, 3, 31)),
    ("第4四半期", D(2022, 4, 1), D(2023, 3, 31)),
    ("3月末", D(2021, 3, 31), D(2021, 3, 31)),
    ("3月末", D(2021, 4, 1), D(2022, 3, 31)),
]

LEAP = [
    ("令和2年2月29日", MEETING, D(2020, 2, 29)),
    ("2024年2月末", MEETING, D(2024, 2, 29)),
    ("2月末", D(2024, 1, 5), D(2024, 2, 29)),
    ("2月29日", D(2021, 3, 1), D(2024, 2, 29)),
    ("1か月後", D(2020, 1, 31), D(2020, 2, 29)),
    ("1年後", D(2020, 2, 29), D(2021, 2, 28)),
    ("29日", D(2024, 2, 1), D(2024, 2, 29)),
    ("29日", D(2023, 2, 1), D(2023, 3, 29)),
]

ALL = WAREKI + RANGES + FISCAL + MONTHS_AND_RELATIVE + ISO_AND_ENGLISH + LEAP


@pytest.mark.parametrize(("text", "today", "expected"), ALL, ids=[c[0] for c in ALL])
def test_reads_what_offices_write(text: str, today: dt.date, expected: dt.date) -> None:
    assert parse_due(text, today=today) == expected


@pytest.mark.parametrize(("text", "expected"), SEED_MINUTES, ids=[c[0] for c in SEED_MINUTES])
def test_every_date_in_the_seed_minutes(text: str, expected: dt.date) -> None:
    minutes = (ROOT.parent / "shared" / "seeds" / "council-minutes-2021-02-10.txt").resolve()
    if minutes.exists() and "以降" not in text and "から" not in text and "現在" not in text:
        # The expression is quoted from the minutes as written (modulo the suffix we read).
        body = minutes.read_text(encoding="utf-8")
        assert text.split("(")[0].split(" ")[0] in body
    assert parse_due(text, today=MEETING) == expected


@pytest.mark.parametrize(("text", "expected"), ERA_EDGES, ids=[c[0] for c in ERA_EDGES])
def test_era_edges(text: str, expected: dt.date) -> None:
    assert parse_due(text, today=MEETING) == expected


@pytest.mark.parametrize(("text", "today", "expected"), FISCAL_EDGES)
def test_fiscal_year_edges(text: str, today: dt.date, expected: dt.date) -> None:
    assert parse_due(text, today=today) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("令和元年4月1日", "error.due_date.before_era"),
        ("令和元年4月", "error.due_date.before_era"),
        ("平成元年1月7日", "error.due_date.before_era"),
        ("明治元年1月1日", "error.due_date.before_era"),
        ("令和3年2月30日", "error.due_date.nonexistent"),
        ("令和3年2月29日", "error.due_date.nonexistent"),
        ("令和3年13月1日", "error.due_date.nonexistent"),
        ("令和0年1月1日", "error.due_date.nonexistent"),
        ("2月30日", "error.due_date.nonexistent"),
        ("13月末", "error.due_date.nonexistent"),
        ("32日", "error.due_date.nonexistent"),
        ("2021-02-29", "error.due_date.nonexistent"),
        ("February 30, 2021", "error.due_date.nonexistent"),
        ("令和4年6月から令和4年1月まで", "error.due_date.range_reversed"),
        ("次回審議会", "error.due_date.next_meeting"),
        ("次回の審議会に報告", "error.due_date.next_meeting"),
        ("next_meeting", "error.due_date.next_meeting"),
        ("未定", "error.due_date"),
        ("随時", "error.due_date"),
        ("速やかに", "error.due_date"),
        ("令和○年○月○日", "error.due_date"),
        ("", "error.due_date"),
        ("   ", "error.due_date"),
        ("まで", "error.due_date"),
        ("今", "error.due_date"),
        ("now", "error.due_date"),
        ("3年度", "error.due_date"),
        ("asap", "error.due_date"),
        ("令和3年3月31日から未定", "error.due_date"),
    ],
)
def test_unreadable_or_impossible_dates_are_errors(text: str, key: str) -> None:
    with pytest.raises(DueDateError) as caught:
        parse_due(text, today=MEETING)
    assert caught.value.key == key


def test_errors_speak_japanese_by_default_and_english_on_request() -> None:
    with pytest.raises(DueDateError) as caught:
        parse_due("令和元年4月1日", today=MEETING)
    assert (
        str(caught.value)
        == "期限「令和元年4月1日」は令和の始まり(令和元年5月1日)より前の日付です。"
    )
    assert "before the 令和 era began" in caught.value.render("en")
    with pytest.raises(DueDateError) as caught:
        parse_due("未定", today=MEETING)
    assert "「未定」" in str(caught.value) and "令和3年3月31日" in str(caught.value)
    assert "Cannot read '未定'" in caught.value.render("en")


def test_a_date_passes_through_and_datetimes_are_cut_to_their_day() -> None:
    assert parse_due(D(2021, 3, 31), today=MEETING) == D(2021, 3, 31)
    moment = dt.datetime(2021, 3, 31, 23, 59)
    assert parse_due(moment, today=MEETING) == D(2021, 3, 31)
    assert parse_due("2週間後", today=dt.datetime(2021, 2, 10, 9)) == D(2021, 2, 24)  # type: ignore[arg-type]


def test_past_full_dates_are_kept_overdue_on_arrival() -> None:
    assert parse_due("令和2年4月1日", today=MEETING) == D(2020, 4, 1)


def test_format_wareki() -> None:
    assert format_wareki(D(2021, 3, 31)) == "令和3年3月31日"
    assert format_wareki(D(2019, 5, 1)) == "令和元年5月1日"
    assert format_wareki(D(2019, 4, 30)) == "平成31年4月30日"
    assert format_wareki(D(1989, 1, 8)) == "平成元年1月8日"
    assert format_wareki(D(1989, 1, 7)) == "昭和64年1月7日"
    assert format_wareki(D(1800, 1, 1)) == "1800-01-01"
    assert [name for name, _, _ in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]


@settings(max_examples=500, deadline=None)
@given(st.dates(min_value=D(1989, 1, 8), max_value=D(2050, 12, 31)))
def test_wareki_round_trip(day: dt.date) -> None:
    assert parse_due(format_wareki(day), today=MEETING) == day


def test_wareki_round_trip_every_day_at_the_era_change() -> None:
    day = D(2019, 4, 1)
    while day <= D(2019, 6, 1):
        assert parse_due(format_wareki(day), today=MEETING) == day
        day += dt.timedelta(days=1)


def test_fiscal_year_helpers() -> None:
    assert fiscal_year(D(2021, 3, 31)) == 2020
    assert fiscal_year(D(2021, 4, 1)) == 2021
    assert fiscal_year_start(D(2022, 1, 15)) == D(2021, 4, 1)
    assert fiscal_year_end(D(2021, 3, 31)) == D(2021, 3, 31)
    assert fiscal_year_end(D(2021, 4, 1)) == D(2022, 3, 31)
    assert add_years(D(2020, 2, 29), 1) == D(2021, 2, 28)
    assert add_years(D(2020, 2, 29), 4) == D(2024, 2, 29)
    assert add_months(D(2021, 1, 31), 1) == D(2021, 2, 28)
    assert add_months(D(2021, 12, 15), 2) == D(2022, 2, 15)
    assert add_months(D(2021, 3, 31), -1) == D(2021, 2, 28)


def test_importing_the_cli_or_dates_does_not_load_dateparser() -> None:
    code = (
        "import sys, duediligence.dates, duediligence.reminders, duediligence.cli;"
        "import datetime as dt;"
        "duediligence.dates.parse_due('令和3年3月31日', today=dt.date(2021, 2, 10));"
        "print('dateparser' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "False"


def test_the_importer_reads_due_dates_relative_to_the_meeting(tmp_path: Path) -> None:
    meeting_file = tmp_path / "meeting.yaml"
    meeting_file.write_text(
        textwrap.dedent(
            """\
            council: 〇〇市個人情報保護審議会
            meeting: {id: R2-6, date: 令和3年2月10日(水) 午後5時30分～7時40分}
            departments:
              - name: 収納課
                owners: [U02SHUNO001]
            consultations:
              - id: R2-15
                title: 収納代行業務委託
                department: 収納課
                decision: approved_with_conditions
                conditions:
                  - {id: a, kind: roster, text: 名簿, due: 2週間後}
                  - {id: b, kind: pledge, text: 誓約書, due: 令和三年三月末まで}
                  - {id: c, kind: other, text: 報告, due: 令和3年度末}
                  - {id: d, kind: other, text: 仕様, due: 来週金曜}
                  - {id: e, kind: other, text: 確認, due: R3.3.10}
            """
        ),
        encoding="utf-8",
    )
    store = Store.open(tmp_path / "dd.db")
    now = dt.datetime(2021, 6, 1, 10, tzinfo=dt.UTC)  # long after: relative forms ignore it
    import_file(store, meeting_file, actor="U01JIMU0001", now=now)
    dues = {c.id: c.due for c in store.conditions()}
    assert dues == {
        "a": D(2021, 2, 24),
        "b": D(2021, 3, 31),
        "c": D(2022, 3, 31),
        "d": D(2021, 2, 19),
        "e": D(2021, 3, 10),
    }
    store.close()
