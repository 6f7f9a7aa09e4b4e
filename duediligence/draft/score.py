"""How good a draft is, against a meeting the secretariat registered by hand.

A maintainer who changes patterns.yaml needs to know what it did to recall and
precision, so the scoring lives beside the rules rather than in a test. The
reference is an import file (the conditions, their kinds) plus a small "gold"
file saying where in the minutes each condition is asked (quotes) and when the
minutes say it is due. A proposal finds a condition when one of its source
sentences holds one of the condition's quotes; each condition can be found by at
most one proposal (a one-to-one matching), so merging everything into one
proposal cannot buy recall, and asking twice is counted as a duplicate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .extract import Draft, Proposal
from .minutes import normalize

__all__ = ["Score", "score_draft", "load_reference"]


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    consultation: str  # title
    kind: str
    timing: str | None
    quotes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Score:
    conditions: int
    proposals: int
    found: int  # conditions matched one-to-one
    correct: int  # proposals that ask for some reference condition
    duplicates: int  # correct proposals beyond the one-to-one matching
    kind_right: int
    with_timing: int  # matched conditions whose minutes say when
    timing_right: int
    missed: tuple[str, ...]
    false: tuple[str, ...]  # proposals that match nothing (their text)

    @property
    def recall(self) -> float:
        return self.found / self.conditions if self.conditions else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.proposals if self.proposals else 1.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.found if self.found else 1.0

    @property
    def timing_accuracy(self) -> float:
        return self.timing_right / self.with_timing if self.with_timing else 1.0

    def table(self) -> str:
        rows = [
            ("recall", self.found, self.conditions, self.recall, 0.90),
            ("precision", self.correct, self.proposals, self.precision, 0.80),
            ("kind right", self.kind_right, self.found, self.kind_accuracy, 0.85),
            ("due right", self.timing_right, self.with_timing, self.timing_accuracy, 0.85),
        ]
        lines = ["| measure | n | of | % | target |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {name} | {n} | {d} | {r:.0%} | {t:.0%} |" for name, n, d, r, t in rows]
        lines.append(f"| duplicates | {self.duplicates} | {self.proposals} | | |")
        return "\n".join(lines)


def load_reference(meeting_file: Path, gold_file: Path) -> list[Reference]:
    meeting = yaml.safe_load(meeting_file.read_text(encoding="utf-8"))
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    refs = []
    for consultation in meeting["consultations"]:
        for condition in consultation.get("conditions", []):
            entry = gold[condition["id"]]
            refs.append(
                Reference(
                    id=condition["id"],
                    consultation=consultation["title"],
                    kind=condition["kind"],
                    timing=None if entry["timing"] is None else str(entry["timing"]),
                    quotes=tuple(normalize(q) for q in entry["quotes"]),
                )
            )
    return refs


def score_draft(draft: Draft, references: list[Reference]) -> Score:
    placed = [(s.title, p) for s in draft.consultations for p in s.proposals]
    hits = {
        i: [j for j, ref in enumerate(references) if _hits(t, p, ref)]
        for i, (t, p) in enumerate(placed)
    }
    match = _matching(hits, placed, references)  # reference index -> proposal index
    correct = sum(1 for targets in hits.values() if targets)
    kind_right = sum(1 for j, i in match.items() if placed[i][1].kind == references[j].kind)
    timed = [(j, i) for j, i in match.items() if references[j].timing is not None]
    timing_right = sum(1 for j, i in timed if _timing(placed[i][1]) == references[j].timing)
    return Score(
        conditions=len(references),
        proposals=len(placed),
        found=len(match),
        correct=correct,
        duplicates=correct - len(match),
        kind_right=kind_right,
        with_timing=len(timed),
        timing_right=timing_right,
        missed=tuple(r.id for j, r in enumerate(references) if j not in match),
        false=tuple(placed[i][1].text for i, targets in hits.items() if not targets),
    )


def _hits(title: str, proposal: Proposal, ref: Reference) -> bool:
    mine, theirs = (normalize(x).replace(" ", "") for x in (title, ref.consultation))
    if mine not in theirs and theirs not in mine:
        return False
    sentences = [normalize(s) for s in proposal.sentences]
    return any(q in s or s in q for q in ref.quotes for s in sentences)


def _matching(
    hits: dict[int, list[int]], placed: list[tuple[str, Proposal]], refs: list[Reference]
) -> dict[int, int]:
    """Maximum one-to-one matching (Kuhn), trying same-kind pairs first."""
    owner: dict[int, int] = {}

    def ordered(i: int) -> list[int]:
        kind = placed[i][1].kind
        return sorted(hits[i], key=lambda j: refs[j].kind != kind)

    def augment(i: int, seen: set[int]) -> bool:
        for j in ordered(i):
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in hits:
        augment(i, set())
    return owner


def _timing(proposal: Proposal) -> str | None:
    if proposal.trigger:
        return f"trigger:{proposal.trigger}"
    if isinstance(proposal.due, dt.date):
        return proposal.due.isoformat()
    return proposal.due
