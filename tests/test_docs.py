"""Every command has help and is documented (README.md or docs/*.md), as sqlite-utils does."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from duediligence.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _documentation() -> str:
    parts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    parts += (
        [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
        if (ROOT / "docs").exists()
        else []
    )
    return "\n".join(parts)


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found += _commands(command, f"{full} ")
        else:
            found.append((full, command))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_docs(name: str, command: click.Command) -> None:
    assert command.help, f"duediligence {name} has no help text"
    assert f"duediligence {name}" in _documentation(), f"duediligence {name} is not documented"


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
