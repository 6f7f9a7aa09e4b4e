"""Proactive sends to Teams: the scheduler's reminders to people, the digest to the channel.

The same ``Sender`` and ``tick`` as Slack, with the Teams transport: a person
is reached through their stored conversation reference, or a 1:1 chat the bot
opens by AAD object id; the digest goes to the secretariat's channel.
"""

from __future__ import annotations

from collections import Counter

from bot.delivery.sender import Sender
from bot.msteams.transport import TeamsBotTransport
from bot.scheduler import tick

from .conftest import CHANNEL, NOW, SHUNO_OWNER, Harness, buttons, visible


def _tick(teams: Harness):  # type: ignore[no-untyped-def]
    sender = Sender(teams.bot.core, TeamsBotTransport(teams.bot), sleep=lambda s: None)
    return tick(sender, NOW)


def test_reminders_and_digest_are_sent_proactively_once(teams: Harness) -> None:
    teams.say(SHUNO_OWNER, "状況")  # 収納課's owner has written: the reference is stored
    before = len(teams.fake.sent())
    result = _tick(teams)
    assert result.sent > 0

    digest = teams.fake.sent(CHANNEL)
    assert len(digest) == 1
    assert "収納課" in visible(digest[0].cards()[0])

    reminders = teams.fake.sent()[before:]
    people = Counter(c.conversation for c in reminders if c.conversation != CHANNEL)
    assert f"a:personal-{SHUNO_OWNER}" in people
    # owners who never wrote get a 1:1 chat opened by their AAD object id
    opened = {
        c.body["members"][0]["id"]
        for c in teams.fake.of("POST", "/v3/conversations")
        if c.path == "/v3/conversations"
    }
    assert SHUNO_OWNER not in opened and "U03VACC0001" in opened
    assert all(
        c.body.get("tenantId")
        for c in teams.fake.of("POST", "/v3/conversations")
        if c.path == "/v3/conversations"
    )
    card = next(c for c in reminders if c.conversation == f"a:personal-{SHUNO_OWNER}").cards()[0]
    assert card["version"] == "1.5"
    assert "extension_request" in {b["verb"] for b in buttons(card)}

    sent = len(teams.fake.sent())
    again = _tick(teams)  # a second tick sends nothing twice
    assert again.sent == 0
    assert len(teams.fake.sent()) == sent


def test_owner_known_only_by_email_fails_permanently_until_linked(teams: Harness) -> None:
    _tick(teams)
    with teams.store() as store:
        failed = [e for e in store.outbox_entries() if e.recipient == "shuno@city.example.lg.jp"]
    assert failed and all(str(e.status) == "failed" for e in failed)


def test_extension_request_from_a_reminder(teams: Harness) -> None:
    teams.say(SHUNO_OWNER, "状況")
    _tick(teams)
    reminder = next(
        c for c in teams.fake.sent(f"a:personal-{SHUNO_OWNER}") if "extension_request" in c.text()
    )
    press = next(b for b in buttons(reminder.cards()[0]) if b["verb"] == "extension_request")
    form = teams.press(SHUNO_OWNER, press["data"], card="act-x")
    assert form["type"] == "application/vnd.microsoft.card.adaptive"
    submit = buttons(form["value"])[0]
    fields = {i["id"] for i in form["value"]["body"] if i.get("type") == "Input.Text"}
    assert {"new_due", "reason"} <= fields
    data = {**submit["data"], "new_due": "2021-04-30", "reason": "事業者の決裁待ちのため"}
    before = len(teams.fake.sent(CHANNEL))
    done = teams.press(SHUNO_OWNER, data, card="act-x")
    assert done["type"] == "application/vnd.microsoft.card.adaptive"
    asked = teams.fake.sent(CHANNEL)[before:]
    assert len(asked) == 1
    assert {"extension_approve", "extension_decline"} <= {
        b["verb"] for b in buttons(asked[0].cards()[0])
    }


def test_worker_delivers_to_teams_when_only_teams_is_registered(teams: Harness) -> None:
    """``ddbot worker`` / ``tick`` build their sender from the settings: the Teams bot here."""
    import dataclasses

    from bot.core import Core
    from bot.delivery.build import build_sender

    registered = dataclasses.replace(
        teams.bot.settings,
        teams=dataclasses.replace(teams.bot.settings.teams, app_password="secret"),
    )
    core = Core(registered.core, clock=lambda: NOW)
    try:
        sender = build_sender(registered, core)
        assert isinstance(sender.primary, TeamsBotTransport)
        sender.primary.bot.close()
    finally:
        core.close()
