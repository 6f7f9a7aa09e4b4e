"""The sub-contracting chain: a sub-contractor two levels down, approved, placed under its
contractor with the conditions it inherited, and shown so in status and the pack."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from pathlib import Path

import pytest
from conftest import MEETING_NIGHT, SECRETARIAT, STRANGER, TOKYO, VACC_OWNER, AdminCli

from duediligence import ImportFormatError, PermissionDenied, Status
from duediligence.chain import chain_lines, path_label, request_subcontract
from duediligence.importer import import_file
from duediligence.model import Kind, VendorRole
from duediligence.tracker import Tracker

pytestmark = pytest.mark.both_engines

PRIME = "株式会社サンプル人材サービス"
SUB = "サンプル予約システムズ株式会社"
SUBSUB = "株式会社サンプルデータセンター"
ASKED = dt.datetime(2021, 4, 5, 10, 0, tzinfo=TOKYO)
APPROVED = dt.datetime(2021, 4, 12, 10, 0, tzinfo=TOKYO)


def approved(t: Tracker) -> str:
    request = request_subcontract(
        t, "R2-16", subcontractor=SUBSUB, parent=SUB, due=dt.date(2021, 4, 30),
        actor=VACC_OWNER, now=ASKED,
    )  # fmt: skip
    t.submit_evidence(
        request.id, io.BytesIO(b"%PDF request"), filename="saisai.pdf", actor=VACC_OWNER, now=ASKED
    )
    t.accept(request.id, actor=SECRETARIAT, now=APPROVED)
    return request.id


def test_a_listed_subcontractor_works_under_the_contractor(sample: Tracker) -> None:
    assert path_label(sample.store, "R2-16", SUB) == f"{PRIME} → {SUB}"
    assert chain_lines(sample.store, sample.store.consultation("R2-16")) == [
        f"{PRIME}（元請）",
        f"　{SUB}（再委託先）",
    ]


def test_an_approved_second_tier_joins_under_its_contractor_and_inherits(
    sample: Tracker,
) -> None:
    request_id = approved(sample)
    store = sample.store
    assert request_id == "R2-16-SUB1"
    request = store.condition(request_id)
    assert request.kind is Kind.SUBCONTRACT_APPROVAL and request.vendor == SUB
    vendors = {v.name: v.role for v in store.consultation("R2-16").vendors}
    assert vendors[SUBSUB] is VendorRole.SUBCONTRACTOR
    assert path_label(store, "R2-16", SUBSUB) == f"{PRIME} → {SUB} → {SUBSUB}"
    assert chain_lines(store, store.consultation("R2-16"), "en")[-1] == (
        f"　　{SUBSUB} (second-tier sub-contractor)"
    )
    inherited = [c for c in store.conditions() if c.vendor == SUBSUB]
    kinds = sorted(str(c.kind) for c in inherited)
    assert kinds == ["certificate_renewal", "disposal_certificate", "pledge", "roster"]
    copied = next(c for c in inherited if c.kind is Kind.CERTIFICATE_RENEWAL)
    assert store.events(copied.id)[0].data["from"] == "R2-16-05"  # the contractor's own
    assert all(c.status is Status.OPEN and c.due == dt.date(2021, 5, 12) for c in inherited)
    assert all(c.department == "新型コロナウイルスワクチン接種事業PT" for c in inherited)
    assert all(f"再委託先 {SUBSUB} 分" in c.text for c in inherited)
    # accepting again (a later occurrence, a re-run) adds nothing
    assert store.events("consultation:R2-16")[-1].action == "subcontractor_approved"


def test_only_the_department_asks_and_the_parent_must_be_a_vendor(sample: Tracker) -> None:
    with pytest.raises(PermissionDenied):
        request_subcontract(
            sample, "R2-16", subcontractor=SUBSUB, parent=SUB, due=dt.date(2021, 4, 30),
            actor=STRANGER, now=ASKED,
        )  # fmt: skip
    from duediligence.chain import ChainError

    with pytest.raises(ChainError):
        request_subcontract(
            sample, "R2-16", subcontractor=SUBSUB, parent="株式会社どこか", due=dt.date(2021, 4, 30),
            actor=VACC_OWNER, now=ASKED,
        )  # fmt: skip
    assert sample.store.find_condition("R2-16-SUB1") is None


def test_status_and_the_pack_show_the_chain(admin: AdminCli, tmp_path: Path) -> None:
    admin.import_sample()
    asked = admin(
        "subcontract", "request", "R2-16", "--subcontractor", SUBSUB, "--under", SUB,
        "--due", "2021-04-30", "--as", VACC_OWNER, now=ASKED.isoformat(),
    )  # fmt: skip
    assert asked.exit_code == 0, asked.output
    assert "R2-16-SUB1" in asked.output and "名簿" in asked.output
    scan = tmp_path / "saisai.pdf"
    scan.write_bytes(b"%PDF request")
    assert admin("evidence", "add", "R2-16-SUB1", str(scan), "--as", VACC_OWNER,
                 now=ASKED.isoformat()).exit_code == 0  # fmt: skip
    assert (
        admin("accept", "R2-16-SUB1", "--as", SECRETARIAT, now=APPROVED.isoformat()).exit_code == 0
    )
    status = admin("status", "--vendor", SUBSUB, now=APPROVED.isoformat()).output
    assert f"委託の体制: {PRIME} → {SUB} → {SUBSUB}" in status
    assert "R2-16-SUB1-1" in status and "R2-16-SUB1-4" in status
    shown = admin("show", "R2-16-SUB1-1").output
    assert f"{PRIME} → {SUB} → {SUBSUB}" in shown

    packed = admin("report", "--meeting", "R3-1", "--out", str(tmp_path / "pack"),
                   now="2021-05-12T09:00:00+09:00")  # fmt: skip
    assert packed.exit_code == 0, packed.output
    markdown = (tmp_path / "pack" / "report-pack-R3-1.md").read_text(encoding="utf-8")
    assert f"{PRIME}（元請） → {SUB}（再委託先） → {SUBSUB}（再々委託先）" in markdown
    assert "R2-16-SUB1-1" in markdown and "再委託の承認［R2-16-SUB1］" in markdown


CHAIN_FILE = textwrap.dedent(
    """\
    council: 東村山市情報セキュリティ委員会
    body: committee
    meeting: {id: ISC-1, date: 2021-04-12}
    departments:
      - {name: 収納課, owners: [U02SHUNO001]}
    consultations:
      - id: ISC-01
        title: クラウド契約
        department: 収納課
        vendors:
          - {name: A社}
          - {name: B社, role: subcontractor, parent: A社}
          - {name: C社, role: subcontractor, parent: B社}
          - {name: D社, role: subcontractor, parent: X社}
        conditions:
          - {id: ISC-01-1, kind: roster, text: 名簿, vendor: C社, due: 2021-05-31}
    """
)


def test_import_places_any_depth_and_refuses_unknown_parents(
    sample: Tracker, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CHAIN_FILE, encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        import_file(sample.store, bad, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert "X社" in err.value.render() and "bad.yaml 14行目" in err.value.render()
    cycle = tmp_path / "cycle.yaml"
    cycle.write_text(
        CHAIN_FILE.replace("parent: X社", "parent: D社").replace(
            "{name: A社}", "{name: A社, parent: C社}"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ImportFormatError) as err:
        import_file(sample.store, cycle, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert "自分自身に戻ります" in err.value.render()
    good = tmp_path / "good.yaml"
    good.write_text(CHAIN_FILE.replace("parent: X社", "parent: A社"), encoding="utf-8")
    import_file(sample.store, good, actor=SECRETARIAT, now=MEETING_NIGHT)
    assert path_label(sample.store, "ISC-01", "C社") == "A社 → B社 → C社"
    assert chain_lines(sample.store, sample.store.consultation("ISC-01")) == [
        "A社（元請）",
        "　B社（再委託先）",
        "　　C社（再々委託先）",
        "　D社（再委託先）",
    ]
    import_file(sample.store, good, actor=SECRETARIAT, now=MEETING_NIGHT)  # again: no change
    placed = [
        e for e in sample.store.events("consultation:ISC-01") if e.action == "subcontractor_placed"
    ]
    assert len(placed) == 3
