"""Local testing (Microsoft 365 Agents Playground): no registration, only the SDK's own switch."""

from __future__ import annotations

from .conftest import SECRETARIAT, visible


def test_without_registration_the_bot_answers_a_local_connector(make_teams) -> None:  # type: ignore[no-untyped-def]
    teams = make_teams(local=True)
    teams.say(SECRETARIAT, "状況")
    assert "確認事項 計" in visible(teams.personal(SECRETARIAT)[0])
    sent = teams.fake.sent()[0]
    assert sent.headers["authorization"].startswith("Bearer ")
