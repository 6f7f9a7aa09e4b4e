"""parse_due against plain dateparser.parse on the same mixed due-date texts.

    python benchmarks/dates.py [--repeat 20]

For each reader: the share of texts read correctly (the right last day, or a refusal
for texts that name no day or an impossible one) and the mean time per call after
a warm-up. dateparser gets the same "today" as RELATIVE_BASE and nothing else: that
is what "plain" means here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duediligence.dates import parse_due  # noqa: E402
from duediligence.errors import DueDateError  # noqa: E402

TODAY = dt.date(2021, 2, 10)  # the seed meeting
D = dt.date
REFUSE = None  # the text names no day, or an impossible one: a reader should say so

#: (text, expected last day or REFUSE), as they appear in minutes, specifications and e-mails
CASES: list[tuple[str, dt.date | None]] = [
    # 和暦
    ("令和3年3月31日", D(2021, 3, 31)),
    ("令和元年5月1日", D(2019, 5, 1)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("R3.3.31", D(2021, 3, 31)),
    ("R3/3/31", D(2021, 3, 31)),
    ("H31.4.30", D(2019, 4, 30)),
    ("令和３年３月３１日", D(2021, 3, 31)),
    ("令和三年三月三十一日", D(2021, 3, 31)),
    ("平成 30 年 4 月 1 日", D(2018, 4, 1)),
    ("令和4年5月9日(月曜日)", D(2022, 5, 9)),
    ("令和3年2月10日(水) 午後5時30分～7時40分", D(2021, 2, 10)),
    ("平成33年3月31日", D(2021, 3, 31)),
    ("令和元年4月1日", REFUSE),
    ("令和3年2月30日", REFUSE),
    # ranges and 年度
    ("令和4年1月から令和4年6月まで", D(2022, 6, 30)),
    ("平成29年4月1日～平成32年3月31日", D(2020, 3, 31)),
    ("令和4年度", D(2023, 3, 31)),
    ("令和4年度末", D(2023, 3, 31)),
    ("年度末", D(2021, 3, 31)),
    ("今年度末", D(2021, 3, 31)),
    ("来年度末", D(2022, 3, 31)),
    ("上半期", D(2021, 9, 30)),
    ("第1四半期", D(2021, 6, 30)),
    ("平成26年度", D(2015, 3, 31)),
    # months, relative forms, deadlines
    ("3月末", D(2021, 3, 31)),
    ("12月中旬", D(2021, 12, 20)),
    ("1月下旬", D(2022, 1, 31)),
    ("2週間後", D(2021, 2, 24)),
    ("1か月後", D(2021, 3, 10)),
    ("10日以内", D(2021, 2, 20)),
    ("来週金曜", D(2021, 2, 19)),
    ("今週中", D(2021, 2, 12)),
    ("来月末", D(2021, 3, 31)),
    ("3月末までに", D(2021, 3, 31)),
    ("20日までに", D(2021, 2, 20)),
    ("令和3年3月31日迄", D(2021, 3, 31)),
    ("2月24日以降", D(2021, 2, 24)),
    ("2021年3月31日", D(2021, 3, 31)),
    ("2006年", D(2006, 12, 31)),
    # ISO and English
    ("2021-03-31", D(2021, 3, 31)),
    ("2021/3/31", D(2021, 3, 31)),
    ("end of March", D(2021, 3, 31)),
    ("next Friday", D(2021, 2, 12)),
    ("in 2 weeks", D(2021, 2, 24)),
    ("March 31, 2021", D(2021, 3, 31)),
    ("31 March 2021", D(2021, 3, 31)),
    ("end of next month", D(2021, 3, 31)),
    ("FY2021", D(2022, 3, 31)),
    # no day at all
    ("未定", REFUSE),
    ("随時", REFUSE),
    ("速やかに", REFUSE),
    ("次回審議会", REFUSE),
    ("now", REFUSE),
]


def _ours(text: str) -> dt.date | None:
    try:
        return parse_due(text, today=TODAY)
    except DueDateError:
        return None


def _plain_dateparser() -> Callable[[str], dt.date | None]:
    import dateparser

    base = dt.datetime.combine(TODAY, dt.time())

    def read(text: str) -> dt.date | None:
        found = dateparser.parse(text, settings={"RELATIVE_BASE": base})
        return found.date() if found else None

    return read


def _measure(read: Callable[[str], dt.date | None], repeat: int) -> tuple[int, float, list[str]]:
    wrong = [text for text, expected in CASES if read(text) != expected]  # also the warm-up
    start = time.perf_counter()
    for _ in range(repeat):
        for text, _expected in CASES:
            read(text)
    per_call = (time.perf_counter() - start) / (repeat * len(CASES))
    return len(CASES) - len(wrong), per_call, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over the inputs")
    parser.add_argument("--show-misses", action="store_true", help="list the texts read wrongly")
    args = parser.parse_args()
    print(f"{len(CASES)} texts, today = {TODAY}, {args.repeat} timed passes\n")
    print(f"{'reader':<24}{'read correctly':>18}{'per call':>12}")
    for name, read in (("parse_due", _ours), ("dateparser.parse", _plain_dateparser())):
        right, per_call, wrong = _measure(read, args.repeat)
        share = f"{right}/{len(CASES)} ({right / len(CASES):.0%})"
        print(f"{name:<24}{share:>18}{per_call * 1e6:>10.0f}µs")
        if args.show_misses:
            for text in wrong:
                print(f"    missed: {text}")


if __name__ == "__main__":
    main()
