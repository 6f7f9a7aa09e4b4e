"""From minutes to proposed conditions: rules over sentences, each proposal with its source.

The minutes record a conversation, not a list: a member asks (「…してもらいたい」),
the department answers (「承知した」「仕様書に盛り込みたい」), the chair sums up
(「以上を条件とし、本件については可とする」). A condition is a request that names
something to deliver (a roster, a pledge, a spec change, a report…); a question
becomes one only when the answer commits the department; a request that names
nothing to deliver is a general remark and proposes nothing. The rules are in
patterns.yaml so a maintainer can read and extend them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from ..dates import fiscal_year_end, parse_due
from ..errors import DueDateError
from .minutes import Minutes, Role, Utterance, normalize, split_sentences
from .patterns import patterns

__all__ = ["Confidence", "Proposal", "Section", "Draft", "extract"]


class Confidence(StrEnum):
    HIGH = "high"  # 高: asked and accepted, or asked twice
    MEDIUM = "medium"  # 中: asked, no recorded answer
    LOW = "low"  # 低: read from the department's own words or from context only


@dataclass(slots=True)
class Proposal:
    kind: str
    text: str  # the sentence as the council worded it
    line: int  # where it was said first
    confidence: Confidence
    lines: list[int] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    due: str | dt.date | None = None  # a date, "next_meeting", or None (to fill in)
    trigger: str | None = None
    days: int | None = None
    recurrence: str | None = None
    scheme: str | None = None
    vendor: str | None = None
    from_question: bool = False

    @property
    def article(self) -> str | None:
        found = _ARTICLE.search(normalize(" ".join(self.sentences)))
        return found.group(0) if found else None


@dataclass(slots=True)
class Section:
    """One consultation (諮問) or report the council heard, with what it asked."""

    title: str
    line: int
    report: bool = False
    number: str | None = None
    department: str | None = None
    decision: str | None = None
    conditional: bool = False
    vendors: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    utterances: list[Utterance] = field(default_factory=list)


@dataclass(slots=True)
class Draft:
    council: str | None
    meeting_name: str | None
    meeting_date: dt.date | None
    contact_department: str | None
    sections: list[Section]

    @property
    def consultations(self) -> list[Section]:
        """What the draft proposes: every consultation, and the reports that asked something."""
        return [s for s in self.sections if not s.report or s.proposals]

    @property
    def proposals(self) -> list[Proposal]:
        return [p for s in self.consultations for p in s.proposals]


_ARTICLE = re.compile(r"第\d+条(第\d+[号項])?")
_AGENDA = re.compile(
    r"(?P<number>(令和|平成)(元|\d+)年度諮問第\d+号)「(?P<title>[^」]+)」(\((?P<dept>[^)]+)\))?"
)
_CONSULTATION = re.compile(r"^[-・○◯●]?「(?P<title>[^」]+)」(について|に関して)(?P<rest>.*)$")
_REPORT_HEAD = re.compile(r"^[○◯●]\s*(?P<title>[^「」。]{2,60}?)(について)?$")
_PART = re.compile(r"^\((?P<n>\d+)\)(?P<title>\S.*)$")
_ANSWERING = re.compile(r"^※?委員(の)?意見及び(?P<dept>.+?)の回答")
_SPEAKER = re.compile(r"^\((?P<who>[^()]{1,20})\)\s*(?P<rest>.*)$")
_COMPANY = re.compile(
    r"(?:株式会社|有限会社|合同会社)[^\s、。「」()・,]{1,30}|[^\s、。「」()・,]{1,30}(?:株式会社|有限会社|合同会社)"
)
#: kinds a generic 「確認を」 takes from the rest of what the member said
_FROM_CONTEXT = ("certificate_renewal", "roster", "pledge")
#: how a sentence leans on the one before; not part of the condition
_CONJUNCTION = re.compile(
    r"^(また|そのため|それでは|であれば|なお|さらに|加えて|それに付随して|それに関連して)[、,]\s*"
)
_BULLET = re.compile(r"^\s*([-・●]|→|⇒)\s*")


def extract(minutes: Minutes, *, today: dt.date) -> Draft:
    """The draft meeting: consultations found and the conditions proposed under each.

    *today* only anchors a meeting date written without its year.
    """
    meta = _metadata(minutes, today)
    sections = _sections(minutes, meta["agenda"], meta["contact"])
    meeting_date = meta["date"]
    for section in sections:
        _propose(section, meeting_date)
        _merge(section)
    return Draft(
        council=meta["council"],
        meeting_name=meta["name"],
        meeting_date=meeting_date,
        contact_department=meta["contact"],
        sections=sections,
    )


# -- the meeting ---------------------------------------------------------------------


def _metadata(minutes: Minutes, today: dt.date) -> dict:
    text = normalize(minutes.raw)
    name_match = re.search(r"会議の名称\|?(?P<v>[^|\n]+)", text)
    full_name = name_match["v"].strip() if name_match else None
    name = council = None
    if full_name:
        split = re.match(r"(?P<name>(令和|平成)(元|\d+)年度第\d+回)(?P<council>.+)", full_name)
        name, council = (split["name"], split["council"]) if split else (None, full_name)
    city = re.search(
        r"(?P<city>[一-龥ぁ-んァ-ヶ]{1,5}?[市町村区])(?:個人情報|情報公開条例|役所)", text
    )
    if council and city and not council.startswith(city["city"]):
        council = city["city"] + council
    date = None
    held = re.search(r"開催日時\|?(?P<v>[^|\n]+)", text)
    if held:
        day = re.search(r"((令和|平成)(元|\d+)年|\d{4}年)\d+月\d+日", held["v"])
        if day:
            try:
                date = parse_due(day.group(0), today=today)
            except DueDateError:
                date = None
    contact = re.search(
        r"問い合わせ先\|?[^|\n]*?(?:[一-龥]{1,6}部)?(?P<dept>[一-龥ァ-ヶ]{1,8}?課)", text
    )
    agenda = {_title_key(m["title"]): (m["number"], m["dept"]) for m in _AGENDA.finditer(text)}
    return {
        "name": name,
        "council": council,
        "date": date,
        "contact": contact["dept"] if contact else None,
        "agenda": agenda,
    }


def _title_key(title: str) -> str:
    return normalize(title).replace(" ", "")


# -- sections and who speaks ---------------------------------------------------------


def _sections(
    minutes: Minutes, agenda: dict[str, tuple[str, str | None]], contact: str | None
) -> list[Section]:
    sections: list[Section] = []
    part = ""
    current: Section | None = None
    for number, line in minutes.lines:
        stripped = line.strip()
        norm = normalize(stripped)
        if norm.startswith("|"):
            continue  # the header table
        heading = _PART.match(norm)
        if heading and len(norm) < 40:
            part = heading["title"]
            current = None
            continue
        consultation = _CONSULTATION.match(norm)
        if consultation and "報告" not in part:
            title = consultation["title"]
            current = Section(title=title, line=number)
            number_and_dept = agenda.get(_title_key(title))
            if number_and_dept:
                current.number, current.department = number_and_dept
            current.decision = _decision(consultation["rest"])
            sections.append(current)
            continue
        report = _REPORT_HEAD.match(norm)
        if report and ("報告" in part or "その他" in part):
            current = Section(title=report["title"].strip(), line=number, report=True)
            current.decision = "noted"
            current.department = contact
            sections.append(current)
            continue
        if current is None:
            continue
        answering = _ANSWERING.match(norm)
        if answering:
            current.department = current.department or answering["dept"]
            continue
        utterance = _utterance(number, line, current)
        if utterance is not None:
            current.utterances.append(utterance)
    for section in sections:
        section.vendors = list(
            dict.fromkeys(m.group(0) for u in section.utterances for m in _COMPANY.finditer(u.norm))
        )
    return sections


def _utterance(number: int, line: str, section: Section) -> Utterance | None:
    bullet = _BULLET.match(line)
    indented = bool(re.match(r"^\s+[-・]", line)) or bool(re.match(r"^\s*(→|⇒)", line))
    text = line[bullet.end() :] if bullet else line.strip()
    if not text:
        return None
    role = Role.MEMBER if bullet else Role.NARRATION
    speaker = _SPEAKER.match(normalize(text))
    if speaker and "事務局" in speaker["who"]:
        role = Role.SECRETARIAT
        text = speaker["rest"]
    elif speaker and not speaker["rest"]:
        return None  # a label line: who presents the report that follows
    if role is Role.MEMBER and (indented or _sounds_like_answer(text, section)):
        role = Role.DEPARTMENT
    utterance = Utterance(line=number, text=text.strip(), role=role, indented=indented)
    utterance.sentences = split_sentences(utterance.text)
    return utterance


def _sounds_like_answer(text: str, section: Section) -> bool:
    p = patterns()
    sentences = [normalize(s) for s in split_sentences(text)]
    if any(p["requests"].any(s) and not p["questions"].any(s) for s in sentences):
        return False
    if any(p["questions"].any(s) for s in sentences):
        return False
    return p["answers"].any(normalize(text))


def _decision(text: str) -> str | None:
    found = patterns()["decisions"].first(normalize(text))
    return found[0].value["decision"] if found else None


# -- proposals -----------------------------------------------------------------------


def _propose(section: Section, meeting_date: dt.date | None) -> None:
    p = patterns()
    by_utterance: dict[int, list[Proposal]] = {}
    for index, utterance in enumerate(section.utterances):
        norm_text = utterance.norm
        if p["conditions_of_approval"].any(norm_text):
            section.conditional = True
        decided = _decision(norm_text) if "本件" in norm_text else None
        if decided:
            section.decision = decided
        if utterance.role in (Role.MEMBER, Role.SECRETARIAT):
            made = _from_member(utterance, section, meeting_date)
            by_utterance[index] = made
        elif utterance.role is Role.DEPARTMENT:
            by_utterance[index] = _from_department(
                index, utterance, section, by_utterance, meeting_date
            )
    if section.proposals and section.decision == "approved":
        section.decision = "approved_with_conditions"
    if section.conditional and section.decision in (None, "approved"):
        section.decision = "approved_with_conditions"


def _from_member(
    utterance: Utterance, section: Section, meeting_date: dt.date | None
) -> list[Proposal]:
    p = patterns()
    made: list[Proposal] = []
    context = utterance.norm
    for sentence in utterance.sentences:
        norm = normalize(sentence)
        if p["not_requests"].any(norm) or p["council_steps"].any(norm):
            continue
        request = p["requests"].first(norm)
        if request is None:
            continue
        if p["questions"].any(norm) and not request[0].value.get("question"):
            continue
        kind = _kind(norm)
        confidence = Confidence.MEDIUM
        if kind in (None, "confirmation", "other"):
            specific = _kind(context)
            if specific in _FROM_CONTEXT:
                kind, confidence = specific, Confidence.LOW
        if kind is None:
            continue
        for scheme in _schemes(kind, norm, context):
            proposal = _proposal(kind, sentence, utterance.line, confidence, meeting_date)
            proposal.scheme = scheme
            made.append(proposal)
            section.proposals.append(proposal)
    return made


def _from_department(
    index: int,
    utterance: Utterance,
    section: Section,
    by_utterance: dict[int, list[Proposal]],
    meeting_date: dt.date | None,
) -> list[Proposal]:
    p = patterns()
    norm = utterance.norm
    sentences = [normalize(s) for s in utterance.sentences]
    committed = any(p["commitments"].any(s) for s in sentences)
    affirmed = any(p["affirmations"].any(s) for s in sentences)
    made: list[Proposal] = []
    if committed or affirmed:
        for back in range(index - 1, max(index - 4, -1), -1):
            earlier = section.utterances[back]
            if earlier.role is Role.DEPARTMENT:
                continue
            if earlier.role is Role.NARRATION:
                break
            asked = by_utterance.get(back) or []
            if asked and committed:
                for proposal in asked:
                    proposal.confidence = Confidence.HIGH
                    proposal.lines.append(utterance.line)
                    proposal.recurrence = proposal.recurrence or _recurrence(norm)
                break
            if asked:
                break
            question = _question_with_kind(earlier, norm, committed)
            if question is not None:
                kind, sentence = question
                proposal = _proposal(kind, sentence, earlier.line, Confidence.MEDIUM, meeting_date)
                proposal.from_question = True
                proposal.lines.append(utterance.line)
                made.append(proposal)
                section.proposals.append(proposal)
                by_utterance[back] = [proposal]
            break
    follow_up = p["department_follow_ups"].first(norm)
    if follow_up and not made:
        pattern, match = follow_up
        sentence = next(
            (s for s in utterance.sentences if pattern.search(normalize(s))), utterance.text
        )
        proposal = _proposal(
            pattern.value["kind"], sentence, utterance.line, Confidence.LOW, meeting_date
        )
        made.append(proposal)
        section.proposals.append(proposal)
    return made


def _question_with_kind(earlier: Utterance, answer: str, committed: bool) -> tuple[str, str] | None:
    """A member's question the answer turns into a condition: (kind, the question sentence)."""
    p = patterns()
    for sentence in reversed(earlier.sentences):
        norm = normalize(sentence)
        if not p["questions"].any(norm):
            continue
        if not committed and not p["obligations"].any(norm):
            continue
        kind = _kind(norm) or (_kind(answer) if committed else None)
        if kind is None and p["obligations"].any(norm):
            kind = "confirmation" if re.search("徹底|確認", norm) else None
        if kind is not None:
            return kind, sentence
    return None


def _kind(text: str) -> str | None:
    found = patterns()["kinds"].first(text)
    return found[0].value["kind"] if found else None


def _schemes(kind: str, sentence: str, context: str) -> list[str | None]:
    if kind != "certificate_renewal":
        return [None]
    schemes = patterns()["schemes"]
    named = [s.value["scheme"] for s in schemes.patterns if s.search(sentence)]
    if not named:
        named = [s.value["scheme"] for s in schemes.patterns if s.search(context)]
    return list(dict.fromkeys(named)) or [None]


def _proposal(
    kind: str, sentence: str, line: int, confidence: Confidence, meeting_date: dt.date | None
) -> Proposal:
    proposal = Proposal(
        kind=kind,
        text=_clean_text(sentence),
        line=line,
        confidence=confidence,
        lines=[line],
        sentences=[sentence],
    )
    _timing(proposal, normalize(sentence), meeting_date)
    proposal.recurrence = _recurrence(normalize(sentence))
    return proposal


def _recurrence(text: str) -> str | None:
    found = patterns()["recurrence"].first(text)
    return found[0].value["recurrence"] if found else None


def _clean_text(sentence: str) -> str:
    text = re.sub(r"^(\(事務局\)|（事務局）)\s*", "", sentence.strip())
    text = _CONJUNCTION.sub("", text)
    return re.sub(r"\s+", " ", text)


def _timing(proposal: Proposal, sentence: str, meeting_date: dt.date | None) -> None:
    found = patterns()["timing"].first(sentence, kinds=proposal.kind)
    if not found:
        return
    pattern, match = found
    value = pattern.value
    if "trigger" in value:
        proposal.trigger = value["trigger"]
        proposal.days = value.get("days")
    elif value.get("due") == "fiscal_year_end" and meeting_date is not None:
        proposal.due = fiscal_year_end(meeting_date)
    elif value.get("due") == "next_meeting":
        proposal.due = "next_meeting"
    elif value.get("date") and meeting_date is not None:
        try:
            proposal.due = parse_due(match.group(0), today=meeting_date)
        except DueDateError:
            proposal.due = None


# -- one proposal per thing asked ----------------------------------------------------


def _merge(section: Section) -> None:
    """Fold a request asked again (often in the chair's summing-up) into the first asking."""
    kept: list[Proposal] = []
    for proposal in section.proposals:
        same = next((k for k in kept if _same_request(k, proposal)), None)
        if same is None:
            kept.append(proposal)
            continue
        same.lines.extend(x for x in proposal.lines if x not in same.lines)
        same.sentences.extend(proposal.sentences)
        same.confidence = Confidence.HIGH
        if same.from_question and not proposal.from_question:
            same.text, same.line, same.from_question = proposal.text, proposal.line, False
        same.due = same.due or proposal.due
        same.trigger = same.trigger or proposal.trigger
        same.days = same.days or proposal.days
        same.recurrence = same.recurrence or proposal.recurrence
    section.proposals = kept


def _same_request(a: Proposal, b: Proposal) -> bool:
    if a.kind != b.kind:
        return False
    if (a.trigger or b.trigger) and a.trigger != b.trigger:
        return False
    if a.kind in ("roster", "pledge") or a.trigger:
        return True
    if a.kind == "certificate_renewal":
        return a.scheme == b.scheme or b.scheme is None
    if a.kind in ("report_back", "other") and a.due == b.due == "next_meeting":
        return True
    if a.article and a.article == b.article:
        return True
    return _similarity(a.text, b.text) >= 0.35


def _similarity(a: str, b: str) -> float:
    grams_a, grams_b = _bigrams(a), _bigrams(b)
    if not grams_a or not grams_b:
        return 0.0
    return len(grams_a & grams_b) / len(grams_a | grams_b)


def _bigrams(text: str) -> set[str]:
    norm = re.sub(r"[\s、。「」()・]", "", normalize(text))
    return {norm[i : i + 2] for i in range(len(norm) - 1)}
