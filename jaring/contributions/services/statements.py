"""Bank statements (CSV, a saved column profile per bank): every line checked, matched, counted once."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
from dataclasses import dataclass
from typing import IO, Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jaring.contributions import rules
from jaring.contributions.models import (
    Payment,
    PaymentSource,
    PaymentStatus,
    StatementImport,
    StatementProfile,
)
from jaring.contributions.selectors import bank_resolve
from jaring.contributions.services.common import PAYER, _analyze
from jaring.contributions.services.payments import _apply_payments, _unmatched_reason, payment_scope
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import db_datetime, insert_frame, insert_rows
from jaring.core.config import setting_int
from jaring.core.errors import ErrorCode, FileRejected, ValidationFailed
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.core.types import CONTROL_CHARACTERS, whole_number

# ------------------------------------------------------------------------------------- bank statements


@dataclass(frozen=True)
class StatementProblem:
    line: int
    column: str
    code: str
    message: str


@dataclass
class StatementResult:
    statement: StatementImport
    created: bool
    problems: list[StatementProblem]
    lines_paid: int = 0


def _amount_parse(text: str, *, decimal_comma: bool) -> int | None:
    """'16800', '16.800,00' (decimal comma), '16,800.00': whole rupiah; cents must be zero."""
    text = (text or "").strip().replace("Rp", "").replace(" ", "")
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))  # debits
    text = text.strip("-()")
    if decimal_comma:
        whole, _, cents = text.partition(",")
        whole = whole.replace(".", "")
    else:
        whole, _, cents = text.partition(".")
        whole = whole.replace(",", "")
    if cents and set(cents) != {"0"}:
        return None
    value = whole_number(whole)
    return -value if negative and value is not None else value


MAX_STATEMENT_BYTES = 50 * 1024 * 1024


def statement_import(
    *, stream: IO[bytes], file_name: str, profile_name: str, viewer: Viewer, actor: Actor,
    recorded_at: dt.datetime | None = None,
) -> StatementResult:  # fmt: skip
    """A bank statement (CSV) read by the bank's saved profile: each credit line becomes a payment matched by
    virtual account; a reference seen before is recorded once; lines that cannot be read are reported by line
    and column and nothing of them is kept; lines whose account is unknown wait in the reconciliation queue.
    The same file twice changes nothing. A statement is a file someone uploads: its lines' value dates are kept,
    and the money counts from when Jaring learned of it, `recorded_at` (now; the demo passes the day it
    simulates), docs/decisions/0013."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    profile = StatementProfile.objects.filter(name=profile_name).first()
    if profile is None:
        names = ", ".join(StatementProfile.objects.order_by("name").values_list("name", flat=True))
        raise ValidationFailed(
            f"Profil rekening koran '{profile_name}' tidak ada (yang ada: {names}).",
            code=ErrorCode.PROFILE_UNKNOWN,
            field="profile",
        )
    data = stream.read(MAX_STATEMENT_BYTES + 1)
    if len(data) > MAX_STATEMENT_BYTES:
        raise FileRejected("Berkas rekening koran lebih dari 50 MB.", code=ErrorCode.FILE_TOO_LARGE)
    if not data.strip():
        raise FileRejected("Berkas rekening koran kosong.", code=ErrorCode.FILE_EMPTY)
    digest = hashlib.sha256(data).hexdigest()
    seen = StatementImport.objects.filter(sha256=digest).first()
    if seen is not None:
        return StatementResult(seen, False, [])
    started = time.perf_counter()
    frame = _statement_frame(data, profile)
    problems: list[StatementProblem] = []
    rows = []
    first_line = profile.skip_rows + 2  # the header is the line before the first row
    tz = timezone.get_current_timezone()  # statements are in Jakarta time (zoneinfo: replace() is correct)
    money_max = setting_int("MONEY_MAX")
    for i, (ref, va, amount_text, date_text) in enumerate(frame.iter_rows()):
        line = first_line + i
        amount = _amount_parse(amount_text or "", decimal_comma=profile.decimal_comma)
        if not (ref or "").strip():
            problems.append(StatementProblem(line, profile.reference_column, "REFERENCE_MISSING",
                                             "Nomor referensi kosong."))  # fmt: skip
            continue
        if amount is None:
            problems.append(StatementProblem(line, profile.amount_column, "AMOUNT_INVALID",
                                             f"Jumlah '{amount_text}' bukan rupiah utuh (mis. 16800)."))  # fmt: skip
            continue
        if amount <= 0:
            problems.append(StatementProblem(line, profile.amount_column, "NOT_A_CREDIT",
                                             "Baris ini bukan uang masuk (jumlah 0 atau debit)."))  # fmt: skip
            continue
        if amount > money_max:
            problems.append(StatementProblem(line, profile.amount_column, ErrorCode.AMOUNT_TOO_LARGE,
                                             f"Jumlah '{amount_text}' melebihi batas Rp {money_max:,}.".replace(",", ".")))  # fmt: skip
            continue
        if len(ref.strip()) > 64 or CONTROL_CHARACTERS.search(ref.strip()):
            problems.append(StatementProblem(line, profile.reference_column, ErrorCode.TEXT_TOO_LONG
                                             if len(ref.strip()) > 64 else ErrorCode.TEXT_CONTROL_CHARACTER,
                                             "Nomor referensi terlalu panjang (paling banyak 64) atau berisi karakter kendali."))  # fmt: skip
            continue
        try:
            paid = dt.datetime.strptime((date_text or "").strip(), profile.date_format)
        except ValueError:
            problems.append(StatementProblem(line, profile.date_column, "DATE_INVALID",
                                             f"Tanggal '{date_text}' tidak sesuai format {profile.date_format}."))  # fmt: skip
            continue
        rows.append((line, ref.strip(), (va or "").strip()[:32], amount, paid.replace(tzinfo=tz)))
    with transaction.atomic():
        statement = StatementImport.objects.create(
            file_name=file_name[:255],
            sha256=digest,
            profile=profile,
            lines=frame.height,
            created_by=actor_user(actor),
        )
        bank = bank_resolve(profile.bank, field="profile").code
        known, payers, outside = _statement_lookups(bank=bank, rows=[(r[1], rules.va_clean(r[2])) for r in rows],
                                                    viewer=viewer)  # fmt: skip
        scope = payment_scope(viewer)
        learned = recorded_at or timezone.now()
        now = db_datetime(learned)
        fresh, duplicates, taken = [], 0, set()
        to_settle: dict[int, tuple[int, int, dt.datetime]] = {}
        for line, ref, va, amount, paid_at in rows:
            if ref in known or ref in taken:
                duplicates += 1
                continue
            taken.add(ref)
            clean = rules.va_clean(va)
            payer_id = payers.get(clean) if rules.va_valid(clean) else None
            if payer_id:
                code, reason = "", ""
            elif clean in outside:  # another region's payer: its own office settles it, or the national one
                code, reason = (
                    ErrorCode.VA_OUTSIDE_SCOPE.value,
                    f"Virtual account {clean} milik wilayah lain.",
                )
            else:
                code, reason = _unmatched_reason(va)[:2]
            if payer_id:
                to_settle[line] = (payer_id, amount, learned)
            fresh.append((PaymentSource.STATEMENT.value, bank, ref, va, amount, db_datetime(paid_at), now,
                          payer_id, PaymentStatus.MATCHED.value if payer_id else PaymentStatus.UNMATCHED.value, code,
                          reason, statement.pk, line, scope, now, getattr(actor_user(actor), "pk", None), None, ""))  # fmt: skip
        if fresh:
            insert_frame(Payment._meta.db_table, _payments_frame(fresh))
        # The new payments' ids by line (integers only: no datetime read back for each of them).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT line_no, id FROM {Payment._meta.db_table} WHERE statement_id = %s AND payer_id IS NOT NULL",
                [statement.pk],
            )
            ids = dict(cursor.fetchall())
        matched = [
            (ids[line], payer, amount, paid_at) for line, (payer, amount, paid_at) in to_settle.items()
        ]
        lines_paid = _apply_payments(matched, actor=actor)
        unmatched = sum(1 for r in fresh if r[7] is None)
        StatementImport.objects.filter(pk=statement.pk).update(
            matched=len(fresh) - unmatched, unmatched=unmatched, duplicates=duplicates,
            amount_total=sum(r[4] for r in fresh), seconds=round(time.perf_counter() - started, 2),
        )  # fmt: skip
        statement.refresh_from_db()
        audit_record(
            actor=actor, action=AuditAction.STATEMENT_IMPORT, entity_type=Entity.STATEMENT, entity_id=statement.pk,
            changes={"file": file_name, "lines": frame.height, "matched": statement.matched,
                     "unmatched": unmatched, "duplicates": duplicates, "rejected": len(problems),
                     "lines_paid": lines_paid},
            batch_ref=f"statement:{statement.pk}",
        )  # fmt: skip
    return StatementResult(statement, True, problems, lines_paid)


def _statement_lookups(
    *, bank: str, rows: list[tuple[str, str]], viewer: Viewer
) -> tuple[set[str], dict[str, int], set[str]]:
    """References of this bank already recorded, the payer of each virtual account inside the viewer's regions,
    and the accounts of payers outside them, for a whole statement: its (reference, account) pairs go into a
    temporary table and are joined, instead of two IN lists of a hundred thousand values."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS jaring_statement")
        cursor.execute(
            "CREATE TEMPORARY TABLE jaring_statement (reference varchar(64), va_number varchar(32))"
        )
    insert_rows("jaring_statement", ["reference", "va_number"], rows)
    with connection.cursor() as cursor:
        _analyze(cursor, "jaring_statement")
        cursor.execute(
            f"SELECT DISTINCT p.reference FROM {Payment._meta.db_table} p JOIN jaring_statement s "
            f"ON s.reference = p.reference WHERE p.bank = %s",
            [bank],
        )
        known = {row[0] for row in cursor.fetchall()}
        inside, params = viewer.region_sql("y")
        cursor.execute(
            f"SELECT DISTINCT y.va_number, y.id, {inside or '1 = 1'} FROM {PAYER} y "
            f"JOIN jaring_statement s ON s.va_number = y.va_number",
            params,
        )
        found = cursor.fetchall()
        cursor.execute("DROP TABLE jaring_statement")
    payers = {va: pk for va, pk, ok in found if ok}
    return known, payers, {va for va, _, ok in found if not ok}


PAYMENT_COLUMNS = (
    "source", "bank", "reference", "va_number", "amount", "paid_at", "counted_at", "payer_id", "status",
    "reason_code", "reason", "statement_id", "line_no", "scope", "created_at", "created_by_id", "settled_by_id",
    "settled_note",
)  # fmt: skip


def _payments_frame(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    stamp = pl.String if connection.vendor != "postgresql" else pl.Datetime("us", "UTC")
    types = [pl.String, pl.String, pl.String, pl.String, pl.Int64, stamp, stamp, pl.Int64, pl.String, pl.String,
             pl.String, pl.Int64, pl.Int64, pl.String, stamp, pl.Int64, pl.Int64, pl.String]  # fmt: skip
    return pl.DataFrame(rows, schema=dict(zip(PAYMENT_COLUMNS, types, strict=True)), orient="row")


def _statement_frame(data: bytes, profile: StatementProfile) -> pl.DataFrame:
    text = data.decode("utf-8-sig", errors="strict") if _is_utf8(data) else data.decode("cp1252")
    try:
        frame = pl.read_csv(
            io.StringIO(text), separator=profile.delimiter, skip_rows=profile.skip_rows, infer_schema=False,
            truncate_ragged_lines=True,
        )  # fmt: skip
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise FileRejected(
            f"Berkas rekening koran tidak bisa dibaca sebagai CSV: {exc}", code=ErrorCode.FILE_CORRUPT
        ) from exc
    wanted = [profile.reference_column, profile.va_column, profile.amount_column, profile.date_column]
    headers = {c.strip().lower(): c for c in frame.columns}
    missing = [c for c in wanted if c.strip().lower() not in headers]
    if missing:
        raise FileRejected(
            f"Kolom {', '.join(missing)} tidak ada di berkas (profil '{profile.name}'; kolom berkas: "
            f"{', '.join(frame.columns[:12])}). Pilih profil bank yang sesuai.",
            code=ErrorCode.COLUMNS_MISSING,
        )
    return frame.select([pl.col(headers[c.strip().lower()]) for c in wanted])


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
