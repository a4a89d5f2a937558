"""The `jaring` command: --json documents, exit status 0 / 1 (rejected input) / 2 (usage)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from jaring.cli import main
from jaring.core.selectors import viewer_for
from jaring.imports.tests.files import csv_bytes, row_of, xlsx_bytes
from jaring.registry.factories import nik_for, worker_cells
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db

IMPORT_KEYS = {"batch_id", "rows", "accepted", "warnings", "rejected", "duplicates_in_file", "existing_workers",
               "committed", "errors"}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_import_stages_then_commits_and_the_same_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nik = nik_for()
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(xlsx_bytes([row_of(worker_cells(nik=nik)), row_of(worker_cells(nik=nik, full_name="Dobel")),
                                 row_of(worker_cells(nik="", sex="L", phone="12"))]))  # fmt: skip
    code, out = run(capsys, "import", str(path), "--source", "Desa Cangkudu", "--json")
    assert code == 0 and IMPORT_KEYS <= set(out)
    assert (out["rows"], out["accepted"], out["warnings"], out["rejected"], out["duplicates_in_file"], out["committed"]) == (
        3, 2, 1, 1, 1, False,
    )  # fmt: skip
    assert out["errors"] == [{"sheet": "Data", "row": 3, "column": "NIK", "code": "NIK_DUPLICATE_IN_FILE",
                              "message": "NIK sama dengan baris 2 di berkas ini: satu orang hanya boleh muncul sekali."}]  # fmt: skip
    assert Worker.objects.count() == 0
    code, out = run(capsys, "import", str(path), "--source", "Desa Cangkudu", "--commit", "--json")
    assert code == 0 and out["committed"] is True and out["already_uploaded"] is True
    assert Worker.objects.count() == 2
    code, out = run(capsys, "import", str(path), "--source", "lagi", "--commit", "--json")
    assert out["committed"] is True and Worker.objects.count() == 2


def test_existing_workers_are_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nik = nik_for()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(csv_bytes([row_of(worker_cells(nik=nik))]))
    second.write_bytes(
        csv_bytes([row_of(worker_cells(nik=nik, phone="089999999999")), row_of(worker_cells())])
    )
    run(capsys, "import", str(first), "--source", "a", "--commit", "--json")
    code, out = run(capsys, "import", str(second), "--source", "b", "--commit", "--json")
    assert (code, out["existing_workers"], out["created_workers"]) == (0, 1, 1)


def test_a_rejected_file_exits_1_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    code, out = run(capsys, "import", str(path), "--source", "x", "--json")
    assert code == 1 and out["committed"] is False
    assert out["errors"][0]["code"] == "FILE_NOT_SPREADSHEET"
    pdf = tmp_path / "surat.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, out = run(capsys, "import", str(pdf), "--source", "x", "--json")
    assert code == 1 and out["errors"][0]["code"] == "FILE_TYPE_UNSUPPORTED"


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "tidak-ada.xlsx"), "--source", "x"]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["import", "x.xlsx"])  # --source is required
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["terbang"])
    assert exc.value.code == 2


def test_worker_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nik = nik_for()
    path = tmp_path / "d.xlsx"
    path.write_bytes(xlsx_bytes([row_of(worker_cells(nik=nik, full_name="Budi Santoso"))]))
    run(capsys, "import", str(path), "--source", "x", "--commit", "--json")
    code, out = run(capsys, "worker", "show", nik, "--json")
    assert code == 0 and out["row"]["full_name"] == "Budi Santoso" and out["row"]["nik"] == nik
    assert [h["action"] for h in out["history"]] == ["import.commit"]
    code, out = run(capsys, "worker", "show", "9999999999999999", "--json")
    assert code == 1 and out["error"]["code"] == "NOT_FOUND"


def test_human_output_is_indonesian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.xlsx"
    path.write_bytes(xlsx_bytes([row_of(worker_cells())]))
    assert main(["import", str(path), "--source", "x"]) == 0
    assert "Belum disimpan: jalankan lagi dengan --commit." in capsys.readouterr().out


def test_user_add_checks_the_scope_and_prints_the_password_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(
        capsys, "user", "add", "sekdes.cangkudu", "--role", "village", "--region", "36.03.01.2003", "--json"
    )
    assert code == 0 and len(out["password"]) >= 12
    user = get_user_model().objects.get(username="sekdes.cangkudu")
    assert user.check_password(out["password"])
    viewer = viewer_for(user)
    assert viewer is not None and viewer.region_codes == ("36.03.01.2003",)
    code, out = run(
        capsys, "user", "add", "sekdes.cangkudu", "--role", "village", "--region", "36.03.01.2003", "--json"
    )
    assert code == 1 and out["error"]["code"] == "USERNAME_TAKEN"
    code, out = run(capsys, "user", "add", "desa2", "--role", "village", "--region", "36.03", "--json")
    assert code == 1 and out["error"]["code"] == "REGION_INVALID"  # a village secretary works in one village
    code, out = run(capsys, "user", "add", "kc", "--role", "branch", "--branch", "KC-TIDAK-ADA", "--json")
    assert code == 1 and out["error"]["code"] == "BRANCH_UNKNOWN"
    with pytest.raises(SystemExit) as exc:
        main(["user", "add", "x", "--role", "raja"])
    assert exc.value.code == 2


def test_contribution_quote(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "contribution", "quote", "--income", "1000000", "--period", "2026-02", "--payer-type", "mandiri",
                    "--sector", "transport", "--json")  # fmt: skip
    assert code == 0 and (out["jkk"], out["jkm"], out["jht"], out["total"]) == (5_000, 3_400, 0, 8_400)
    assert [r["rule"] for r in out["rules"]] == ["income_tier", "rate", "discount", "rate"]
    assert "PP 50/2025" in out["rules"][2]["source"]
    code, out = run(capsys, "contribution", "quote", "--income", "1000000", "--period", "2026-02", "--payer-type", "apbn",
                    "--sector", "transport", "--jht", "--json")  # fmt: skip
    assert (code, out["total"]) == (0, 36_800)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (
            ["--income", "900000", "--period", "2026-02", "--payer-type", "mandiri", "--sector", "other"],
            "INCOME_OUTSIDE_TIERS",
        ),
        (
            ["--income", "satu juta", "--period", "2026-02", "--payer-type", "mandiri", "--sector", "other"],
            "INCOME_INVALID",
        ),
        (
            ["--income", "1000000", "--period", "2026-13", "--payer-type", "mandiri", "--sector", "other"],
            "PERIOD_INVALID",
        ),
        (
            ["--income", "1000000", "--period", "Feb 2026", "--payer-type", "mandiri", "--sector", "other"],
            "PERIOD_INVALID",
        ),
        (
            ["--income", "1000000", "--period", "2026-02", "--payer-type", "pemda", "--sector", "other"],
            "PAYER_TYPE_UNKNOWN",
        ),
        (
            ["--income", "1000000", "--period", "2026-02", "--payer-type", "csr", "--sector", "laut"],
            "SECTOR_UNKNOWN",
        ),
    ],
)
def test_contribution_quote_refuses_with_the_reason(
    capsys: pytest.CaptureFixture[str], args: list[str], code: str
) -> None:
    exit_code, out = run(capsys, "contribution", "quote", *args, "--json")
    assert exit_code == 1 and out["error"]["code"] == code and out["error"]["message"]


def test_contribution_quote_usage() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["contribution", "quote", "--income", "1000000"])
    assert exc.value.code == 2
