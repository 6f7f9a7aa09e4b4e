"""Evidence by file in Teams: a ``file.download.info`` attachment, stored exactly like a Slack upload."""

from __future__ import annotations

import hashlib
import os
import stat

from .conftest import CHANNEL, MAX_UPLOAD, SHUNO_OWNER, STRANGER, Harness, buttons, visible

PDF = b"%PDF-1.4 confirmation from the vendor\n" * 40


def test_upload_naming_the_condition_is_stored_with_its_sha256(teams: Harness) -> None:
    teams.upload(SHUNO_OWNER, "kakunin.pdf", PDF, "R2-15-01 の確認書です")
    reply = visible(teams.personal(SHUNO_OWNER)[0])
    assert "kakunin.pdf" in reply and "R2-15-01" in reply
    digest = hashlib.sha256(PDF).hexdigest()
    assert digest[:12] in reply
    with teams.store() as store:
        evidence = store.evidence_of("R2-15-01")
        assert [e.sha256 for e in evidence] == [digest]
        assert evidence[0].uploaded_by == SHUNO_OWNER and evidence[0].size == len(PDF)
        assert store.condition("R2-15-01").status == "submitted"
        card = store.card(f"review:R2-15-01:{evidence[0].id}")
        assert card is not None and card.channel == CHANNEL
    blob = next(p for p in _blobs(teams) if p.name.startswith(digest))
    assert stat.S_IMODE(blob.stat().st_mode) == 0o600
    # the review card went to the secretariat channel: name and size, never contents or uploader
    posted = teams.fake.sent(CHANNEL)
    assert len(posted) == 1
    card_json = posted[0].cards()[0]
    shown = visible(card_json)
    assert "kakunin.pdf" in shown and "confirmation from the vendor" not in shown
    assert SHUNO_OWNER not in shown
    assert {b["verb"] for b in buttons(card_json)} == {"review_accept", "review_return"}
    assert card_json["refresh"]["action"]["data"]["value"].startswith("review:R2-15-01:")


def _blobs(teams: Harness):  # type: ignore[no-untyped-def]
    from pathlib import Path

    root = Path(teams.bot.core.settings.evidence_dir)
    return [p for p in root.rglob("*") if p.is_file()]


def test_same_bytes_twice_are_one_file(teams: Harness) -> None:
    teams.upload(SHUNO_OWNER, "a.pdf", PDF, "R2-15-01")
    teams.upload(SHUNO_OWNER, "b.pdf", PDF, "R2-15-03")
    digest = hashlib.sha256(PDF).hexdigest()
    assert len([p for p in _blobs(teams) if p.name.startswith(digest)]) == 1
    with teams.store() as store:
        assert [e.sha256 for e in store.evidence_of("R2-15-03")] == [digest]


def test_file_in_a_channel_is_refused_and_not_downloaded(teams: Harness) -> None:
    teams.upload(SHUNO_OWNER, "kakunin.pdf", PDF, "R2-15-01", scope="channel")
    in_channel = teams.fake.sent(CHANNEL)
    assert len(in_channel) == 1
    assert "個人チャット" in visible(in_channel[0].cards()[0])
    assert teams.fake.of("GET", "/files/") == []  # never fetched
    with teams.store() as store:
        assert store.evidence_of("R2-15-01") == []
        assert store.condition("R2-15-01").status == "open"


def test_oversized_file_is_refused_and_changes_nothing(teams: Harness) -> None:
    teams.upload(SHUNO_OWNER, "huge.pdf", b"x" * (MAX_UPLOAD + 1), "R2-15-01")
    assert "huge.pdf" in visible(teams.personal(SHUNO_OWNER)[0])
    with teams.store() as store:
        assert store.evidence_of("R2-15-01") == []
    assert _blobs(teams) == []


def test_stranger_upload_is_refused(teams: Harness) -> None:
    teams.upload(STRANGER, "x.pdf", PDF, "R2-15-01")
    assert "x.pdf" in visible(teams.personal(STRANGER)[0])
    assert teams.fake.of("GET", "/files/") == []
    with teams.store() as store:
        assert store.evidence_of("R2-15-01") == []


def test_download_url_on_a_foreign_host_is_refused(teams: Harness) -> None:
    attachment = {
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "name": "evil.pdf",
        "content": {"downloadUrl": "https://attacker.example/evil.pdf", "fileType": "pdf"},
    }
    teams.say(SHUNO_OWNER, "R2-15-01", attachments=[attachment])
    assert "evil.pdf" in visible(teams.personal(SHUNO_OWNER)[0])
    with teams.store() as store:
        assert store.evidence_of("R2-15-01") == []


def test_several_open_conditions_ask_with_a_menu_then_store(teams: Harness) -> None:
    teams.upload("U03VACC0001", "manual.pdf", PDF, "マニュアルです")
    menu = teams.personal("U03VACC0001")[0]
    choices = next(b for b in menu["body"] if b.get("type") == "Input.ChoiceSet")["choices"]
    chosen = next(c for c in choices if c["value"].endswith(":R2-16-04"))
    result = teams.press("U03VACC0001", {"action": "choose_condition", "choice": chosen["value"]})
    assert result["type"] == "application/vnd.microsoft.activity.message"
    with teams.store() as store:
        assert [e.filename for e in store.evidence_of("R2-16-04")] == ["manual.pdf"]
    # the same menu chosen twice stores nothing more
    teams.press("U03VACC0001", {"action": "choose_condition", "choice": chosen["value"]})
    with teams.store() as store:
        assert len(store.evidence_of("R2-16-04")) == 1


def test_evidence_directory_is_private(teams: Harness) -> None:
    teams.upload(SHUNO_OWNER, "kakunin.pdf", PDF, "R2-15-01")
    root = teams.bot.core.settings.evidence_dir
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
