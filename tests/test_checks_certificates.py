"""Certificate renewals (認証更新): recorded, the vendor record updated, stale ones flagged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SECRETARIAT, SHUNO_OWNER, STRANGER, VACC_OWNER, AdminCli

from duediligence import EvidenceError, PermissionDenied, Status
from duediligence.checks import certificates
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

LATER = MEETING_NIGHT + dt.timedelta(days=7)  # 2021-02-17
TODAY = LATER.date()
ISMS_ITEM = "R2-15-13"
PMARK_ITEM = "R2-15-14"
VENDOR = "株式会社サンプル収納サービス"


def record(
    t: Tracker,
    cid: str = ISMS_ITEM,
    *,
    renewed: dt.date,
    expires: dt.date,
    scan: bytes | None = b"%PDF cert",
    **kw,
):
    return certificates.record_certificate(
        t,
        cid,
        number=kw.pop("number", "IS 500001"),
        renewed=renewed,
        expires=expires,
        scan=scan,
        filename="touroku.pdf",
        actor=kw.pop("actor", SHUNO_OWNER),
        now=kw.pop("now", LATER),
        **kw,
    )


def flags(t: Tracker, cid: str, today: dt.date = TODAY) -> list[str]:
    return [
        f.code for f in certificates.certificate_findings(t.store, t.store.condition(cid), today)
    ]


def test_first_registration_only_is_flagged_before_anything_is_entered(sample: Tracker) -> None:
    # The seed: ISMS first registered 2007, Privacy Mark 2006, no renewal on record.
    assert flags(sample, ISMS_ITEM) == ["checks.certificate.never_renewed"]
    assert flags(sample, PMARK_ITEM) == ["checks.certificate.never_renewed"]
    # The subcontractor's only certification is the one R2-16-05 is about.
    assert certificates.resolve_scheme(sample.store, sample.store.condition("R2-16-05")) == "ISMS"


def test_a_current_renewal_updates_the_vendor_record(sample: Tracker) -> None:
    result = record(sample, renewed=dt.date(2020, 3, 16), expires=dt.date(2023, 3, 15))
    assert result.findings == () and result.record.scheme == "ISMS"
    assert result.evidence is not None
    assert sample.store.condition(ISMS_ITEM).status is Status.SUBMITTED
    isms = {c.scheme: c for c in sample.store.certifications(VENDOR)}["ISMS"]
    assert (isms.number, isms.first_registered, isms.last_renewed, isms.expires) == (
        "IS 500001",
        dt.date(2007, 3, 16),
        dt.date(2020, 3, 16),
        dt.date(2023, 3, 15),
    )
    assert flags(sample, ISMS_ITEM) == []
    vendor_log = sample.store.events(f"vendor:{VENDOR}")
    assert vendor_log[-1].action == "certification_updated"
    assert vendor_log[-1].data["before"]["last_renewed"] is None


def test_an_expired_certificate_is_flagged(sample: Tracker) -> None:
    result = record(sample, renewed=dt.date(2017, 3, 16), expires=dt.date(2020, 3, 15))
    assert [f.code for f in result.findings] == ["checks.certificate.expired"]
    assert "2020-03-15" in result.findings[0].render("ja")
    assert flags(sample, ISMS_ITEM) == ["checks.certificate.expired"]
    logged = sample.store.events(ISMS_ITEM)[-1]
    assert logged.action == "certificate_recorded"
    assert logged.data["flags"] == ["checks.certificate.expired"]
    # A certificate valid when entered is flagged once its expiry passes.
    record(
        sample,
        PMARK_ITEM,
        number="10820001(08)",
        renewed=dt.date(2020, 8, 1),
        expires=dt.date(2022, 7, 31),
    )
    assert flags(sample, PMARK_ITEM) == []
    assert flags(sample, PMARK_ITEM, today=dt.date(2022, 8, 1)) == ["checks.certificate.expired"]


def test_a_renewal_that_is_the_first_registration_is_flagged(sample: Tracker) -> None:
    result = record(sample, renewed=dt.date(2007, 3, 16), expires=dt.date(2030, 3, 15))
    assert [f.code for f in result.findings] == ["checks.certificate.never_renewed"]


def test_accepting_opens_the_next_cycle_due_on_the_expiry(sample: Tracker) -> None:
    record(sample, renewed=dt.date(2020, 3, 16), expires=dt.date(2023, 3, 15))
    sample.accept(ISMS_ITEM, actor=SECRETARIAT, now=LATER)
    nxt = sample.store.condition(f"{ISMS_ITEM}#2")
    assert (nxt.status, nxt.due, nxt.occurrence, nxt.kind) == (
        Status.OPEN,
        dt.date(2023, 3, 15),
        2,
        "certificate_renewal",
    )
    assert sample.store.events(ISMS_ITEM)[-1].data["next"] == f"{ISMS_ITEM}#2"
    # The next cycle is chased like any dated item: overdue once the expiry passes unrenewed.
    assert nxt.is_overdue(dt.date(2023, 3, 16))


def test_refusals(sample: Tracker) -> None:
    with pytest.raises(EvidenceError) as err:
        record(sample, renewed=dt.date(2020, 3, 16), expires=dt.date(2023, 3, 15), scan=None)
    assert err.value.key == "checks.certificate.scan_required"
    with pytest.raises(EvidenceError) as err:
        record(sample, renewed=dt.date(2023, 3, 16), expires=dt.date(2020, 3, 15))
    assert err.value.key == "checks.certificate.renewed_future"
    with pytest.raises(EvidenceError) as err:
        record(sample, renewed=dt.date(2020, 3, 16), expires=dt.date(2020, 3, 16))
    assert err.value.key == "checks.certificate.bad_period"
    with pytest.raises(EvidenceError):
        record(sample, "R2-15-01", renewed=dt.date(2020, 3, 16), expires=dt.date(2023, 3, 15))
    for who in (STRANGER, VACC_OWNER, SECRETARIAT):
        with pytest.raises(PermissionDenied):
            record(sample, renewed=dt.date(2020, 3, 16), expires=dt.date(2023, 3, 15), actor=who)
    assert sample.store.latest_certificate_record(ISMS_ITEM) is None
    assert sample.store.evidence_of(ISMS_ITEM) == []


def test_details_may_follow_a_scan_already_submitted(sample: Tracker) -> None:
    sample.submit_evidence(
        ISMS_ITEM, [b"%PDF scan"], filename="scan.pdf", actor=SHUNO_OWNER, now=LATER
    )
    result = record(sample, renewed=dt.date(2020, 3, 16), expires=dt.date(2023, 3, 15), scan=None)
    assert result.evidence is None and len(sample.store.evidence_of(ISMS_ITEM)) == 1


def test_certificate_command_and_show_json(tmp_path: Path, admin: AdminCli) -> None:
    admin.now = "2021-03-01T10:00:00+09:00"
    run = admin.import_sample()
    shown = json.loads(run("show", PMARK_ITEM, "--json").output)
    assert [c["code"] for c in shown["checks"]] == ["checks.certificate.never_renewed"]
    scan = tmp_path / "pmark.pdf"
    scan.write_bytes(b"%PDF pmark")
    args = ["certificate", PMARK_ITEM, "--number", "10820001(07)", "--renewed", "2018-08-01"]
    result = run(*args, "--expires", "令和2年7月31日", "--file", str(scan), "--as", SHUNO_OWNER)
    assert result.exit_code == 0, result.output
    assert "PrivacyMark" in result.output and "有効期限(2020-07-31)が切れています" in result.output
    shown = json.loads(run("show", PMARK_ITEM, "--json").output)
    assert shown["status"] == "submitted"
    assert shown["certificate"]["expires"] == "2020-07-31"
    assert [c["code"] for c in shown["checks"]] == ["checks.certificate.expired"]
