"""One worker's life across the apps, through public interfaces only (the `jaring` command and the pages, as
the people who use Jaring drive them): a village list is committed, the village's "1 Desa 100 Pekerja
Rentan" program funds its workers, the month is billed, a bank statement pays the program's virtual account,
each worker is covered that month, and a JKM claim for that month is eligible and paid. The same for a worker
an agent registers on the phone form who pays as mandiri, and for a worker whose sponsorship ends."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jaring.claims.factories import pdf_bytes
from jaring.cli import main
from jaring.core.types import Period
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.registry.factories import VILLAGE, nik_for, worker_cells

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS = Period.of(TODAY)
BRANCH = "KC-TGR-CKP"  # Kab. Tangerang's branch office


def jaring(capsys: pytest.CaptureFixture[str], *argv: str, expect: int = 0) -> dict[str, Any]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert code == expect, out
    data: dict[str, Any] = json.loads(out)
    return data


def login(capsys: pytest.CaptureFixture[str], username: str, *role: str) -> Client:
    """A login made with `jaring user add` (its first password printed once), signed in on the login page; the
    first sign-in leads to the password form, and the user chooses their own (issue #13)."""
    password = jaring(capsys, "user", "add", username, *role)["password"]
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    assert client.get("/").url == "/akun/kata-sandi/"  # type: ignore[attr-defined]
    mine = f"Jaring-{username}-2026!"
    changed = client.post("/akun/kata-sandi/", {"old_password": password, "new_password1": mine,
                                                "new_password2": mine})  # fmt: skip
    assert changed.status_code == 302 and client.get("/").status_code == 200
    return client


def statement(tmp_path: Path, rows: list[tuple[str, str, int]]) -> Path:
    """A bank statement in Jaring's CSV layout: (reference, virtual account, amount) paid a minute ago."""
    paid = timezone.localtime() - dt.timedelta(minutes=1)
    path = tmp_path / f"rekening-{len(list(tmp_path.iterdir()))}.csv"
    lines = ["reference,va_number,amount,paid_at"]
    lines += [f"{ref},{va},{amount},{paid:%Y-%m-%d %H:%M}" for ref, va, amount in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bills_of(client: Client, period: Period) -> list[dict[str, Any]]:
    response = client.get("/api/v1/contributions/bills", {"period": str(period)})
    assert response.status_code == 200, response.content[:500]
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def covered(capsys: pytest.CaptureFixture[str], nik: str, period: Period) -> bool:
    out = jaring(capsys, "coverage", "show", nik, "--as-of", str(period))
    assert out["kpj"], "a registered worker holds a card"
    return any(m["period"] == str(period) and m["paid"] for m in out["months"])


def jkm_claim_paid(capsys: pytest.CaptureFixture[str], reporter: Client, nik: str, tmp_path: Path) -> None:
    """The village reports the death on the claims page; two branch officers decide it (four eyes)."""
    response = reporter.post(
        "/klaim/baru/", {"nik": nik, "claim_type": "jkm", "event_date": TODAY.isoformat()}
    )
    assert response.status_code == 302, response.content[:800]
    claim_url = response["Location"]
    page = reporter.get(claim_url).content.decode()
    assert "42.000.000" in page and "ditolak" not in page.lower()
    verifier = login(capsys, "verifikator", "--role", "branch", "--branch", BRANCH)
    head = login(capsys, "kepala.cabang", "--role", "branch", "--branch", BRANCH)
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(pdf_bytes("akta kematian"))
    for doc_type in ("death_certificate", "id_card", "family_card"):
        with open(pdf, "rb") as fh:
            assert (
                verifier.post(f"{claim_url}dokumen/", {"doc_type": doc_type, "file": fh}).status_code == 302
            )
    for _ in ("documents", "verified"):
        assert verifier.post(f"{claim_url}langkah/").status_code == 302
    assert head.post(f"{claim_url}langkah/").status_code == 302  # approved by another officer
    paid = head.post(f"{claim_url}langkah/", {"beneficiary_name": "Siti (istri)", "bank": "BRI",
                                               "account_number": "0021-01-000123-50-9",
                                               "payment_reference": "TRF-0001"})  # fmt: skip
    assert paid.status_code == 302
    status = Client().post("/klaim/status/", {"number": _claim_number(head, claim_url), "nik": nik})
    assert "Dibayar" in status.content.decode()


def _claim_number(client: Client, claim_url: str) -> str:
    page = client.get(claim_url).content.decode()
    start = page.index("KLM-")
    return page[start : start + 15]


def test_a_village_list_is_funded_billed_paid_covered_and_a_death_is_paid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    village = login(capsys, "sekdes.cangkudu", "--role", "village", "--region", VILLAGE)
    niks = [nik_for(serial=7000 + i) for i in range(20)]
    names = ["Sarmin", "Tukiyem", "Paijo", "Sutrisno", "Warsini"]
    rows = [
        row_of(worker_cells(nik=nik, full_name=f"{names[i % 5]} {chr(65 + i)}")) for i, nik in enumerate(niks)
    ]
    listing = tmp_path / "daftar-cangkudu.xlsx"
    listing.write_bytes(xlsx_bytes(rows))
    out = jaring(
        capsys, "import", str(listing), "--source", "Desa Cangkudu", "--user", "sekdes.cangkudu", "--commit"
    )
    assert (out["accepted"], out["rejected"], out["committed"]) == (20, 0, True)

    jaring(capsys, "sponsor", "create", "--name", "Pemerintah Desa Cangkudu", "--payer-type", "apbdes",
           "--region", VILLAGE, "--ref", "desa-cangkudu")  # fmt: skip
    program = jaring(capsys, "program", "create", "--sponsor", "desa-cangkudu", "--name", "1 Desa 100 Pekerja Rentan",
                     "--budget", str(100 * 12 * 16_800), "--first-period", str(THIS), "--months", "12",
                     "--region", VILLAGE)  # fmt: skip
    run = jaring(capsys, "allocate", "--program", str(program["id"]))
    assert (run["assigned"], run["waitlisted"], run["excluded"]) == (20, 0, 0) and run[
        "nobody_funded"
    ] is None

    billed = jaring(capsys, "bill", "--period", str(THIS))
    assert billed["lines"] == 20
    clerk = login(capsys, "petugas.cabang", "--role", "branch", "--branch", BRANCH)
    [bill] = [b for b in bills_of(clerk, THIS) if b["va_number"] == program["va_number"]]
    assert bill["lines_count"] == 20
    paid = jaring(capsys, "payments", "import", str(statement(tmp_path, [("TRX-DESA-1", bill["va_number"],
                                                                           bill["amount_total"])])))  # fmt: skip
    assert paid["matched"] == 1 and paid["unmatched"] == 0
    assert all(covered(capsys, nik, THIS) for nik in niks)

    jkm_claim_paid(capsys, village, niks[0], tmp_path)


def test_an_agent_registers_on_the_phone_form_and_the_worker_pays_mandiri(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    agent = login(capsys, "agen.balaraja", "--role", "agent", "--region", VILLAGE[:8])
    nik = nik_for(serial=8101)
    form = worker_cells(nik=nik, full_name="Darto", occupation="nelayan")
    response = agent.post("/pekerja/baru/", form)
    assert response.status_code == 302, response.content[:800]
    shown = jaring(capsys, "worker", "show", nik)
    kpj = shown["row"]["kpj"]
    assert (
        len(kpj) == 11 and kpj in agent.get(response["Location"]).content.decode()
    )  # the card, on the phone

    jaring(capsys, "bill", "--period", str(THIS))
    clerk = login(capsys, "petugas.cabang", "--role", "branch", "--branch", BRANCH)
    [bill] = [b for b in bills_of(clerk, THIS) if b["payer_type"] == "mandiri"]
    assert not covered(capsys, nik, THIS)  # registered is not protected: a paid month is
    jaring(capsys, "payments", "import", str(statement(tmp_path, [("TRX-MANDIRI-1", bill["va_number"],
                                                                    bill["amount_total"])])))  # fmt: skip
    assert covered(capsys, nik, THIS)
    reporter = login(capsys, "sekdes.cangkudu", "--role", "village", "--region", VILLAGE)
    jkm_claim_paid(capsys, reporter, nik, tmp_path)


def test_a_worker_whose_sponsorship_ends_is_invited_and_paying_mandiri_stays_covered(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    village = login(capsys, "sekdes.cangkudu", "--role", "village", "--region", VILLAGE)
    born = dt.date(1980, 3, 3)
    nik = nik_for(sex="P", birth=born, serial=8201)
    response = village.post("/pekerja/baru/", worker_cells(nik=nik, full_name="Warsini", sex="P", birth=born))
    assert response.status_code == 302, response.content[:800]
    jaring(capsys, "sponsor", "create", "--name", "Pemerintah Desa Cangkudu", "--payer-type", "apbdes",
           "--region", VILLAGE, "--ref", "desa-cangkudu")  # fmt: skip
    program = jaring(capsys, "program", "create", "--sponsor", "desa-cangkudu", "--name", "Satu bulan",
                     "--budget", "1000000", "--first-period", str(THIS), "--months", "1", "--region", VILLAGE)  # fmt: skip
    assert jaring(capsys, "allocate", "--program", str(program["id"]))["assigned"] == 1
    ending = jaring(capsys, "sponsorship", "ending", "--days", "60")
    assert ending["workers"] == 1, ending

    nxt = THIS.plus(1)
    jaring(capsys, "bill", "--period", str(THIS))
    jaring(capsys, "bill", "--period", str(nxt))
    clerk = login(capsys, "petugas.cabang", "--role", "branch", "--branch", BRANCH)
    [sponsored] = [b for b in bills_of(clerk, THIS) if b["va_number"] == program["va_number"]]
    [own] = [b for b in bills_of(clerk, nxt) if b["payer_type"] == "mandiri"]
    jaring(capsys, "payments", "import", str(statement(tmp_path, [
        ("TRX-DESA-9", sponsored["va_number"], sponsored["amount_total"]),
        ("TRX-SENDIRI-9", own["va_number"], own["amount_total"]),
    ])))  # fmt: skip
    assert covered(capsys, nik, THIS) and covered(capsys, nik, nxt)
