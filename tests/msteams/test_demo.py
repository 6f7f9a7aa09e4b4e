"""``ddbot demo --transport teams``: the same walk, every reply drawn as the Teams card it becomes."""

from __future__ import annotations

from pathlib import Path

from bot.core import Button, Reply, Section
from bot.demo import run_demo
from bot.render.card_text import preview

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "council-2021-02-10.yaml"


def test_the_walk_is_drawn_as_teams_cards(tmp_path: Path) -> None:
    lines: list[str] = []
    result = run_demo(
        SAMPLE,
        db=tmp_path / "demo.db",
        out_dir=tmp_path / "out",
        write=lines.append,
        transport="teams",
    )
    transcript = "\n".join(lines)
    assert transcript.count("┌─ Teams (Adaptive Card 1.5)") > 10
    assert (
        "承認]" in transcript and "差戻し]" in transcript
    )  # the review card's Action.Execute buttons
    assert "■ 確認結果" in transcript
    assert any(p.name.endswith(".docx") for p in result.files)


def test_preview_numbers_buttons_as_the_console_presses_them() -> None:
    pressed: list[object] = []

    def number(control: object) -> int:
        pressed.append(control)
        return len(pressed)

    reply = Reply(
        "見出し",
        (
            Section(
                text="本文",
                buttons=(
                    Button("review_accept", "承認", "k"),
                    Button("review_return", "差戻し", "k"),
                ),
            ),
        ),
    )
    drawn = preview(reply, number)
    assert "[1 承認] [2 差戻し]" in drawn
    assert [b.action for b in pressed] == ["review_accept", "review_return"]  # type: ignore[attr-defined]
