"""The report pack in Teams: the file-consent flow (the bot asks, the person allows, the bot uploads)."""

from __future__ import annotations

from typing import Any

from .conftest import SECRETARIAT, SHUNO_OWNER, Harness, visible

CONSENT = "application/vnd.microsoft.teams.card.file.consent"


def _consents(teams: Harness, user: str) -> list[dict[str, Any]]:
    calls = teams.fake.sent(f"a:personal-{user}")
    return [
        a
        for c in calls
        if isinstance(c.body, dict)
        for a in c.body.get("attachments") or []
        if a.get("contentType") == CONSENT
    ]


def _answer(teams: Harness, user: str, consent: dict[str, Any], action: str) -> Any:
    name = consent["name"]
    activity = {
        **teams.base(user),
        "type": "invoke",
        "name": "fileConsent/invoke",
        "value": {
            "type": "fileUpload",
            "action": action,
            "context": consent["content"]["acceptContext"],
            "uploadInfo": {
                "name": name,
                "uploadUrl": f"{teams.fake.url}/upload/{name}",
                "contentUrl": f"https://city-my.sharepoint.com/personal/jimu/{name}",
                "uniqueId": "u-1",
                "fileType": name.rsplit(".", 1)[-1],
            }
            if action == "accept"
            else None,
        },
    }
    return teams.post(activity)


def test_pack_is_offered_with_consent_cards_and_uploaded_when_allowed(teams: Harness) -> None:
    teams.say(SECRETARIAT, "報告資料")
    consents = _consents(teams, SECRETARIAT)
    names = sorted(c["name"] for c in consents)
    assert [n.rsplit(".", 1)[-1] for n in names] == ["docx", "md", "xlsx"]
    held = teams.bot.held
    md = next(c for c in consents if c["name"].endswith(".md"))
    token = md["content"]["acceptContext"]["token"]
    content = held.get(token).path.read_bytes()  # type: ignore[union-attr]
    assert md["content"]["sizeInBytes"] == len(content)

    assert _answer(teams, SECRETARIAT, md, "accept").status_code == 200
    assert teams.fake.uploads[f"/upload/{md['name']}"] == content
    put = teams.fake.of("PUT", "/upload/")[0]
    assert put.headers["content-range"] == f"bytes 0-{len(content) - 1}/{len(content)}"
    last = teams.fake.sent(f"a:personal-{SECRETARIAT}")[-1].body["attachments"]
    assert any(a["contentType"] == "application/vnd.microsoft.teams.card.file.info" for a in last)
    assert held.get(token) is None  # removed once uploaded

    docx = next(c for c in consents if c["name"].endswith(".docx"))
    assert _answer(teams, SECRETARIAT, docx, "decline").status_code == 200
    assert held.get(docx["content"]["acceptContext"]["token"]) is None
    assert f"/upload/{docx['name']}" not in teams.fake.uploads

    assert _answer(teams, SECRETARIAT, md, "accept").status_code == 200  # answered twice
    assert "もう一度" in visible(teams.personal(SECRETARIAT)[-1])
    assert len(teams.fake.of("PUT", "/upload/")) == 1


def test_staff_cannot_have_the_pack(teams: Harness) -> None:
    teams.say(SHUNO_OWNER, "報告資料")
    assert _consents(teams, SHUNO_OWNER) == []
    assert "事務局" in visible(teams.personal(SHUNO_OWNER)[0])
