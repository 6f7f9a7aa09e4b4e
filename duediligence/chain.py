"""The sub-contracting chain (再委託): 元請 → 再委託先 → 再々委託先, at any depth.

A vendor of a consultation may work under another (``parent:`` in the import,
or an approved ``subcontract_approval``). A sub-contract needs the
department's prior approval, and the approval says which of the contractor's
conditions the sub-contractor inherits (roster, pledges, certificates,
erasure): once the secretariat accepts it, the sub-contractor joins the
consultation under its contractor and a copy of each inherited condition opens
for it, owned by the same department.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import DueDiligenceError, NotFound, PermissionDenied
from .messages import t
from .model import Condition, Consultation, DueRule, Kind, Recurrence, Status, VendorRole
from .store import ConditionFilter

if TYPE_CHECKING:
    from .store import Store
    from .tracker import Tracker

#: what a sub-contractor inherits unless the approval says otherwise
INHERITED: tuple[Kind, ...] = (
    Kind.ROSTER,
    Kind.PLEDGE,
    Kind.CERTIFICATE_RENEWAL,
    Kind.DISPOSAL_CERTIFICATE,
)
#: days the sub-contractor's inherited conditions are due after the approval
INHERIT_DAYS = 30


class ChainError(DueDiligenceError):
    key = "chain.error"


def parents_of(store: Store, consultation: str) -> dict[str, str]:
    """Each sub-contractor's contractor: as recorded, else (a ``subcontractor`` listed without
    ``parent:``) the consultation's first contractor."""
    parents = store.vendor_parents(consultation)
    vendors = store.vendors_of(consultation)
    prime = next((v.name for v in vendors if v.role is VendorRole.CONTRACTOR), None)
    for v in vendors:
        if v.role is VendorRole.SUBCONTRACTOR and v.name not in parents and prime:
            parents[v.name] = prime
    return parents


def path(store: Store, consultation: str, vendor: str) -> list[str]:
    """The vendors from the prime contractor down to *vendor*."""
    parents = parents_of(store, consultation)
    found = [vendor]
    while found[-1] in parents and parents[found[-1]] not in found:
        found.append(parents[found[-1]])
    return list(reversed(found))


def depth_label(depth: int, lang: str = "ja") -> str:
    """元請 (0), 再委託先 (1), 再々委託先 (2), 3次再委託先 (3) …"""
    if depth <= 2:
        return t(f"chain.depth.{depth}", lang)
    return t("chain.depth.n", lang, n=depth)


def path_label(store: Store, consultation: str, vendor: str, lang: str = "ja") -> str:
    """「A → B → C」: *vendor* under its contractor(s)."""
    return " → ".join(path(store, consultation, vendor))


def chain_lines(store: Store, consultation: Consultation, lang: str = "ja") -> list[str]:
    """One line per vendor, indented by depth, each with its place: for the pack and App Home."""
    parents = parents_of(store, consultation.id)
    names = [v.name for v in consultation.vendors]
    children: dict[str | None, list[str]] = {}
    for name in names:
        parent = parents.get(name)
        children.setdefault(parent if parent in names else None, []).append(name)
    lines: list[str] = []

    def walk(name: str, depth: int) -> None:
        lines.append(
            t("chain.line", lang, indent="　" * depth, name=name, place=depth_label(depth, lang))
        )
        for child in children.get(name, []):
            walk(child, depth + 1)

    for top in children.get(None, []):
        walk(top, 0)
    return lines


def has_chain(store: Store, consultation: str) -> bool:
    return bool(parents_of(store, consultation))


def request_subcontract(
    tracker: Tracker,
    consultation_id: str,
    *,
    subcontractor: str,
    parent: str,
    due: dt.date,
    actor: str,
    now: dt.datetime,
    inherit: tuple[Kind, ...] = INHERITED,
    lang: str = "ja",
) -> Condition:
    """A contractor asks to sub-contract: open the approval condition (再委託の承認)."""
    store = tracker.store
    consultation = store.find_consultation(consultation_id)
    if consultation is None:
        raise NotFound(what="what.consultation", id=consultation_id)
    roles = tracker.roles(actor)
    if not (roles.secretariat or consultation.department in roles.departments):
        raise PermissionDenied(actor=actor, action="action.request_subcontract", need="role.owner")
    names = [v.name for v in consultation.vendors]
    if parent not in names:
        raise ChainError("chain.unknown_parent", vendor=parent, id=consultation.id)
    if not subcontractor.strip() or subcontractor in names:
        raise ChainError("chain.already_vendor", vendor=subcontractor, id=consultation.id)
    with store.transaction():
        number = 1
        while store.find_condition(f"{consultation.id}-SUB{number}") is not None:
            number += 1
        condition = Condition(
            id=f"{consultation.id}-SUB{number}",
            consultation=consultation.id,
            kind=Kind.SUBCONTRACT_APPROVAL,
            text=t("chain.request.text", lang, parent=parent, vendor=subcontractor),
            department=consultation.department,
            status=Status.OPEN,
            due=due,
            due_text=due.isoformat(),
            due_rule=DueRule.DATE,
            vendor=parent,
            series=f"{consultation.id}-SUB{number}",
        )
        store.insert_condition(condition, at=now)
        store.save_subcontract_request(
            condition.id, consultation.id, subcontractor, parent, [str(k) for k in inherit]
        )
        store.append_event(
            condition.id,
            "created",
            actor=actor,
            at=now,
            data={
                "cause": "subcontract_request",
                "subcontractor": subcontractor,
                "parent": parent,
                "inherit": [str(k) for k in inherit],
                "due": due.isoformat(),
            },
        )
    return store.condition(condition.id)


def on_accept(store: Store, condition: Condition, *, actor: str, now: dt.datetime) -> None:
    """Inside accept's transaction: the sub-contractor joins under its contractor and inherits."""
    if condition.kind is not Kind.SUBCONTRACT_APPROVAL:
        return
    request = store.subcontract_request(condition.id)
    if request is None or request["applied_at"]:
        return
    consultation, sub, parent = request["consultation"], request["subcontractor"], request["parent"]
    store.add_consultation_vendor(consultation, sub, str(VendorRole.SUBCONTRACTOR))
    store.save_vendor_parent(consultation, sub, parent)
    due = now.date() + dt.timedelta(days=INHERIT_DAYS)
    created: list[str] = []
    for number, template in enumerate(_inherited(store, consultation, parent, request), 1):
        new_id = f"{condition.id}-{number}"
        inherited = replace(
            template,
            id=new_id,
            vendor=sub,
            status=Status.OPEN,
            due=due,
            due_text=due.isoformat(),
            due_rule=DueRule.DATE,
            series=new_id,
            occurrence=1,
            reported_at_meeting=None,
            text=t("chain.inherited.text", "ja", text=template.text, vendor=sub),
        )
        store.insert_condition(inherited, at=now)
        store.append_event(
            new_id,
            "created",
            actor=actor,
            at=now,
            data={"cause": "inherited", "from": template.id, "approval": condition.id},
        )
        created.append(new_id)
    store.mark_subcontract_applied(condition.id, now)
    store.append_event(
        f"consultation:{consultation}",
        "subcontractor_approved",
        actor=actor,
        at=now,
        data={"vendor": sub, "parent": parent, "approval": condition.id, "inherited": created},
    )


def _inherited(
    store: Store, consultation: str, parent: str, request: dict[str, object]
) -> list[Condition]:
    """The contractor's conditions of each inherited kind, or a standard one when it has none."""
    kinds = [Kind(k) for k in request["inherit"]]  # type: ignore[attr-defined]
    own = [
        c
        for c in store.conditions(ConditionFilter(consultation=consultation, vendor=parent))
        if c.occurrence == 1 and c.status is not Status.WAIVED
    ]
    found: list[Condition] = []
    for kind in kinds:
        matching = [c for c in own if c.kind is kind]
        if matching:
            found += matching
            continue
        department = store.consultation(consultation).department
        found.append(
            Condition(
                id="",
                consultation=consultation,
                kind=kind,
                text=t(f"chain.standard.{kind}", "ja"),
                department=department,
                status=Status.OPEN,
                due=None,
                recurrence=Recurrence.ON_CHANGE if kind is Kind.ROSTER else Recurrence.NONE,
            )
        )
    return found
