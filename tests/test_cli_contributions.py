"""`jaring bill`, `jaring payments import` and `jaring coverage show`: --json documents and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone

from jaring.cli import main
from jaring.contributions.factories import member
from jaring.contributions.models import Payer, Payment

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_bill_pay_and_show_coverage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    worker = member()
    code, out = run(capsys, "bill", "--period", "2026-11", "--json")
    assert code == 0
    assert {"bills", "lines", "amount_total", "seconds"} <= set(out)
    assert (out["bills"], out["lines"], out["amount_total"]) == (1, 1, 8_400)
    va = Payer.objects.get(worker=worker).va_number
    statement = tmp_path / "rekening.csv"
    statement.write_text(f"reference,va_number,amount,paid_at\nR1,{va},8400,2026-11-04 09:00\n")
    code, out = run(capsys, "payments", "import", str(statement), "--json")
    assert code == 0 and (out["matched"], out["unmatched"], out["months_paid"]) == (1, 0, 1)
    code, out = run(capsys, "payments", "import", str(statement), "--json")
    assert code == 0 and out["new"] is False
    code, out = run(capsys, "coverage", "show", worker.nik or "", "--as-of", "2026-11", "--json")
    assert code == 0
    november = next(m for m in out["months"] if m["period"] == "2026-11")
    assert november["paid"] is True and november["payer"] == worker.full_name
    # the month counts from the import (when Jaring learned of the money), the transfer keeps its value date
    assert november["paid_at"][:10] == timezone.now().isoformat()[:10]
    assert (
        timezone.localtime(Payment.objects.get(reference="R1").paid_at)
        .isoformat()
        .startswith("2026-11-04T09:00")
    )
    assert out["standing"] == "active"


def test_bad_input_exits_1_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "bill", "--period", "2026-13", "--json")
    assert code == 1 and out["error"]["code"] == "PERIOD_INVALID"
    bad = tmp_path / "bad.csv"
    bad.write_text("reference,va_number,amount,paid_at\nR1,1,abc,2026-11-04 09:00\n")
    code, out = run(capsys, "payments", "import", str(bad), "--json")
    assert code == 1 and out["problems"][0]["code"] == "AMOUNT_INVALID"
    code, out = run(capsys, "payments", "import", str(bad), "--profile", "nope", "--json")
    assert code == 1 and out["error"]["code"] == "PROFILE_UNKNOWN"
    code, out = run(capsys, "coverage", "show", "3603011204850001", "--json")
    assert code == 1 and out["error"]["code"] == "WORKER_NOT_FOUND"


def test_a_missing_statement_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["payments", "import", "/no/such/file.csv", "--json"]) == 2
