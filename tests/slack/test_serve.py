"""Settings, the serving mode, and the app manifest agreeing with what the app listens to."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from bot.__main__ import cli
from bot.config import DEFAULT_STATUS_COMMAND, BotSettings
from bot.serve import mode

ROOT = Path(__file__).resolve().parents[2]


def test_settings_from_the_environment() -> None:
    settings = BotSettings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_API_URL": "http://127.0.0.1:8080/api",
            "DD_STATUS_COMMAND": "kakunin",
            "DD_SECRETARIAT_USERS": "U1, U2",
            "DD_SECRETARIAT_CHANNEL": "C1",
        }
    )
    assert settings.status_command == "/kakunin"
    assert settings.web_api_url == "http://127.0.0.1:8080/api/"
    assert settings.file_origin == ("http", "127.0.0.1:8080")
    assert settings.core.secretariat_users == frozenset({"U1", "U2"})
    default = BotSettings.from_env({})
    assert default.status_command == DEFAULT_STATUS_COMMAND
    assert default.web_api_url == "https://slack.com/api/"
    assert default.file_origin == ("https", "files.slack.com")


def test_socket_mode_with_an_app_token_else_http() -> None:
    assert mode(BotSettings.from_env({"SLACK_APP_TOKEN": "xapp-1"})) == "socket"
    assert mode(BotSettings.from_env({})) == "http"


def test_serve_refuses_to_start_without_tokens(tmp_path: Path) -> None:
    env = {"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "DD_DB": str(tmp_path / "x.db")}
    result = CliRunner().invoke(cli, ["serve", "--port", "0"], env=env)
    assert result.exit_code != 0 and "SLACK_BOT_TOKEN" in str(result.output) + str(result.exception)
    env["SLACK_BOT_TOKEN"] = "xoxb-1"
    env["SLACK_SIGNING_SECRET"] = ""
    result = CliRunner().invoke(cli, ["serve", "--port", "0"], env=env)
    assert result.exit_code != 0 and "SLACK_SIGNING_SECRET" in str(result.output) + str(
        result.exception
    )


def test_manifest_matches_the_app() -> None:
    manifest = yaml.safe_load((ROOT / "app.yaml").read_text(encoding="utf-8"))
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [DEFAULT_STATUS_COMMAND]
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_home_opened", "app_mention", "file_shared", "message.im"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "chat:write",
        "commands",
        "files:read",
        "im:history",
        "im:write",
        "users:read.email",
    } <= scopes
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
