"""The fiscal-year-end question in Teams: asked proactively, answered in place, once."""

from __future__ import annotations

import datetime as dt

from bot.delivery.sender import Sender
from bot.msteams.transport import TeamsBotTransport
from bot.scheduler import tick

from .conftest import TOKYO, Harness, buttons, visible

VACC_OWNER = "U03VACC0001"
FY_CHECK = "R2-16-07"
YEAR_END = dt.datetime(2021, 3, 31, 9, 30, tzinfo=TOKYO)


def test_question_becomes_its_answer_and_cannot_be_answered_twice(make_teams) -> None:  # type: ignore[no-untyped-def]
    teams: Harness = make_teams(clock=lambda: YEAR_END)
    tick(Sender(teams.bot.core, TeamsBotTransport(teams.bot), sleep=lambda s: None), YEAR_END)
    question = next(c for c in teams.personal(VACC_OWNER) if "fy_no" in str(c))
    assert "令和2年度" in visible(question)
    press = next(b for b in buttons(question) if b["verb"] == "fy_no")

    answered = teams.press(VACC_OWNER, press["data"], card="act-q")
    assert answered["type"] == "application/vnd.microsoft.card.adaptive"
    assert buttons(answered["value"]) == []  # nothing left to press twice
    assert "保存なし" in visible(answered["value"])
    with teams.store() as store:
        [answer] = store.fy_answers(FY_CHECK)
        assert (answer.fiscal_year, answer.kept) == (2020, False)

    again = teams.press(VACC_OWNER, {**press["data"], "action": "fy_yes"}, card="act-q")
    assert again["type"] == "application/vnd.microsoft.card.adaptive"
    assert "回答済み" in visible(again["value"]) and buttons(again["value"]) == []
    with teams.store() as store:
        assert len(store.fy_answers(FY_CHECK)) == 1
