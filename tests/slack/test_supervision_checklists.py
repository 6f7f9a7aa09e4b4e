"""The checklist forms through the real bolt app: the contract first, then one field per clause;
a missing clause comes back as a follow-up. The inspection form works the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from duediligence.checklists import DEFAULT_CLAUSES, DEFAULT_INSPECTION

from .conftest import ROOT, TOKYO, Harness, text_of

OWNER = "U05SHIMIN01"
CLAUSES = "ISC-R5-04-1"
INSPECTION = "ISC-R5-04-2"
WORKED = dt.datetime(2023, 8, 1, 10, 0, tzinfo=TOKYO)


@pytest.fixture
def meeting_file() -> Path:
    return ROOT / "examples" / "supervision-cloud.yaml"


@pytest.fixture
def cloud(make_bot: Callable[..., Harness]) -> Harness:
    return make_bot("ja", clock=lambda: WORKED)


def dm_to(slack: Harness, user: str) -> list[str]:
    return [
        text_of(c.body)
        for c in slack.fake.of("chat.postMessage")
        if c.body.get("channel") == "D" + user
    ]


def open_form(slack: Harness, condition: str) -> dict:
    slack.click(OWNER, "checklist_form", condition, channel="D" + OWNER)
    slack.settle()
    return slack.fake.of("views.open")[-1].body["view"]


def test_clauses_form_records_and_opens_the_amendment(cloud: Harness) -> None:
    url = cloud.click(OWNER, "checklist_form", CLAUSES, channel="D" + OWNER)
    assert "先に契約書の写し" in cloud.answer_at(url)
    cloud.fake.add_file("FK1", "contract.pdf", b"%PDF contract")
    cloud.dm(OWNER, f"{CLAUSES} 契約書です", files=["FK1"])
    cloud.settle()
    assert "条項を確認する" in dm_to(cloud, OWNER)[-1]  # the next step, offered with the receipt

    view = open_form(cloud, CLAUSES)
    assert view["callback_id"] == "checklist_record" and view["private_metadata"] == CLAUSES
    fields = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert fields == [item.key for item in DEFAULT_CLAUSES]

    values = {key: f"第{n}条" for n, key in enumerate(fields, start=3)}
    values["incident"] = "はい"  # no article: refused under the field
    bad = cloud.submit_view(OWNER, "checklist_record", values, CLAUSES)
    assert "条番号" in bad.json()["errors"]["incident"]
    values["incident"] = "なし"
    done = cloud.submit_view(OWNER, "checklist_record", values, CLAUSES)
    assert done.status_code == 200
    cloud.settle()
    reply = dm_to(cloud, OWNER)[-1]
    assert "不足 1 件" in reply and f"{CLAUSES}-F-incident" in reply
    with cloud.store() as store:
        assert store.condition(f"{CLAUSES}-F-incident").status == "open"


def test_inspection_form_opens_a_corrective_action(cloud: Harness) -> None:
    cloud.fake.add_file("FK2", "inspection.pdf", b"%PDF record")
    cloud.dm(OWNER, f"{INSPECTION} 点検記録です", files=["FK2"])
    cloud.settle()
    view = open_form(cloud, INSPECTION)
    fields = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert fields == [item.key for item in DEFAULT_INSPECTION]
    values = dict.fromkeys(fields, "はい")
    values["training"] = "いいえ 新任者の研修記録なし"
    cloud.submit_view(OWNER, "checklist_record", values, INSPECTION)
    cloud.settle()
    reply = dm_to(cloud, OWNER)[-1]
    assert "指摘 1 件" in reply and f"{INSPECTION}-C-training" in reply and "是正措置" in reply
