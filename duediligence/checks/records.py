"""Typed records of the evidence checks, shared by the store and the check modules.

Plain frozen dataclasses with no behaviour beyond a few derived properties, so
``duediligence.store.checks`` can return them without importing any logic.
Names of people (氏名) appear only in :class:`RosterEntry` and
:class:`PledgeRecord`: they are personal data and never go into events.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass


def person_key(name: str) -> str:
    """The form names are matched by: NFKC, no spaces of any width (山田　太郎 == 山田太郎)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One person on one roster version (名簿の1行)."""

    row: int
    name: str
    affiliation: str = ""
    role: str | None = None
    employment: str | None = None
    started: dt.date | None = None
    ended: dt.date | None = None

    @property
    def key(self) -> str:
        return person_key(self.name)


@dataclass(frozen=True, slots=True)
class RosterVersion:
    """One accepted upload of a roster for a consultation and vendor (版)."""

    id: int
    condition: str
    consultation: str
    vendor: str  # '' when the roster condition names no vendor
    version: int
    evidence: int | None
    findings: tuple[dict[str, object], ...]
    submitted_by: str
    submitted_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PledgeRecord:
    """A confidentiality pledge (誓約書) of one person, for a consultation and vendor."""

    id: int
    consultation: str
    vendor: str
    person: str  # person_key of the name
    name: str
    after_leaving: bool  # the pledge binds after the person leaves (退職後を含む)
    condition: str
    evidence: int | None
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """What the owner entered for a certificate_renewal condition (番号・最新更新日・有効期限)."""

    id: int
    condition: str
    vendor: str
    scheme: str
    number: str
    renewed: dt.date
    expires: dt.date
    first_registered: dt.date | None
    evidence: int | None
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TriggerDefinition:
    """A condition series that waits on an event instead of a calendar date."""

    series: str
    trigger: str
    days: int  # business days from the event to the due date


@dataclass(frozen=True, slots=True)
class TriggerEvent:
    """An event an owner reported for a consultation (契約終了, ディスク交換, …)."""

    id: int
    consultation: str
    trigger: str
    occurred_on: dt.date
    reported_by: str
    reported_at: dt.datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class FiscalYearAnswer:
    """The owner's answer to "was data kept past the fiscal year?" for one year (年度)."""

    series: str
    fiscal_year: int  # the calendar year the fiscal year starts in (令和2年度 = 2020)
    kept: bool
    answered_by: str
    answered_at: dt.datetime
    opened: str | None  # the occurrence opened by a "yes"
