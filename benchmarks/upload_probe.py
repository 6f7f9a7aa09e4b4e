"""Peak memory of ingesting one large upload, in a fresh process so the number is clean.

    python benchmarks/upload_probe.py --file-id F --actor U --condition ID

Started by ``benchmarks/run.py`` with the bot's environment pointing at the fake
Slack server, which serves file *F*. The probe builds the bot as ``ddbot serve``
does, then takes the file through the same path a file dropped in the bot's DM
takes (:func:`bot.slack.uploads.take_file`: ``files.info``, the streamed
download by :class:`bot.slack.files.FileFetcher`, ``Tracker.submit_evidence``).
Before the upload it resets the kernel's peak-RSS mark (``/proc/self/clear_refs``),
so the peak afterwards is this upload's; it prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import BotSettings  # noqa: E402
from bot.slack.uploads import take_file  # noqa: E402
from bot.slack_app import build_app  # noqa: E402


def memory_kb(field: str) -> int:
    """VmRSS or VmHWM (the peak) of this process, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak() -> bool:
    """Make VmHWM start again from the current RSS (Linux 4.0+); False if not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file-id", required=True)
    parser.add_argument("--actor", required=True)
    parser.add_argument("--condition", required=True)
    args = parser.parse_args()
    bot = build_app(BotSettings.from_env())
    core = bot.deps.core
    before_status = core.store.condition(args.condition).status  # opens this thread's Store
    reset = reset_peak()
    before = memory_kb("VmRSS") if reset else memory_kb("VmHWM")
    started = time.perf_counter()
    take_file(bot.deps, actor=args.actor, file_id=args.file_id, text=args.condition, channel=None)
    seconds = time.perf_counter() - started
    peak = memory_kb("VmHWM")
    evidence = core.store.evidence_of(args.condition)
    stored = evidence[-1].size if evidence else 0
    after_status = core.store.condition(args.condition).status
    bot.close()
    print(
        json.dumps(
            {
                "rss_before_mb": before / 1024,
                "rss_peak_mb": peak / 1024,
                "growth_mb": (peak - before) / 1024,
                "seconds": seconds,
                "stored_bytes": stored,
                "status": f"{before_status} -> {after_status}",
                "peak_reset": reset,
            }
        )
    )


if __name__ == "__main__":
    main()
