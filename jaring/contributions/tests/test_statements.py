"""Bank statements: read by the bank's saved profile, matched by virtual account, duplicates recorded once,
unreadable lines reported by line and column and kept out, the same file twice changes nothing."""

from __future__ import annotations

import io

import pytest

from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer, Payment, PaymentStatus, StatementImport
from jaring.contributions.rules import va_number
from jaring.contributions.services import billing_run, statement_import
from jaring.core.errors import FileRejected, PermissionDenied, ValidationFailed
from jaring.core.factories import make_viewer
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period

pytestmark = pytest.mark.django_db


def load(text: str, profile: str = "jaring", name: str = "rekening.csv") -> object:
    return statement_import(stream=io.BytesIO(text.encode()), file_name=name, profile_name=profile, viewer=SYSTEM,
                            actor=None)  # fmt: skip


def test_a_statement_pays_bills_and_sends_the_rest_to_the_queue() -> None:
    a, b = member(), member()
    billing_run(period=Period.parse("2026-11"), viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    va_a, va_b = (Payer.objects.get(worker=w).va_number for w in (a, b))
    unknown = va_number(prefix="8889", customer="99999999999")
    text = (
        "reference,va_number,amount,paid_at\n"
        f"T1,{va_a},8400,2026-11-03 09:15\n"
        f"T2,{va_b},4000,2026-11-04 10:00\n"  # partial: stays as credit
        f"T3,{unknown},8400,2026-11-04 11:00\n"  # nobody's account: queue
        f"T1,{va_a},8400,2026-11-03 09:15\n"  # the same reference again: once
        f"T4,{va_a},abc,2026-11-05 10:00\n"  # unreadable amount: reported, not kept
        f"T5,{va_a},8400,5 Nov 2026\n"  # unreadable date
        f"T6,{va_a},-8400,2026-11-05 10:00\n"  # a debit
    )
    result = load(text)
    st = result.statement  # type: ignore[attr-defined]
    assert (st.lines, st.matched, st.unmatched, st.duplicates) == (7, 2, 1, 1)
    problems = [(p.line, p.column, p.code) for p in result.problems]  # type: ignore[attr-defined]
    assert problems == [
        (6, "amount", "AMOUNT_INVALID"),
        (7, "paid_at", "DATE_INVALID"),
        (8, "amount", "NOT_A_CREDIT"),
    ]
    assert BillLine.objects.get(worker=a).status == "paid"
    assert BillLine.objects.get(worker=b).status == "open"
    assert Payer.objects.get(worker=b).credit == 4_000
    queued = Payment.objects.get(reference="T3")
    assert (
        queued.status == PaymentStatus.UNMATCHED
        and queued.reason_code == "VA_UNKNOWN"
        and queued.line_no == 4
    )
    again = load(text)
    assert not again.created and StatementImport.objects.count() == 1  # type: ignore[attr-defined]
    assert Payment.objects.count() == 3


def test_a_bank_profile_reads_its_own_layout() -> None:
    worker = member()
    billing_run(period=Period.parse("2026-11"), viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    va = Payer.objects.get(worker=worker).va_number
    text = (
        "PT Bank Contoh - Rekening Koran\nPeriode 01/11/2026 - 30/11/2026\n"
        "Tanggal Transaksi;Keterangan;No. Referensi;Virtual Account;Debet;Kredit\n"
        f"03/11/2026 09:15:00;SETORAN VA;BC-001;{va[:4]} {va[4:8]} {va[8:12]} {va[12:]};0,00;8.400,00\n"
    )
    result = load(text, profile="bank-contoh")
    assert result.statement.matched == 1  # type: ignore[attr-defined]
    assert BillLine.objects.get(worker=worker).status == "paid"


@pytest.mark.parametrize(
    ("text", "profile", "code"),
    [
        ("", "jaring", "FILE_EMPTY"),
        ("a,b\n1,2\n", "jaring", "COLUMNS_MISSING"),
    ],
)
def test_an_unusable_file_is_refused_and_leaves_nothing(text: str, profile: str, code: str) -> None:
    with pytest.raises(FileRejected) as exc:
        load(text, profile)
    assert exc.value.code == code
    assert not StatementImport.objects.exists() and not Payment.objects.exists()


def test_an_unknown_profile_names_the_ones_there_are() -> None:
    with pytest.raises(ValidationFailed) as exc:
        load("reference,va_number,amount,paid_at\n", profile="nope")
    assert exc.value.code == "PROFILE_UNKNOWN" and "jaring" in exc.value.message


def test_only_the_branch_office_imports_statements() -> None:
    _, viewer = make_viewer(Role.VILLAGE, region_code="36.03.01.2003")
    with pytest.raises(PermissionDenied):
        statement_import(
            stream=io.BytesIO(b"x"), file_name="x.csv", profile_name="jaring", viewer=viewer, actor=None
        )


def test_a_statement_line_with_an_absurd_amount_or_reference_is_reported_not_kept() -> None:
    """Issue #13: amounts beyond any budget, and references cut silently to 64 characters (two long ones that
    share their first 64 would count once), are each refused with their line."""
    worker = member()
    billing_run(period=Period.parse("2026-11"), viewer=SYSTEM, actor=None, issued_at=at("2026-11-01"))
    va = Payer.objects.get(worker=worker).va_number
    text = (
        "reference,va_number,amount,paid_at\n"
        f"T1,{va},9223372036854775807,2026-11-03 09:15\n"
        f"{'R' * 5000},{va},8400,2026-11-03 09:15\n"
        f"T3,{va},8400,2026-11-03 09:15\n"
    )
    result = load(text)
    problems = [(p.line, p.column, p.code) for p in result.problems]  # type: ignore[attr-defined]
    assert problems == [(2, "amount", "AMOUNT_TOO_LARGE"), (3, "reference", "TEXT_TOO_LONG")]
    assert list(Payment.objects.values_list("reference", "amount")) == [("T3", 8400)]
