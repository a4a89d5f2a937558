"""Claims against the database: filing (refused claims recorded as rejected with the rules' reason), one death
per worker, documents (type by content, size, stored outside the web root), the steps with four eyes, rejection,
and who may do what."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings

from jaring.claims.factories import covered_member, pdf_bytes, png_bytes
from jaring.claims.models import Claim, ClaimDocument, ClaimStatus, DisabilityRate
from jaring.claims.rules import ClaimType, Injury, Level
from jaring.claims.services import (
    claim_advance,
    claim_document_add,
    claim_file,
    claim_reject,
    disability_table_load,
    scholarship_file,
)
from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.errors import Conflict, FileRejected, NotFound, PermissionDenied, ValidationFailed
from jaring.core.factories import make_viewer
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, Viewer
from jaring.core.types import Period
from jaring.registry.factories import OTHER_REGENCY_VILLAGE
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db

PDF = pdf_bytes("test document")
PNG = png_bytes()


def _covered() -> Worker:
    return covered_member()


def _file(
    worker: Worker, claim_type: ClaimType = ClaimType.JKM, day: str = "2026-10-20", **kw: object
) -> Claim:
    return claim_file(nik=worker.nik or "", claim_type=claim_type, event=at(day).date(), reported_at=at(day, 15),
                      viewer=SYSTEM, actor=None, **kw)  # type: ignore[arg-type]  # test helper  # fmt: skip


def test_jkm_filed_with_its_breakdown() -> None:
    claim = _file(_covered())
    assert (
        claim.status == ClaimStatus.REPORTED and claim.total == 42_000_000 and claim.number.startswith("KLM-")
    )
    assert [line["amount"] for line in claim.lines] == [20_000_000, 12_000_000, 10_000_000]


def test_month_paid_after_the_accident_is_refused_with_that_reason() -> None:
    worker = member()
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    amount = BillLine.objects.get(worker=worker).amount
    payment_record(va_number=Payer.objects.get(worker=worker).va_number, amount=amount, paid_at=at("2026-10-25"), recorded_at=at("2026-10-25"),
                   reference="LATE", bank="demo", viewer=SYSTEM, actor=None)  # fmt: skip
    claim = _file(worker, ClaimType.JKK_STMB, days=30)
    assert claim.status == ClaimStatus.REJECTED
    assert (
        claim.reject_code == "contribution_not_paid_before_event"
        and "sebelum tanggal kejadian" in claim.reject_reason
    )


def test_a_worker_dies_once() -> None:
    worker = _covered()
    _file(worker)
    second = _file(worker, ClaimType.JKK_DEATH, day="2026-10-21")
    assert second.status == ClaimStatus.REJECTED and second.reject_code == "worker_already_dead"
    later = _file(worker, ClaimType.JKK_MEDICAL, day="2026-10-25", amount=500_000)
    assert later.reject_code == "event_after_death"


def test_steps_with_documents_and_four_eyes(tmp_path: Path, settings_override: None) -> None:
    worker = _covered()
    claim = _file(worker)
    clerk_a = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")
    clerk_b = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")
    with pytest.raises(ValidationFailed) as err:
        claim_advance(claim_id=claim.pk, viewer=clerk_a[1], actor=clerk_a[0])
    assert err.value.code == "DOCUMENTS_MISSING" and "Akta kematian" in err.value.message
    for doc_type in ("death_certificate", "id_card", "family_card"):
        claim_document_add(claim_id=claim.pk, doc_type=doc_type, stream=io.BytesIO(PDF), file_name=f"{doc_type}.pdf",
                           viewer=clerk_a[1], actor=clerk_a[0])  # fmt: skip
    document = ClaimDocument.objects.first()
    assert document is not None
    stored = Path(settings.JARING["CLAIMS_DIR"]) / document.stored_as
    assert (
        stored.read_bytes() == PDF and "static" not in str(stored) and document.file_name not in str(stored)
    )
    claim_advance(claim_id=claim.pk, viewer=clerk_a[1], actor=clerk_a[0])  # documents complete
    claim_advance(claim_id=claim.pk, viewer=clerk_a[1], actor=clerk_a[0])  # verified by A
    with pytest.raises(PermissionDenied) as four_eyes:
        claim_advance(claim_id=claim.pk, viewer=clerk_a[1], actor=clerk_a[0])
    assert four_eyes.value.code == "FOUR_EYES"
    claim_advance(claim_id=claim.pk, viewer=clerk_b[1], actor=clerk_b[0])  # approved by B
    with pytest.raises(ValidationFailed):
        claim_advance(claim_id=claim.pk, viewer=clerk_b[1], actor=clerk_b[0])  # paid needs the account
    paid = claim_advance(claim_id=claim.pk, viewer=clerk_b[1], actor=clerk_b[0], beneficiary_name="Siti Aminah",
                         bank="BRI", account_number="0123456789", payment_reference="TRF-1")  # fmt: skip
    assert paid.status == ClaimStatus.PAID and paid.paid_at is not None
    assert (paid.verified_by_id, paid.approved_by_id) == (clerk_a[0].pk, clerk_b[0].pk)
    with pytest.raises(Conflict):
        claim_reject(claim_id=claim.pk, code="other", reason="x", viewer=clerk_b[1], actor=clerk_b[0])


def test_documents_are_checked_by_their_bytes_and_size(settings_override: None) -> None:
    claim = _file(_covered())
    with pytest.raises(FileRejected) as err:
        claim_document_add(claim_id=claim.pk, doc_type="id_card", stream=io.BytesIO(b"MZ\x90\x00 not a pdf"),
                           file_name="ktp.pdf", viewer=SYSTEM, actor=None)  # fmt: skip
    assert err.value.code == "FILE_TYPE_NOT_ALLOWED"
    settings.JARING["CLAIM_DOCUMENT_MAX_BYTES"] = 10
    with pytest.raises(FileRejected) as err:
        claim_document_add(claim_id=claim.pk, doc_type="id_card", stream=io.BytesIO(PNG), file_name="ktp.png",
                           viewer=SYSTEM, actor=None)  # fmt: skip
    assert err.value.code == "FILE_TOO_LARGE" and not ClaimDocument.objects.exists()


def test_rejection_needs_a_known_code_and_a_reason() -> None:
    claim = _file(_covered())
    with pytest.raises(ValidationFailed):
        claim_reject(claim_id=claim.pk, code="nope", reason="x", viewer=SYSTEM, actor=None)
    with pytest.raises(ValidationFailed):
        claim_reject(claim_id=claim.pk, code="other", reason=" ", viewer=SYSTEM, actor=None)
    done = claim_reject(
        claim_id=claim.pk, code="documents_invalid", reason="Akta palsu", viewer=SYSTEM, actor=None
    )
    assert (done.status, done.reject_code) == (ClaimStatus.REJECTED, "documents_invalid")


def test_who_may_do_what() -> None:
    claim = _file(_covered())
    sponsor = Viewer(user_id=None, username="s", role=Role.SPONSOR, sponsor_ref="x")
    with pytest.raises(PermissionDenied):
        claim_file(nik="3603011204850001", claim_type=ClaimType.JKM, event=at("2026-10-20").date(), viewer=sponsor,
                   actor=None)  # fmt: skip
    village = Viewer(user_id=None, username="v", role=Role.VILLAGE, region_codes=("36.03.01.2003",))
    with pytest.raises(PermissionDenied):
        claim_advance(claim_id=claim.pk, viewer=village, actor=None)  # villages report, the branch decides
    gresik = Viewer(user_id=None, username="g", role=Role.BRANCH, region_codes=("35.25",))
    with pytest.raises(NotFound):
        claim_advance(claim_id=claim.pk, viewer=gresik, actor=None)
    elsewhere = member(village=OTHER_REGENCY_VILLAGE)
    with pytest.raises(NotFound):
        claim_file(nik=elsewhere.nik or "", claim_type=ClaimType.JKM, event=at("2026-10-20").date(), viewer=village,
                   actor=None)  # fmt: skip


def _death(claim_type: ClaimType = ClaimType.JKK_DEATH) -> Claim:
    return _file(_covered(), claim_type)


@pytest.mark.parametrize(
    ("parent_type", "index", "level", "status", "code"),
    [
        (ClaimType.JKK_DEATH, 0, Level.SD, ClaimStatus.REPORTED, ""),  # JKK: no minimum period
        (
            ClaimType.JKM,
            0,
            Level.SD,
            ClaimStatus.REJECTED,
            "scholarship_needs_36_paid_months",
        ),  # one paid month
        (ClaimType.JKK_DEATH, 2, Level.SMA, ClaimStatus.REJECTED, "at_most_two_children"),
    ],
)
def test_scholarship_claims(parent_type: ClaimType, index: int, level: Level, status: str, code: str) -> None:
    parent = _death(parent_type)
    claim = scholarship_file(parent_claim_id=parent.pk, child_name="Rina", child_birth_date=dt.date(2015, 3, 1),
                             child_index=index, level=level, school_year=2026, viewer=SYSTEM, actor=None)  # fmt: skip
    assert (claim.status, claim.reject_code, claim.claim_type) == (status, code, "scholarship")
    assert claim.total == {Level.SD: 1_500_000, Level.SMA: 3_000_000}[level] and claim.parent_id == parent.pk


def test_one_scholarship_per_child_and_year_and_none_after_a_rejected_claim() -> None:
    parent = _death()
    args = {"parent_claim_id": parent.pk, "child_name": "Rina", "child_birth_date": dt.date(2015, 3, 1),
            "child_index": 0, "level": Level.SD, "viewer": SYSTEM, "actor": None}  # fmt: skip
    scholarship_file(school_year=2026, **args)  # type: ignore[arg-type]  # test arguments
    with pytest.raises(Conflict):
        scholarship_file(school_year=2026, **args)  # type: ignore[arg-type]  # test arguments
    assert scholarship_file(school_year=2027, **args).status == ClaimStatus.REPORTED  # type: ignore[arg-type]  # test arguments
    claim_reject(claim_id=parent.pk, code="documents_invalid", reason="Akta palsu", viewer=SYSTEM, actor=None)
    with pytest.raises(Conflict):
        scholarship_file(school_year=2028, **args)  # type: ignore[arg-type]  # test arguments


def test_partial_disability_by_the_table_in_force_on_the_event_day() -> None:
    worker = _covered()
    claim = _file(worker, ClaimType.JKK_PARTIAL_DISABILITY, injuries=[Injury("ibu_jari_kanan")])
    assert claim.total == 12_000_000 and claim.injuries == [
        {"code": "ibu_jari_kanan", "function_lost": "100"}
    ]
    row = {"code": "ibu_jari_kanan", "part": "Ibu jari tangan kanan", "percent": "20", "mirror": "",
           "source": "PP contoh"}  # fmt: skip
    assert disability_table_load(rows=[row | {"valid_from": "2026-10-21"}], actor=None) == 1
    assert (
        _file(worker, ClaimType.JKK_PARTIAL_DISABILITY, injuries=[Injury("ibu_jari_kanan")]).total
        == 12_000_000
    )
    later = _file(
        worker, ClaimType.JKK_PARTIAL_DISABILITY, day="2026-10-22", injuries=[Injury("ibu_jari_kanan")]
    )
    assert later.total == 16_000_000 and "PP contoh" in later.lines[0]["basis"]


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([], "FILE_EMPTY"),
        ([{"code": "a", "part": "A", "percent": "5"}], "COLUMNS_MISSING"),
        ([{"code": "a", "part": "A", "percent": "5", "mirror": "", "valid_from": "2027-01-01", "source": "S"},
          {"code": "b", "part": "B", "percent": "lima", "mirror": "", "valid_from": "2027-01-01", "source": "S"}],
         "ROW_INVALID"),
        ([{"code": "a", "part": "A", "percent": "101", "mirror": "", "valid_from": "2027-01-01", "source": "S"}],
         "ROW_INVALID"),
        ([{"code": "a", "part": "A", "percent": "5", "mirror": "b", "valid_from": "2027-01-01", "source": "S"}],
         "TABLE_INVALID"),
        ([{"code": "a", "part": "A", "percent": "5", "mirror": "", "valid_from": "2027-01-01", "source": "S"},
          {"code": "a", "part": "A", "percent": "6", "mirror": "", "valid_from": "2027-01-01", "source": "S"}],
         "TABLE_INVALID"),
    ],
)  # fmt: skip
def test_a_bad_table_loads_nothing(rows: list[dict[str, str]], code: str) -> None:
    before = DisabilityRate.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        disability_table_load(rows=rows, actor=None)
    assert caught.value.code == code and DisabilityRate.objects.count() == before
    if code == "ROW_INVALID" and len(rows) == 2:
        assert caught.value.field == "line 3"  # the header is line 1
