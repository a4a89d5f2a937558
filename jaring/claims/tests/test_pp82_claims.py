"""PP 82/2019's benefits against the database and through every interface: home care and aids capped per
accident over the accident's earlier claims, an aid once, the 5-year right and an occupational disease's
diagnosis date; `jaring claim assess|file`, the API and the report form (success, bad input, permission)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jaring.claims.factories import covered_member
from jaring.claims.models import Claim, ClaimStatus
from jaring.claims.rules import Aid, ClaimType, Injury
from jaring.claims.selectors import claim_assess
from jaring.claims.services import claim_file
from jaring.cli import main
from jaring.contributions.factories import at
from jaring.core.errors import PermissionDenied, ValidationFailed
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, Viewer
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db
EVENT = dt.date(2026, 10, 20)


def _file(worker: Worker, claim_type: ClaimType, **kw: Any) -> Claim:
    return claim_file(nik=worker.nik or "", claim_type=claim_type, event=EVENT, reported_at=at("2026-10-20", 15),
                      viewer=SYSTEM, actor=None, **kw)  # fmt: skip


def test_home_care_claims_of_one_accident_share_the_year_and_the_20_million() -> None:
    worker = covered_member()
    first = _file(worker, ClaimType.JKK_HOME_CARE, amount=12_000_000, days=200)
    assert first.status == ClaimStatus.REPORTED and first.total == 12_000_000
    second = _file(worker, ClaimType.JKK_HOME_CARE, amount=12_000_000, days=100)  # Rp 8 m of the 20 m left
    assert second.total == 8_000_000 and second.lines[-1]["amount"] == -4_000_000
    assert "Rp 20.000.000" in second.lines[-1]["basis"]
    third = _file(worker, ClaimType.JKK_HOME_CARE, amount=1_000_000, days=10)
    assert third.status == ClaimStatus.REJECTED and third.reject_code == "home_care_used_up"
    # another accident of the same worker has its own year and its own Rp 20 m
    other = claim_file(nik=worker.nik or "", claim_type=ClaimType.JKK_HOME_CARE, event=dt.date(2026, 10, 25),
                       amount=1_000_000, days=10, viewer=SYSTEM, actor=None)  # fmt: skip
    assert other.status == ClaimStatus.REPORTED and other.total == 1_000_000


def test_a_rejected_home_care_claim_uses_nothing() -> None:
    worker = covered_member()
    used = _file(worker, ClaimType.JKK_HOME_CARE, amount=20_000_000, days=30)
    Claim.objects.filter(pk=used.pk).update(status=ClaimStatus.REJECTED)  # rejected later by the branch
    assert _file(worker, ClaimType.JKK_HOME_CARE, amount=5_000_000, days=30).total == 5_000_000


def test_aids_once_per_accident_and_capped() -> None:
    worker = covered_member()
    glasses = _file(worker, ClaimType.JKK_AIDS, aid=Aid.GLASSES, amount=1_400_000)
    assert glasses.total == 1_000_000 and glasses.aid == "glasses"
    again = _file(worker, ClaimType.JKK_AIDS, aid=Aid.GLASSES, amount=600_000)
    assert again.status == ClaimStatus.REJECTED and again.reject_code == "aid_once_per_accident"
    hearing = _file(worker, ClaimType.JKK_AIDS, aid=Aid.HEARING, amount=4_000_000)
    assert hearing.status == ClaimStatus.REPORTED and hearing.total == 2_500_000
    leg = _file(worker, ClaimType.JKK_AIDS, aid=Aid.PROSTHESIS, amount=35_000_000)
    assert leg.total == 35_000_000 and "harga pusat rehabilitasi" in leg.lines[0]["basis"]


@pytest.mark.parametrize(
    ("claim_type", "given", "code"),
    [
        (ClaimType.JKK_AIDS, {"amount": 500_000}, "AID_MISSING"),
        (ClaimType.JKK_AIDS, {"aid": Aid.GLASSES}, "AMOUNT_MISSING"),
        (ClaimType.JKK_AIDS, {"aid": Aid.GLASSES, "amount": 0}, "AMOUNT_INVALID"),
        (ClaimType.JKK_HOME_CARE, {"amount": 500_000}, "DAYS_MISSING"),
        (ClaimType.JKK_HOME_CARE, {"amount": 500_000, "days": 0}, "DAYS_INVALID"),
        (ClaimType.JKK_MEDICAL, {"amount": 500_000, "occupational_disease": True}, "DIAGNOSIS_DATE_MISSING"),
        (ClaimType.JKM, {"diagnosis": EVENT}, "DIAGNOSIS_DATE_INVALID"),  # JKM is not a work disease
        (ClaimType.JKK_MEDICAL, {"amount": 1, "diagnosis": dt.date(2026, 10, 1)}, "DIAGNOSIS_DATE_INVALID"),
        (ClaimType.JKK_MEDICAL, {"amount": 1, "diagnosis": dt.date(2099, 1, 1)}, "DIAGNOSIS_DATE_INVALID"),
    ],
)
def test_bad_inputs_record_nothing(claim_type: ClaimType, given: dict[str, Any], code: str) -> None:
    worker = covered_member()
    with pytest.raises(ValidationFailed) as caught:
        _file(worker, claim_type, **given)
    assert caught.value.code == code and not Claim.objects.exists()


def test_a_three_year_old_accident_is_paid_and_a_six_year_old_one_is_not() -> None:
    worker = covered_member()
    args = {"nik": worker.nik or "", "claim": ClaimType.JKK_MEDICAL, "event": EVENT, "viewer": SYSTEM,
            "amount": 2_000_000}  # fmt: skip
    assert claim_assess(today=dt.date(2029, 10, 20), **args).eligible  # type: ignore[arg-type]
    late = claim_assess(today=dt.date(2032, 10, 20), **args)  # type: ignore[arg-type]
    assert not late.eligible and [r["code"] for r in late.reasons] == ["jkk_right_lapsed"]
    assert "5 years" in late.reasons[0]["message_en"]


def test_an_occupational_disease_counts_from_its_diagnosis() -> None:
    worker = covered_member()
    claim = _file(worker, ClaimType.JKK_MEDICAL, amount=3_000_000, diagnosis=dt.date(2026, 11, 5))
    assert claim.status == ClaimStatus.REPORTED and claim.diagnosis_date == dt.date(2026, 11, 5)
    lapsed_by_event = claim_assess(nik=worker.nik or "", claim=ClaimType.JKK_MEDICAL, event=EVENT, viewer=SYSTEM,
                                   amount=1, today=dt.date(2031, 11, 1))  # fmt: skip
    by_diagnosis = claim_assess(nik=worker.nik or "", claim=ClaimType.JKK_MEDICAL, event=EVENT, viewer=SYSTEM,
                                amount=1, today=dt.date(2031, 11, 1), diagnosis=dt.date(2026, 11, 5))  # fmt: skip
    assert not lapsed_by_event.eligible and by_diagnosis.eligible


def test_only_roles_that_report_claims_file_them() -> None:
    worker = covered_member()
    sponsor = Viewer(user_id=None, username="s", role=Role.SPONSOR, sponsor_ref="x")
    with pytest.raises(PermissionDenied):
        claim_file(nik=worker.nik or "", claim_type=ClaimType.JKK_AIDS, event=EVENT, aid=Aid.GLASSES,
                   amount=500_000, viewer=sponsor, actor=None)  # fmt: skip
    assert not Claim.objects.exists()


def test_two_arms_pay_the_total_disability_lump_sum_not_more() -> None:
    worker = covered_member()  # income tier Rp 1,000,000
    claim = _file(worker, ClaimType.JKK_PARTIAL_DISABILITY,
                  injuries=[Injury("lengan_bahu_kanan"), Injury("lengan_bahu_kiri")])  # fmt: skip
    assert claim.total == 56 * claim.income and claim.lines[-1]["item"].startswith("Batas cacat sebagian")


# ------------------------------------------------------------------------------------------ CLI


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_cli_assess_and_file_the_new_types(capsys: pytest.CaptureFixture[str]) -> None:
    worker = covered_member()
    nik = worker.nik or ""
    code, out = run(capsys, "claim", "assess", "--nik", nik, "--type", "jkk_aids", "--aid", "glasses", "--amount",
                    "1500000", "--event-date", "2026-10-20", "--json")  # fmt: skip
    assert code == 0 and out["eligible"] and out["total"] == 1_000_000 and len(out["lines"]) == 2
    code, out = run(capsys, "claim", "file", "--nik", nik, "--type", "jkk_home_care", "--amount", "25000000",
                    "--days", "90", "--event-date", "2026-10-20", "--json")  # fmt: skip
    assert code == 0 and out["status"] == "reported" and out["total"] == 20_000_000
    code, out = run(capsys, "claim", "assess", "--nik", nik, "--type", "jkk_medical", "--amount", "1000000",
                    "--event-date", "2026-10-20", "--diagnosis-date", "2026-11-02", "--json")  # fmt: skip
    assert code == 0 and out["eligible"]
    code, out = run(capsys, "claim", "assess", "--nik", nik, "--type", "jkk_partial_disability", "--part",
                    "dengar_kedua_db=30", "--part", "kulit_kepala=20", "--event-date", "2026-10-20", "--json")  # fmt: skip
    assert code == 0 and out["total"] == 38 * 80 * 1_000_000 // 100  # 18 % + 20 %
    code, out = run(capsys, "claim", "disability-table", "--json")
    assert code == 0 and len(out["items"]) == 38
    assert {"code": "dengar_kedua_db", "percent": "6.00", "step": "10.00", "unit": "dB"}.items() <= next(
        i for i in out["items"] if i["code"] == "dengar_kedua_db").items()  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--type", "jkk_aids", "--aid", "kursi", "--amount", "1"], "AID_UNKNOWN"),
        (["--type", "jkk_medical", "--amount", "1", "--diagnosis-date", "kemarin"], "DIAGNOSIS_DATE_INVALID"),
        (["--type", "jkk_medical", "--amount", "1", "--occupational-disease"], "DIAGNOSIS_DATE_MISSING"),
        (["--type", "jkk_partial_disability", "--part", "kulit_kepala"], "PART_VALUE_MISSING"),
    ],
)
def test_cli_bad_input(capsys: pytest.CaptureFixture[str], argv: list[str], code: str) -> None:
    worker = covered_member()
    exit_code, out = run(capsys, "claim", "file", "--nik", worker.nik or "", "--event-date", "2026-10-20", *argv,
                         "--json")  # fmt: skip
    assert exit_code != 0 and out["error"]["code"] == code and not Claim.objects.exists()


# ------------------------------------------------------------------------------------------ API

BASE = "/api/v1/claims"


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_takes_the_new_types(client: Client) -> None:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    worker = covered_member()
    base = {"nik": worker.nik, "event_date": "2026-10-20"}
    filed = _post(
        client, f"{BASE}/", base | {"claim_type": "jkk_aids", "aid": "hearing", "amount": 3_000_000}
    )
    assert (
        filed.status_code == 201 and filed.json()["aid"] == "hearing" and filed.json()["total"] == 2_500_000
    )
    disease = _post(client, f"{BASE}/", base | {"claim_type": "jkk_medical", "amount": 1_000_000,
                                                "diagnosis_date": "2026-11-01"})  # fmt: skip
    assert disease.status_code == 201 and disease.json()["diagnosis_date"] == "2026-11-01"
    parts = _post(client, f"{BASE}/assess", base | {"claim_type": "jkk_partial_disability",
                                                    "parts": [{"code": "lapangan_pandang", "value": 20}]})  # fmt: skip
    assert parts.status_code == 200 and parts.json()["total"] == 14 * 80 * 1_000_000 // 100
    bad = _post(client, f"{BASE}/", base | {"claim_type": "jkk_aids", "aid": "kursi", "amount": 1})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "AID_UNKNOWN"
    bad = _post(client, f"{BASE}/assess", base | {"claim_type": "jkk_home_care", "amount": 1_000_000})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "DAYS_MISSING"
    assert Claim.objects.count() == 2


def test_api_refuses_roles_that_do_not_report_claims(client: Client) -> None:
    client.force_login(make_user(Role.SPONSOR, sponsor_ref="CSR-X"))
    worker = covered_member()
    refused = _post(client, f"{BASE}/assess", {"nik": worker.nik, "event_date": "2026-10-20",
                                               "claim_type": "jkk_aids", "aid": "glasses", "amount": 1})  # fmt: skip
    assert refused.status_code == 403


# ----------------------------------------------------------------------------------------- page


def test_the_report_form_takes_aids_home_care_and_a_diagnosis(client: Client) -> None:
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    worker = covered_member()
    page = client.get(reverse("claims:claim_list")).content.decode()
    assert (
        'name="aid"' in page
        and 'name="diagnosis_date"' in page
        and "Kulit kepala terkelupas (10–30 %)" in page
    )
    response = client.post(reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkk_aids",
                                                          "event_date": "2026-10-20", "aid": "glasses",
                                                          "amount": "1.200.000"})  # fmt: skip
    claim = Claim.objects.get()
    assert response.status_code == 302 and claim.total == 1_000_000 and claim.aid == "glasses"
    response = client.post(reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkk_medical",
                                                          "event_date": "2026-10-20", "amount": "500000",
                                                          "occupational_disease": "1",
                                                          "diagnosis_date": "2026-11-03"})  # fmt: skip
    disease = Claim.objects.exclude(pk=claim.pk).get()
    detail = client.get(reverse("claims:claim_detail", args=[disease.pk])).content.decode()
    assert 'id="diagnosis"' in detail and "03-11-2026" in detail
    bad = client.post(reverse("claims:claim_file"), {"nik": worker.nik, "claim_type": "jkk_medical",
                                                     "event_date": "2026-10-20", "amount": "500000",
                                                     "occupational_disease": "1"})  # fmt: skip
    assert bad.status_code == 400 and "DIAGNOSIS_DATE_MISSING" in bad.content.decode()
    assert Claim.objects.count() == 2
