"""The library's public surface is deliberate, and it never imports the bot or Slack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duediligence

ROOT = Path(__file__).resolve().parent.parent


def test_exports_are_exactly_all() -> None:
    public = {name for name in dir(duediligence) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(duediligence, name)).__name__ == "module"}
    assert public - modules == set(duediligence.__all__)
    for name in duediligence.__all__:
        assert getattr(duediligence, name) is not None


def test_every_clerk_visible_error_derives_from_one_base() -> None:
    from duediligence import errors

    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.DueDiligenceError)


def test_library_never_imports_chat_code() -> None:
    for path in (ROOT / "duediligence").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("import bot", "from bot", "slack_bolt", "slack_sdk"):
            assert forbidden not in text, f"{path} mentions {forbidden}"


def test_cli_import_stays_light() -> None:
    code = "import sys, duediligence.cli; print(','.join(m for m in ('dateparser', 'openpyxl', 'docx', 'slack_bolt') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
