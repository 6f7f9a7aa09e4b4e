"""How long `duediligence draft` takes per 100 pages of minutes, and what a tokenizer would cost.

    .venv/bin/python benchmarks/draft.py                 # 100 pages, 5 runs
    .venv/bin/python benchmarks/draft.py --pages 1000 --runs 3

A page is 1,200 characters (40 × 30, an A4 page of Japanese minutes); the seed
minutes (16,900 characters, about 14 pages) are repeated, consultation headings
and all, to the size asked. The floor is reading the same text into lines and
sentences without the rules. Prints a Markdown table; --json writes the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duediligence.draft import draft_from_bytes  # noqa: E402
from duediligence.draft.minutes import minutes_from_text, split_sentences  # noqa: E402

PAGE = 1200
SEED = ROOT / "examples" / "council-minutes-2021-02-10.txt"


def minutes_of(pages: int) -> str:
    seed = SEED.read_text(encoding="utf-8")
    copies = -(-pages * PAGE // len(seed))
    return "\n".join([seed] * copies)


def timed(func, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    text = minutes_of(args.pages)
    data = text.encode("utf-8")
    today = dt.date(2021, 2, 10)
    draft_from_bytes(text[:2000].encode(), filename="warm.txt", today=today)  # compile patterns

    def floor() -> None:
        for _, line in minutes_from_text(text).lines:
            split_sentences(line)

    proposals = len(draft_from_bytes(data, filename="m.txt", today=today).proposals)
    seconds = timed(lambda: draft_from_bytes(data, filename="m.txt", today=today), args.runs)
    floor_seconds = timed(floor, args.runs)
    pages = len(text) / PAGE
    figures = {
        "pages": round(pages, 1),
        "characters": len(text),
        "proposals": proposals,
        "draft_s": round(seconds, 3),
        "per_100_pages_s": round(seconds / pages * 100, 3),
        "floor_s": round(floor_seconds, 3),
        "ratio_to_floor": round(seconds / floor_seconds, 1) if floor_seconds else None,
    }
    print("| pages | characters | proposals | draft | per 100 pages | floor (read) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {figures['pages']} | {len(text):,} | {proposals} | {seconds:.3f} s "
        f"| {figures['per_100_pages_s']:.3f} s | {floor_seconds:.3f} s "
        f"| {figures['ratio_to_floor']}x |"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
