"""The shared roster case through Slack: a file dropped in the DM reaches the same checks.

tests/test_submission.py runs the same case through the library, ``evidence
add``, ``roster submit`` and the console; here the real bolt App downloads the
file from the fake Slack and hands it to the same ``submit_evidence``.
"""

from __future__ import annotations

from pathlib import Path

from submission_case import (
    EXPECTED,
    FINDING_JA,
    PLEDGE_ITEM,
    ROSTER_ITEM,
    SECOND,
    outcome,
    prepare,
    roster_xlsx,
)

from .conftest import SHUNO_OWNER, Harness
from .test_checks_roster import channel_cards, upload


def test_the_same_roster_gives_the_same_finding_and_coverage_effect(
    slack: Harness, tmp_path: Path
) -> None:
    prepare(slack.db, tmp_path / "evidence")
    reply = upload(
        slack, SHUNO_OWNER, "FSUB1", "meibo-v2.xlsx", roster_xlsx(SECOND), f"{ROSTER_ITEM} 名簿"
    )
    assert FINDING_JA in reply
    assert "第2版" in reply and "高橋 次郎" in reply
    assert f"{PLEDGE_ITEM}#2" in reply
    assert outcome(slack.db) == EXPECTED
    card = channel_cards(slack)[-1]
    assert FINDING_JA in str(card) and "高橋" not in str(card)  # the finding, never the name


def test_a_roster_that_is_not_a_table_is_refused_with_the_template(slack: Harness) -> None:
    reply = upload(slack, SHUNO_OWNER, "FSUB2", "meibo.pdf", b"%PDF scan", f"{ROSTER_ITEM} 名簿")
    assert "xlsx" in reply and "名簿の様式" in reply
    assert slack.fake.of("download") == []  # refused before a byte was fetched
    with slack.store() as store:
        assert store.evidence_of(ROSTER_ITEM) == []
        assert store.condition(ROSTER_ITEM).status == "open"
