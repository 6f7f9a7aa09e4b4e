"""teams/manifest.json validates against the schema it declares (vendored), and the package builds."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from bot.msteams.package import PackageError, manifest

ROOT = Path(__file__).resolve().parents[2]
TEAMS = ROOT / "teams"
APP_ID = "3f6c1d2e-8a4b-4c5d-9e7f-0a1b2c3d4e5f"


def _schema(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((TEAMS / "schema" / name).read_text(encoding="utf-8"))


def _validate(document: dict, schema_name: str) -> None:  # type: ignore[type-arg]
    schema = _schema(schema_name)
    version = schema["properties"].get("manifestVersion", {}).get("const")
    if version:  # the manifest declares the very schema that is vendored
        assert document["$schema"].endswith(f"/v{version}/{schema_name}")
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)


def test_checked_in_manifest_and_localization_validate() -> None:
    data = json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))
    _validate(data, "MicrosoftTeams.schema.json")
    localization = json.loads((TEAMS / "en-us.json").read_text(encoding="utf-8"))
    assert localization["$schema"].endswith(
        f"/v{data['manifestVersion']}/MicrosoftTeams.Localization.schema.json"
    )
    jsonschema.Draft4Validator(_schema("MicrosoftTeams.Localization.schema.json")).validate(
        localization
    )
    bot = data["bots"][0]
    assert bot["supportsFiles"] is True and set(bot["scopes"]) == {"personal", "team"}
    assert data["localizationInfo"]["defaultLanguageTag"] == "ja-jp"
    titles = [c["title"] for lst in bot["commandLists"] for c in lst["commands"]]
    assert "状況" in titles
    english = [v for k, v in localization.items() if k.endswith(".title")]
    assert "status" in english and len(english) == len(titles)


def test_a_broken_manifest_is_caught_by_the_schema() -> None:
    data = json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))
    data["bots"][0]["scopes"] = ["everywhere"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(data, "MicrosoftTeams.schema.json")


def test_icons_have_the_sizes_teams_requires() -> None:
    for name, size in (("color.png", 192), ("outline.png", 32)):
        head = (TEAMS / name).read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (size, size)


def test_teams_package_builds_a_valid_zip(tmp_path: Path) -> None:
    out = tmp_path / "app.zip"
    result = CliRunner().invoke(cli, ["teams-package", "--out", str(out), "--app-id", APP_ID])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == [
            "color.png",
            "en-us.json",
            "manifest.json",
            "outline.png",
        ]
        data = json.loads(package.read("manifest.json"))
    assert data["id"] == APP_ID and data["bots"][0]["botId"] == APP_ID
    _validate(data, "MicrosoftTeams.schema.json")


def test_package_without_a_guid_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackageError) as err:
        manifest("not-a-guid")
    assert "GUID" in err.value.render("ja")
    result = CliRunner().invoke(
        cli, ["teams-package", "--out", str(tmp_path / "a.zip")], env={"DD_TEAMS_APP_ID": ""}
    )
    assert result.exit_code != 0
    assert not (tmp_path / "a.zip").exists()
