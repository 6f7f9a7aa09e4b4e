"""Checklists: the contract's required clauses (契約条項の確認) and the yearly inspection (実地調査).

Both are lists of items that are *data*: a default from the national guide for
local governments (事務対応ガイド 4-8-9) and the PPC's guidance, replaceable per
organisation (``duediligence checklist load clauses FILE``). Answers are kept
per condition and item:

* ``contract_clauses``: for each required clause, the article number where the
  contract has it (「第12条」), or missing. A missing clause is a finding and opens
  a follow-up condition (a spec / contract amendment) owned by the same department.
* ``inspection``: for each item, yes / no / n.a. with a note. Each "no" is a finding
  and opens a corrective-action condition with its own owner and due date.

Recording needs the file first (the contract, or the inspection record), as a
certificate needs its scan; the condition then waits for the secretariat's review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .errors import DueDiligenceError
from .lifecycle import Action, authorize
from .messages import t
from .model import Condition, DueRule, Kind, Recurrence, Status

if TYPE_CHECKING:
    from .store import Store
    from .tracker import Tracker

#: days a follow-up (amendment, corrective action) is due after the finding
FOLLOW_UP_DAYS = 30


class Checklist(StrEnum):
    CLAUSES = "clauses"
    INSPECTION = "inspection"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NA = "na"


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    ja: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


#: the guide's list of what a contract handling personal data must contain
DEFAULT_CLAUSES: tuple[Item, ...] = (
    Item("confidentiality", "秘密保持", "Confidentiality"),
    Item("subcontracting", "再委託の制限(事前の承認)", "Sub-contracting only with prior approval"),
    Item("purpose", "目的外利用・第三者提供の禁止", "No use beyond the purpose, no disclosure"),
    Item("copying", "複製・複写の制限", "Limits on copying"),
    Item("safeguards", "安全管理措置", "Safety measures"),
    Item("incident", "事故発生時の報告", "Reporting of incidents"),
    Item("return_erasure", "終了時の返還・廃棄(消去)", "Return or erasure at the end"),
    Item("termination", "契約解除・損害賠償", "Termination and damages"),
    Item("audit", "定期報告・監査(実地調査)", "Periodic reports and audits"),
)

#: the yearly check of each contractor (on site in principle)
DEFAULT_INSPECTION: tuple[Item, ...] = (
    Item("access_control", "アクセス制御(権限・ID管理、入退室管理)", "Access control"),
    Item("media", "記録媒体の取扱い(持出し・保管・施錠)", "Handling of media"),
    Item("training", "従事者の研修と誓約書", "Staff training and pledges"),
    Item("subcontracting", "再委託の状況(承認のない再委託がない)", "Sub-contracting"),
    Item("incidents", "今年度の事故の有無と対応", "Incidents this year"),
    Item("erasure", "終了したデータの消去・廃棄", "Erasure of finished data"),
)

_KIND = {Checklist.CLAUSES: Kind.CONTRACT_CLAUSES, Checklist.INSPECTION: Kind.INSPECTION}
_DEFAULTS = {Checklist.CLAUSES: DEFAULT_CLAUSES, Checklist.INSPECTION: DEFAULT_INSPECTION}


class ChecklistError(DueDiligenceError):
    key = "checklist.error"


@dataclass(frozen=True, slots=True)
class Result:
    condition: Condition
    findings: tuple[str, ...]  # item keys
    follow_ups: tuple[str, ...]  # condition ids opened


def items(store: Store, checklist: Checklist) -> tuple[Item, ...]:
    """The organisation's list, or the guide's default when none was loaded."""
    rows = store.checklist_items(str(checklist))
    if not rows:
        return _DEFAULTS[checklist]
    return tuple(Item(r["key"], r["label_ja"], r["label_en"]) for r in rows)


def checklist_of(condition: Condition) -> Checklist | None:
    for checklist, kind in _KIND.items():
        if condition.kind is kind:
            return checklist
    return None


def parse_answer(text: str) -> tuple[Answer, str]:
    """「はい」「いいえ 鍵の管理簿がない」「該当なし」「yes」「no: …」 → (answer, note)."""
    words = (text or "").strip().replace("：", " ").replace(":", " ").split(maxsplit=1)
    if not words:
        raise ChecklistError("checklist.answer_missing")
    head, note = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
    for answer, forms in _ANSWERS.items():
        if head in forms:
            return answer, note
    raise ChecklistError("checklist.answer_unknown", value=words[0])


def parse_item(checklist: Checklist, text: str) -> tuple[Answer, str]:
    """One item as a person writes it. A clause: its article (「第12条」) or 「なし」 when the
    contract lacks it; an inspection item: yes / no / n.a. and a note."""
    if checklist is Checklist.INSPECTION:
        return parse_answer(text)
    stripped = (text or "").strip()
    if not stripped:
        raise ChecklistError("checklist.answer_missing")
    head = stripped.split(maxsplit=1)[0].lower()
    if head in _ANSWERS[Answer.NO] or head in ("なし", "無し", "missing"):
        return Answer.NO, ""
    if head in _ANSWERS[Answer.NA] and head != "なし":
        return Answer.NA, ""
    if head in _ANSWERS[Answer.YES]:
        raise ChecklistError("checklist.clauses.article_missing", items=stripped)
    return Answer.YES, stripped


_ANSWERS = {
    Answer.YES: ("はい", "yes", "y", "○", "〇", "適", "可", "ok"),
    Answer.NO: ("いいえ", "no", "n", "×", "否", "不適", "ng"),
    Answer.NA: ("該当なし", "対象外", "na", "n/a", "n.a.", "-", "－"),
}


def record(
    tracker: Tracker,
    condition_id: str,
    answers: Mapping[str, tuple[Answer, str]],
    *,
    actor: str,
    now: dt.datetime,
    lang: str = "ja",
) -> Result:
    """Record every item's answer; open a follow-up per finding (all in one transaction).

    For clauses, the note of a YES is the article number (「第12条」) and NO is a
    missing clause; for an inspection, NO is a finding with its note.
    """
    store = tracker.store
    condition = store.condition(condition_id)
    checklist = checklist_of(condition)
    if checklist is None:
        raise ChecklistError("checklist.wrong_kind", id=condition_id)
    authorize(Action.SUBMIT, tracker.roles(actor), condition)
    if condition.status is not Status.SUBMITTED or not store.evidence_of(condition_id):
        raise ChecklistError(f"checklist.{checklist}.file_first", id=condition_id)
    listed = items(store, checklist)
    missing = [i.key for i in listed if i.key not in answers]
    if missing:
        raise ChecklistError("checklist.incomplete", keys=", ".join(missing))
    if checklist is Checklist.CLAUSES:
        unnumbered = [
            i.label(lang)
            for i in listed
            if answers[i.key][0] is Answer.YES and not answers[i.key][1]
        ]
        if unnumbered:
            raise ChecklistError("checklist.clauses.article_missing", items="、".join(unnumbered))
    due = tracker.calendar.roll_back(now.date() + dt.timedelta(days=FOLLOW_UP_DAYS))
    findings: list[str] = []
    opened: list[str] = []
    with store.transaction():
        store.save_checklist_answers(
            condition_id,
            [(i.key, str(answers[i.key][0]), answers[i.key][1]) for i in listed],
            actor=actor,
            at=now,
        )
        for item in listed:
            answer, note = answers[item.key]
            if answer is not Answer.NO:
                continue
            findings.append(item.key)
            follow_id = (
                f"{condition_id}-{'F' if checklist is Checklist.CLAUSES else 'C'}-{item.key}"
            )
            if store.find_condition(follow_id) is not None:
                continue  # found again: the follow-up already exists
            follow = Condition(
                id=follow_id,
                consultation=condition.consultation,
                kind=Kind.SPEC_AMENDMENT
                if checklist is Checklist.CLAUSES
                else Kind.CORRECTIVE_ACTION,
                text=t(
                    f"checklist.{checklist}.follow_up",
                    "ja",
                    item=item.ja,
                    id=condition_id,
                    note=note or "-",
                ),
                department=condition.department,
                status=Status.OPEN,
                due=due,
                due_text=due.isoformat(),
                due_rule=DueRule.DATE,
                vendor=condition.vendor,
                recurrence=Recurrence.NONE,
                series=follow_id,
            )
            store.insert_condition(follow, at=now)
            store.append_event(
                follow_id,
                "created",
                actor=actor,
                at=now,
                data={"cause": f"{checklist}_finding", "from": condition_id, "item": item.key},
            )
            opened.append(follow_id)
        store.append_event(
            condition_id,
            f"{checklist}_recorded",
            actor=actor,
            at=now,
            data={
                "answers": {i.key: str(answers[i.key][0]) for i in listed},
                "findings": findings,
                "follow_ups": opened,
            },
        )
    return Result(store.condition(condition_id), tuple(findings), tuple(opened))


def answers_of(store: Store, condition_id: str) -> dict[str, tuple[Answer, str]]:
    return {
        r["key"]: (Answer(r["answer"]), r["note"]) for r in store.checklist_answers(condition_id)
    }


def summary(store: Store, condition: Condition, lang: str = "ja") -> list[str]:
    """One line per item: 「秘密保持: 第12条」「事故発生時の報告: なし」; for an inspection the answer."""
    checklist = checklist_of(condition)
    if checklist is None:
        return []
    recorded = answers_of(store, condition.id)
    lines = []
    for item in items(store, checklist):
        if item.key not in recorded:
            continue
        answer, note = recorded[item.key]
        lines.append(
            t(f"checklist.{checklist}.line.{answer}", lang, item=item.label(lang), note=note)
        )
    return lines


def load_items(
    store: Store, checklist: Checklist, loaded: list[Item], *, actor: str, now: dt.datetime
) -> None:
    """Replace the organisation's list (the file's order is kept)."""
    keys = [i.key for i in loaded]
    if not loaded or len(set(keys)) != len(keys) or any(not k.strip() for k in keys):
        raise ChecklistError("checklist.bad_list")
    with store.transaction():
        store.replace_checklist_items(str(checklist), [(i.key, i.ja, i.en) for i in loaded])
        store.append_event(
            f"checklist:{checklist}", "checklist_loaded", actor=actor, at=now, data={"keys": keys}
        )
