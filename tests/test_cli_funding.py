"""`jaring sponsor create`, `program create`, `allocate`, `budget plan` and `sponsorship ending`: --json
documents and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from jaring.cli import main
from jaring.contributions.factories import member
from jaring.core.types import Period
from jaring.funding.models import Allocation

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_create_allocate_dry_run_then_for_real(capsys: pytest.CaptureFixture[str]) -> None:
    for decile in ("1", "2", "3"):
        member(poverty_decile=decile)
    member(occupation="Nelayan")
    code, out = run(capsys, "sponsor", "create", "--name", "Pemkab Tangerang", "--payer-type", "apbd_kabkota",
                    "--region", "36.03", "--ref", "pemkab-tangerang", "--json")  # fmt: skip
    assert code == 0 and out["ref"] == "pemkab-tangerang"
    code, out = run(capsys, "program", "create", "--sponsor", "pemkab-tangerang", "--name", "APBD 2027",
                    "--budget", str(2 * 12 * 16_800), "--first-period", "2027-01", "--months", "12",
                    "--occupation", "petani", "--json")  # fmt: skip
    assert code == 0 and len(out["va_number"]) == 16 and out["last_period"] == "2027-12"
    program = str(out["id"])
    code, dry = run(capsys, "allocate", "--program", program, "--dry-run", "--json")
    assert code == 0 and dry["dry_run"] is True and dry["run_id"] is None
    assert (dry["assigned"], dry["waitlisted"], dry["excluded"]) == (2, 1, 1)
    assert dry["waitlist_reasons"] == {"budget_exhausted": 1}
    assert dry["excluded_reasons"] == {"occupation_not_eligible": 1}
    assert (dry["budget_committed"], dry["budget_left"]) == (2 * 12 * 16_800, 0)
    assert not Allocation.objects.exists()
    code, out = run(capsys, "allocate", "--program", program, "--json")
    assert code == 0 and out["run_id"] and out["assigned"] == 2 and Allocation.objects.count() == 2
    code, again = run(capsys, "allocate", "--program", program, "--json")
    assert again["assigned"] == 0 and again["excluded_reasons"]["already_assigned"] == 2


def test_budget_plan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "budget", "plan", "--workers", "1000", "--months", "12", "--payer-type", "csr",
                    "--first-period", "2026-11", "--budget", "100000000", "--json")  # fmt: skip
    per_worker = 2 * 8_400 + 10 * 16_800  # PP 50/2025 discount Nov-Dec 2026 for a CSR payer
    assert code == 0 and out["cost_per_worker"] == per_worker and out["total"] == 1000 * per_worker
    assert out["workers_covered"] == 100_000_000 // per_worker
    assert [m["amount"] for m in out["per_month"]][:3] == [8_400, 8_400, 16_800]


def test_sponsorship_ending_writes_the_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    member(full_name="Siti Aminah")
    run(capsys, "sponsor", "create", "--name", "Desa Cangkudu", "--payer-type", "apbdes", "--region",
        "36.03.01.2003", "--json")  # fmt: skip
    this_month = str(Period.of(timezone.localdate()))
    code, out = run(capsys, "program", "create", "--sponsor", "desa-cangkudu", "--name", "Dana Desa",
                    "--budget", "1000000", "--first-period", this_month, "--months", "1", "--json")  # fmt: skip
    assert code == 0
    run(capsys, "allocate", "--program", str(out["id"]), "--json")
    target = tmp_path / "berakhir.xlsx"
    code, out = run(capsys, "sponsorship", "ending", "--xlsx", str(target), "--json")
    assert (
        code == 0
        and out["workers"] == 1
        and out["by_sponsor"] == [{"sponsor": "Desa Cangkudu", "workers": 1}]
    )
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert rows[3][4] == "Siti Aminah" and "mandiri" in str(rows[3][7])


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["allocate", "--json"], "PROGRAM_MISSING"),
        (["allocate", "--program", "999", "--json"], "PROGRAM_NOT_FOUND"),
        (["program", "create", "--sponsor", "nobody", "--name", "x", "--budget", "1", "--first-period", "2027-01",
          "--months", "1", "--json"], "SPONSOR_NOT_FOUND"),
        (["budget", "plan", "--months", "12", "--payer-type", "csr", "--json"], "PLAN_INPUT_MISSING"),
        (["budget", "plan", "--workers", "1", "--months", "12", "--payer-type", "pemda", "--json"], "PAYER_TYPE_UNKNOWN"),
        (["sponsor", "create", "--name", "x", "--payer-type", "mandiri", "--json"], "PAYER_TYPE_NOT_SPONSOR"),
    ],
)  # fmt: skip
def test_bad_input_exits_1_with_the_reason(
    argv: list[str], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code, out = run(capsys, *argv)
    assert exit_code == 1 and out["error"]["code"] == code
