"""`jaring claim assess`: eligibility by the ledger and the benefit breakdown, without recording anything."""

from __future__ import annotations

import json

import pytest

from jaring.claims.models import Claim
from jaring.cli import main
from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def _paid(worker: Worker, day: str) -> None:
    """Bill October 2026 and pay it on `day`."""
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    amount = BillLine.objects.get(worker=worker, period="2026-10").amount
    payment_record(va_number=Payer.objects.get(worker=worker).va_number, amount=amount, paid_at=at(day), recorded_at=at(day),
                   reference=f"R-{day}", bank="demo", viewer=SYSTEM, actor=None)  # fmt: skip


def test_jkm_paid_before_the_death_is_42_million(capsys: pytest.CaptureFixture[str]) -> None:
    worker = member()
    _paid(worker, "2026-10-03")
    code, out = run(capsys, "claim", "assess", "--nik", worker.nik or "", "--type", "jkm", "--event-date",
                    "2026-10-20", "--children", "3", "--json")  # fmt: skip
    assert code == 0 and out["eligible"] is True and out["reasons"] == []
    assert out["total"] == 42_000_000 and [line["amount"] for line in out["lines"]] == [20_000_000, 12_000_000,
                                                                                          10_000_000]  # fmt: skip
    assert all(line["basis"].startswith("PP 82/2019") for line in out["lines"])
    # one paid month: a JKM scholarship needs 36
    assert out["scholarship"] == {"children_eligible": 0, "paid_months": 1,
                                  "reason": "scholarship_needs_36_paid_months"}  # fmt: skip


def test_a_month_paid_after_the_accident_does_not_cover_it(capsys: pytest.CaptureFixture[str]) -> None:
    worker = member()
    _paid(worker, "2026-10-25")
    code, out = run(capsys, "claim", "assess", "--nik", worker.nik or "", "--type", "jkk_stmb", "--event-date",
                    "2026-10-20", "--days", "30", "--json")  # fmt: skip
    assert code == 0 and out["eligible"] is False
    assert [r["code"] for r in out["reasons"]] == ["contribution_not_paid_before_event"]
    assert out["total"] == 1_000_000  # what the rules would pay, shown even when refused
    code, out = run(capsys, "claim", "assess", "--nik", worker.nik or "", "--type", "jkk_transport", "--event-date",
                    "2026-10-26", "--mode", "sea", "--amount", "2500000", "--report-date", "2026-10-30T09:00",
                    "--json")  # fmt: skip
    assert out["eligible"] is True and out["total"] == 2_000_000
    assert [f["code"] for f in out["flags"]] == ["reported_after_48_hours"]


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--type", "jkk_stmb", "--event-date", "2026-10-20"], "DAYS_MISSING"),
        (["--type", "jkk_partial_disability", "--event-date", "2026-10-20", "--percent", "120"], "PERCENT_INVALID"),
        (["--type", "jkk_transport", "--event-date", "2026-10-20", "--mode", "rail", "--amount", "1"], "MODE_UNKNOWN"),
        (["--type", "pensiun", "--event-date", "2026-10-20"], "CLAIM_TYPE_UNKNOWN"),
        (["--type", "jkm", "--event-date", "20-10-2026"], "EVENT_DATE_INVALID"),
    ],
)  # fmt: skip
def test_bad_input_exits_1_with_the_reason(
    argv: list[str], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    worker = member()
    exit_code, out = run(capsys, "claim", "assess", "--nik", worker.nik or "", *argv, "--json")
    assert exit_code == 1 and out["error"]["code"] == code


def test_unknown_nik(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "claim", "assess", "--nik", "3603011204850001", "--type", "jkm", "--event-date",
                    "2026-10-20", "--json")  # fmt: skip
    assert code == 1 and out["error"]["code"] == "WORKER_NOT_FOUND"


def test_claim_file_records_and_refuses_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    worker = member()
    _paid(worker, "2026-10-03")
    code, out = run(capsys, "claim", "file", "--nik", worker.nik or "", "--type", "jkm", "--event-date",
                    "2026-10-20", "--json")  # fmt: skip
    assert code == 0 and out["status"] == "reported" and out["total"] == 42_000_000 and out["number"]
    code, out = run(capsys, "claim", "file", "--nik", worker.nik or "", "--type", "jkm", "--event-date",
                    "2026-10-21", "--json")  # fmt: skip
    assert code == 0 and out["status"] == "rejected" and out["reasons"] == ["worker_already_dead"]
    assert Claim.objects.count() == 2


def test_partial_disability_by_body_part(capsys: pytest.CaptureFixture[str]) -> None:
    worker = member()
    _paid(worker, "2026-10-03")
    code, out = run(capsys, "claim", "assess", "--nik", worker.nik or "", "--type", "jkk_partial_disability",
                    "--event-date", "2026-10-20", "--part", "ibu_jari_kanan", "--part", "telunjuk_kanan:50",
                    "--json")  # fmt: skip
    assert code == 0 and out["total"] == 15_600_000  # (15 % + 9 % x 50 %) x 80 x Rp 1 m
    assert out["lines"][0]["basis"].startswith(
        "PP 82/2019 Lampiran III tabel cacat tetap sebagian anatomis (PP 44/2015 no. 15)"
    )
    code, out = run(capsys, "claim", "assess", "--nik", worker.nik or "", "--type", "jkk_partial_disability",
                    "--event-date", "2019-11-20", "--part", "ibu_jari_kanan", "--json")  # fmt: skip
    assert out["lines"][0]["basis"].startswith("PP 44/2015 Lampiran III tabel cacat sebagian anatomis no. 15")
    code, out = run(capsys, "claim", "assess", "--nik", worker.nik or "", "--type", "jkk_partial_disability",
                    "--event-date", "2026-10-20", "--part", "ekor", "--json")  # fmt: skip
    assert code == 1 and out["error"]["code"] == "PART_UNKNOWN"


def test_disability_table_listed_and_a_new_version_loaded(
    capsys: pytest.CaptureFixture[str], tmp_path: pytest.TempPathFactory
) -> None:
    code, out = run(capsys, "claim", "disability-table", "--json")
    assert code == 0 and len(out["items"]) == 38  # PP 82/2019: the 27 rows and the head's 11
    code, out = run(capsys, "claim", "disability-table", "--on", "2019-12-01", "--json")
    assert code == 0 and len(out["items"]) == 27  # PP 44/2015's table before the amendment
    new = tmp_path / "tabel.csv"  # type: ignore[operator]
    new.write_text("code,part,percent,mirror,valid_from,source\n"
                   "ibu_jari_kanan,Ibu jari tangan kanan,20,,2027-01-01,PP contoh\n", encoding="utf-8")  # fmt: skip
    code, out = run(capsys, "claim", "disability-table", "--load", str(new), "--json")
    assert code == 0 and out == {"loaded": 1}
    code, out = run(capsys, "claim", "disability-table", "--on", "2027-02-01", "--json")
    thumb = next(i for i in out["items"] if i["code"] == "ibu_jari_kanan")
    assert thumb["percent"] == "20.00" and len(out["items"]) == 38  # the other rows still in force
    code, out = run(capsys, "claim", "disability-table", "--load", str(new), "--json")
    assert code == 1 and out["error"]["code"] == "TABLE_EXISTS"
    code, out = run(capsys, "claim", "disability-table", "--load", str(tmp_path / "none.csv"), "--json")  # type: ignore[operator]
    assert code == 1 and out["error"]["code"] == "FILE_UNREADABLE"
