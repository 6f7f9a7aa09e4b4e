"""Progress bars for long CLI work: shown on a terminal, nothing at all otherwise."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import SAMPLE, AdminCli

from duediligence.commands.progress import progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_counts_to_the_end() -> None:
    screen = Terminal()
    with progress_bar(27, "取り込み中", file=screen) as step:
        for _ in range(27):
            step(1)
    shown = screen.getvalue()
    assert "取り込み中" in shown and "27/27" in shown


def test_nothing_when_not_a_terminal() -> None:
    pipe = io.StringIO()
    with progress_bar(27, "取り込み中", file=pipe) as step:
        for _ in range(27):
            step(1)
    assert pipe.getvalue() == ""


def test_import_and_report_print_only_their_result_when_piped(
    admin: AdminCli, tmp_path: Path
) -> None:
    result = admin("import", str(SAMPLE), "--as", "U01JIMU0001")
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and "取り込み中" not in result.output
    report = admin("report", "--out", str(tmp_path / "pack"))
    assert report.exit_code == 0, report.output
    assert "報告資料を作成中" not in report.output
