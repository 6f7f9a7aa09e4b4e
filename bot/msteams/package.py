"""``ddbot teams-package``: the app package a Teams admin uploads (manifest, localization, icons).

``teams/manifest.json`` is checked in with the zero GUID for the app and the
bot; the package gets the bot's Azure app id (``DD_TEAMS_APP_ID`` or
``--app-id``) in both places, so the manifest names the bot that serves
``/api/messages``. The files are written flat at the root of the zip, as Teams
expects.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from duediligence import DueDiligenceError

from . import messages as _messages  # noqa: F401  (registers the Teams words)

ZERO = "00000000-0000-0000-0000-000000000000"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
FILES = ("manifest.json", "en-us.json", "color.png", "outline.png")


class PackageError(DueDiligenceError):
    """The app id is missing or not a GUID."""

    key = "bot.teams.package.bad_app_id"


def manifest_dir() -> Path:
    """``teams/`` beside the package (a checkout), else the copy installed with the wheel."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "teams", here.parent / "app_package"):
        if (candidate / "manifest.json").is_file():
            return candidate
    raise FileNotFoundError("teams/manifest.json not found")


def manifest(app_id: str, source: Path | None = None) -> dict[str, Any]:
    """The checked-in manifest with *app_id* as the app's and the bot's id."""
    if not _GUID.match(app_id or ""):
        raise PackageError(app_id=app_id or "-")
    data = json.loads(((source or manifest_dir()) / "manifest.json").read_text(encoding="utf-8"))
    data["id"] = app_id
    for bot in data.get("bots", []):
        bot["botId"] = app_id
    return data


def build(out: Path, app_id: str, *, version: str | None = None) -> Path:
    """Write the zip to *out*; the same manifest, with the app id (and *version*) filled in."""
    source = manifest_dir()
    data = manifest(app_id, source)
    if version:
        data["version"] = version
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name in FILES[1:]:
            package.write(source / name, name)
    return out
