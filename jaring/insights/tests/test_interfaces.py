"""Coverage through its interfaces (issue #15): `jaring coverage report|target`, GET /api/v1/insights/coverage
and the pages; each with success, bad input and permission, figures checked against the ledger."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from jaring.cli.main import main as jaring
from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.insights.models import CoverageTarget
from jaring.insights.selectors import naive_report
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE

pytestmark = pytest.mark.django_db
MONTH = "2025-02"


@pytest.fixture
def ledger() -> None:
    """Three workers in Kab. Tangerang (two pay February) and one in Kab. Gresik, billed January and February."""
    workers = [member(village=v, nik=None) for v in (VILLAGE, VILLAGE, VILLAGE, OTHER_REGENCY_VILLAGE)]
    for month in ("2025-01", MONTH):
        billing_run(period=Period.parse(month), viewer=SYSTEM, actor=None, issued_at=at(f"{month}-01", 7))
        for worker in workers[:2] + workers[3:]:
            line = BillLine.objects.get(worker=worker, period=month)
            payment_record(va_number=Payer.objects.get(pk=line.payer_id).va_number, amount=line.amount,
                           paid_at=at(f"{month}-09"), recorded_at=at(f"{month}-09"), reference=f"R{worker.pk}{month}",
                           bank="bni", viewer=SYSTEM, actor=None)  # fmt: skip


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = jaring(["coverage", *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_cli_report_equals_the_ledger(ledger: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _cli(capsys, "report", "--region", "36.03", "--period", MONTH, "--by", "district")
    assert code == 0
    counted = naive_report(region_code="36.03", period=Period.parse(MONTH))
    assert {k: doc[k] for k in counted} == counted == {"members": 3, "covered": 2, "arrears": 1, "lapsed": 0}
    assert doc["registered"] == 3 and doc["region_code"] == "36.03" and doc["name"] == "Kabupaten Tangerang"
    assert (doc["new"], doc["renewed"], doc["lapsed_this_month"]) == (0, 2, 0)
    assert doc["target"] > 0 and doc["target_source"] and doc["coverage_pct"] is not None
    balaraja = next(r for r in doc["rows"] if r["region_code"] == "36.03.01")
    assert (balaraja["name"], balaraja["covered"], balaraja["target"]) == ("Balaraja", 2, balaraja["target"])
    assert all({"region_code", "name", "covered", "target", "coverage_pct"} <= set(r) for r in doc["rows"])


def test_cli_target_then_report_uses_it(ledger: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _cli(capsys, "target", "--region", "35.25", "--workers", "4", "--source", "BPS Kab. Gresik",
                     "--year", "2022")  # fmt: skip
    assert code == 0 and doc["workers"] == 4
    code, doc = _cli(capsys, "report", "--region", "35.25", "--period", MONTH)
    assert (doc["covered"], doc["target"], doc["coverage_pct"], doc["target_source"]) == (
        1, 4, 25.0, "BPS Kab. Gresik (2022)")  # fmt: skip


def test_cli_split_by_payer_type(ledger: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = _cli(capsys, "report", "--period", MONTH, "--by", "payer-type")
    assert code == 0 and [(r["code"], r["covered"], r["members"]) for r in doc["rows"]] == [("mandiri", 3, 4)]


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        (["target", "--region", "36.03", "--workers", "0", "--source", "x", "--year", "2024"], 1, "workers"),
        (["target", "--region", "99.99", "--workers", "5", "--source", "x", "--year", "2024"], 1, "region"),
        (["report", "--region", "36.03.01", "--by", "regency"], 1, "by"),
        (["report", "--period", "2025-13"], 1, "period"),
    ],
)
def test_cli_refuses_with_the_field(
    args: list[str], code: int, field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got, doc = _cli(capsys, *args)
    assert got == code and doc["error"]["field"] == field and doc["error"]["code"]
    assert not CoverageTarget.objects.exists()


def test_api_coverage(ledger: None, client: Client) -> None:
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    doc = client.get(
        "/api/v1/insights/coverage", {"region": "36.03", "period": MONTH, "by": "village"}
    ).json()
    # the API reads the aggregates: refreshed by the jobs' refresh (here: the CLI's pending refresh) first
    assert doc["covered"] in (0, 2)
    assert jaring(["coverage", "refresh"]) == 0
    doc = client.get(
        "/api/v1/insights/coverage", {"region": "36.03", "period": MONTH, "by": "village"}
    ).json()
    assert (doc["registered"], doc["members"], doc["covered"], doc["arrears"]) == (3, 3, 2, 1)
    assert doc["rows_total"] == len(doc["rows"]) > 2
    page = client.get("/api/v1/insights/coverage", {"region": "36.03", "period": MONTH, "by": "village",
                                                    "offset": "1", "limit": "2"}).json()  # fmt: skip
    assert [r["region_code"] for r in page["rows"]] == [r["region_code"] for r in doc["rows"][1:3]]
    village = next(r for r in doc["rows"] if r["region_code"] == VILLAGE)
    assert (village["covered"], village["target"], village["coverage_pct"], village["goal_reached"]) == (
        2,
        100,
        2.0,
        False,
    )


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"region": "35.25"}, 403, "REGION_OUTSIDE_SCOPE"),  # another regency
        ({"region": ""}, 403, "REGION_OUTSIDE_SCOPE"),  # the nation
        ({"period": "2025-2"}, 400, "PERIOD_INVALID"),
        ({"region": "36.03", "by": "nation"}, 400, "COVERAGE_DIMENSION_INVALID"),
        ({"region": "36.03'--"}, 422, "REQUEST_INVALID"),
    ],
)
def test_api_refuses(client: Client, query: dict[str, str], status: int, code: str) -> None:
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    response = client.get("/api/v1/insights/coverage", {"region": "36.03", **query})
    assert response.status_code == status and response.json()["error"]["code"] == code


def test_api_needs_a_login_and_answers_for_the_callers_region(client: Client) -> None:
    assert client.get("/api/v1/insights/coverage").status_code == 401
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    assert client.get("/api/v1/insights/coverage").json()["region_code"] == VILLAGE


def test_dashboard_shows_the_figures_and_drills_down(ledger: None, client: Client) -> None:
    jaring(["coverage", "refresh"])
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    page = client.get("/cakupan/", {"period": MONTH}).content.decode()
    assert 'id="fig-covered">2<' in page and 'id="fig-members">3<' in page
    assert 'href="/cakupan/?region=36.03.01&period=2025-02"' in page  # a district to click into
    page = client.get("/cakupan/", {"period": MONTH, "region": "36.03.01"}).content.decode()
    assert "Cangkudu" in page and 'id="fig-covered">2<' in page
    assert client.get("/cakupan/", {"region": "35.25"}).status_code == 403
    assert client.get("/cakupan/", {"region": "36.03", "period": "bulan"}).status_code == 400


def test_a_village_secretary_sees_only_the_village(ledger: None, client: Client) -> None:
    jaring(["coverage", "refresh"])
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    page = client.get("/cakupan/", {"period": MONTH}).content.decode()
    assert 'id="fig-covered">2<' in page and "1 Desa 100" in page
    for region in ("36.03.01", "36.03", ""):
        assert client.get("/cakupan/", {"region": region}).status_code == 403


def test_a_sponsor_sees_only_the_workers_it_funds(ledger: None, client: Client) -> None:
    jaring(["coverage", "refresh"])
    client.force_login(make_user(Role.SPONSOR, sponsor_ref="pt-nobody"))
    page = client.get("/cakupan/", {"period": MONTH}).content.decode()
    assert 'id="fig-covered">0<' in page and "Hanya pekerja yang Anda danai" in page


def test_tables_export_to_xlsx_and_the_report_prints(ledger: None, client: Client) -> None:
    jaring(["coverage", "refresh"])
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    response = client.get("/cakupan/ekspor/", {"region": "36.03", "period": MONTH, "by": "district"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    top = rows[3]
    assert top[0] == "36.03" and top[4] == 2  # the regency's own row: covered
    assert any(r[0] == "36.03.01" and r[4] == 2 for r in rows[4:])
    pdf = client.get("/cakupan/laporan/", {"region": "36.03", "period": MONTH})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    goals = client.get("/cakupan/desa-100/", {"region": "36.03.01", "period": MONTH})
    assert goals.status_code == 200 and "Cangkudu" in goals.content.decode()
    assert client.get("/cakupan/ekspor/", {"region": "35.25"}).status_code == 403
    assert client.get("/cakupan/laporan/", {"region": "35.25"}).status_code == 403


def test_the_map_gets_its_shapes(client: Client) -> None:
    client.force_login(make_user(Role.ADMIN))
    provinces = client.get("/cakupan/peta/").json()
    assert len(provinces["features"]) == 38
    regencies = client.get("/cakupan/peta/", {"province": "36"}).json()
    assert {f["id"] for f in regencies["features"]} >= {"36.03", "36.71"} and len(regencies["features"]) == 8
    assert client.get("/cakupan/peta/", {"province": "x'"}).status_code == 400


def test_ranking_orders_by_coverage(ledger: None, client: Client) -> None:
    jaring(["coverage", "refresh"])
    client.force_login(make_user(Role.ADMIN))
    page = client.get("/cakupan/peringkat/", {"period": MONTH, "level": "regency"}).content.decode()
    assert page.index("Gresik") < page.index("Tangerang")  # 1 of 1 covered against 2 of 3, per population


def test_a_regency_enters_its_target_on_the_page(client: Client) -> None:
    client.force_login(make_user(Role.REGION, region_code="35.25"))
    assert client.get("/cakupan/target/", {"region": "35.25"}).status_code == 200
    bad = client.post(
        "/cakupan/target/", {"region": "35.25", "workers": "banyak", "source": "BPS", "year": "2022"}
    )
    assert bad.status_code == 400 and "TARGET_INVALID" in bad.content.decode()
    ok = client.post(
        "/cakupan/target/", {"region": "35.25", "workers": "628.876", "source": "BPS", "year": "2022"}
    )
    assert ok.status_code == 302 and CoverageTarget.objects.get().workers == 628_876
    outside = client.post(
        "/cakupan/target/", {"region": "36.03", "workers": "5", "source": "BPS", "year": "2022"}
    )
    assert outside.status_code == 403 and CoverageTarget.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.AGENT])
def test_roles_that_do_not_count_a_region_get_no_target_form(client: Client, role: Role) -> None:
    client.force_login(make_user(role, region_code="36.03.01" if role == Role.AGENT else "", sponsor_ref="x"))
    assert client.get("/cakupan/target/").status_code == 403
    assert client.post("/cakupan/target/", {"region": "36.03.01", "workers": "5", "source": "x",
                                            "year": "2022"}).status_code == 403  # fmt: skip
    assert not CoverageTarget.objects.exists()
