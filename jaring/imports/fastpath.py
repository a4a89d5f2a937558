"""The vectorised twin of RowValidator, for large lists. It settles, in Polars, the rows that are
certainly clean (no error and no warning) and computes their values exactly as RowValidator would; every
other row goes to RowValidator, which stays the one authority on problems and their messages.
Equivalence is a test (tests/test_fastpath_equivalence.py). Pure: no Django."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from jaring.imports.rules import RowValidator
from jaring.registry import rules as reg

_LOW_CARDINALITY = ("occupation", "ecosystem", "sector", "income", "poverty_decile")
VALUE_COLUMNS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "mother_name", "address", "village_code", "phone",
    "occupation", "occupation_text", "ecosystem", "sector", "income_tier", "poverty_decile",
)  # fmt: skip


def _text(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars() if name in frame.columns else pl.lit("", dtype=pl.String)


def _to_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    return pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    ).str.to_date("%Y-%m-%d", strict=False)


def _python_column(values: Sequence[str], fn: object, limit: int) -> list[str]:
    return [fn(v)[:limit] for v in values]  # type: ignore[operator]


def fast_validate(
    frame: pl.DataFrame, validator: RowValidator, scope: tuple[str, ...] | None
) -> tuple[pl.DataFrame, list[int]]:
    """Returns (the clean rows with their values and "row", the positions in `frame` of every other row)."""
    ctx = validator.ctx
    today = ctx.today
    if frame.height == 0:
        return frame.select("row"), []
    f = frame.with_row_index("_pos")

    # NIK: `PP KK CC DDMMYY SSSS`, domain rules section 4 (the same rules as registry.rules.nik_parse).
    nik = _text(f, "nik").str.replace_all(r"[\s.\-']", "")
    dd = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    mm = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
    yy = nik.str.slice(10, 2).cast(pl.Int32, strict=False)
    day = pl.when(dd > 40).then(dd - 40).otherwise(dd)
    y2000 = yy + 2000
    d2000 = _to_date(y2000, mm, day)
    year = (
        pl.when(d2000.is_not_null())
        .then(pl.when(d2000 > pl.lit(today)).then(y2000 - 100).otherwise(y2000))
        .otherwise(pl.when(y2000 > today.year).then(y2000 - 100).otherwise(y2000))
    )
    f = f.with_columns(
        _nik=nik,
        _nik_birth=_to_date(year, mm, day),
        _nik_sex=pl.when(dd > 40).then(pl.lit("P")).otherwise(pl.lit("L")),
        _nik_ok=(
            nik.str.contains(r"^[0-9]{16}$")
            & ~pl.col("nik_number")
            & day.is_between(1, 31)
            & mm.is_between(1, 12)
            & (nik.str.slice(12, 4) != "0000")
            & nik.str.slice(0, 6).is_in(list(ctx.known_prefixes))
        ),
    )

    # Birth date as dd-mm-yyyy (or / or .) that agrees with the NIK, inside the registration age window.
    parts = _text(f, "birth_date").str.extract_groups(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
    bd_day, bd_month, bd_year = (parts.struct.field(str(i)).cast(pl.Int32, strict=False) for i in (1, 2, 3))
    before_birthday = (bd_month > today.month) | ((bd_month == today.month) & (bd_day > today.day))
    age = today.year - bd_year - before_birthday.cast(pl.Int32)
    f = f.with_columns(_birth=_to_date(bd_year, bd_month, bd_day), _age=age)
    birth_ok = (
        pl.col("_birth").is_not_null()
        & (pl.col("_birth") == pl.col("_nik_birth"))
        & pl.col("_age").is_between(ctx.age_min, ctx.age_max)
    )
    if "birth_place_date" in f.columns:
        birth_ok = birth_ok & (_text(f, "birth_place_date") == "")

    # Sex: empty (taken from the NIK) or a known spelling that agrees with the NIK.
    sex_raw = _text(f, "sex")
    sex_map = {v: reg.sex_parse(v) for v in f.select(sex_raw.unique()).to_series().to_list() if v}
    sex = (
        sex_raw.replace_strict(sex_map, default=None, return_dtype=pl.String)
        if sex_map
        else pl.lit(None, pl.String)
    )
    sex_ok = (sex_raw == "") | (sex == pl.col("_nik_sex"))

    # Village: a 2025 village code (or the batch default), inside the uploader's scope.
    village_raw = _text(f, "village_code")
    villages: dict[str, str] = {}
    for raw in f.select(village_raw.unique()).to_series().to_list():
        code, issue = validator._village_of(raw)
        if issue is None:
            villages[raw] = code
    village = (
        village_raw.replace_strict(villages, default=None, return_dtype=pl.String)
        if villages
        else pl.lit(None, pl.String)
    )
    village_ok = village.is_not_null()
    if scope is not None:
        village_ok = village_ok & pl.any_horizontal(
            [(village == s) | village.str.starts_with(s + ".") for s in scope] or [pl.lit(False)]
        )

    # Phone: empty, or an Indonesian mobile number (registry.rules.phone_parse).
    phone_raw = _text(f, "phone")
    digits = phone_raw.str.replace_all(r"\D", "")
    phone = (
        pl.when(digits.str.starts_with("62"))
        .then(pl.lit("0") + digits.str.slice(2))
        .when(digits.str.starts_with("8"))
        .then(pl.lit("0") + digits)
        .otherwise(digits)
    )
    phone_ok = (phone_raw == "") | (phone.str.starts_with("08") & phone.str.len_chars().is_between(10, 13))

    f = f.with_columns(
        _sex=pl.coalesce(pl.when(sex_raw != "").then(sex), pl.col("_nik_sex")),
        _village=village,
        _phone=pl.when(phone_raw == "").then(pl.lit("")).otherwise(phone),
        _ok=(pl.col("_nik_ok") & birth_ok & sex_ok & village_ok & phone_ok).fill_null(False),
    )

    # Occupation, ecosystem, sector, income and decile: a few distinct combinations, each settled once.
    low = [_text(f, c).alias(f"_raw_{c}") for c in _LOW_CARDINALITY]
    f = f.with_columns(low)
    combos = f.select([f"_raw_{c}" for c in _LOW_CARDINALITY]).unique()
    settled: dict[str, list[object]] = {k: [] for k in ("occupation", "occupation_text", "ecosystem", "sector", "income_tier", "poverty_decile", "_low_ok")}  # fmt: skip
    for occ_raw, eco_raw, sector_raw, income_raw, decile_raw in combos.iter_rows():
        occupation, occupation_text, occ_issue = validator._occupation_of(occ_raw)
        eco, eco_issue = validator._ecosystem_of(eco_raw, occupation)
        sector, sector_issue = validator._sector_of(sector_raw, occupation)
        income, income_issue = validator._income_of(income_raw)
        decile, decile_issue = validator._decile_of(decile_raw)
        settled["occupation"].append(occupation.code)
        settled["occupation_text"].append(occupation_text)
        settled["ecosystem"].append(eco)
        settled["sector"].append(sector)
        settled["income_tier"].append(income)
        settled["poverty_decile"].append(decile)
        settled["_low_ok"].append(
            not (occ_issue or eco_issue or sector_issue or income_issue or decile_issue)
        )
    combos = combos.with_columns(
        pl.Series(
            f"_v_{k}",
            v,
            dtype={"income_tier": pl.Int64, "poverty_decile": pl.Int64, "_low_ok": pl.Boolean}.get(
                k, pl.String
            ),
        )
        for k, v in settled.items()
    )
    f = f.join(combos, on=[f"_raw_{c}" for c in _LOW_CARDINALITY], how="left", maintain_order="left")
    f = f.with_columns(_ok=(pl.col("_ok") & pl.col("_v__low_ok")).fill_null(False))

    ok = f.filter(pl.col("_ok"))
    slow = f.filter(~pl.col("_ok"))["_pos"].to_list()
    if ok.height == 0:
        return ok.select("row"), slow
    names = (
        [reg.name_clean(v) for v in ok["full_name"].to_list()]
        if "full_name" in ok.columns
        else [""] * ok.height
    )
    name_ok = [0 < len(n) <= 150 for n in names]
    if not all(name_ok):
        slow += [p for p, good in zip(ok["_pos"].to_list(), name_ok, strict=True) if not good]
        keep = pl.Series(name_ok)
        ok = ok.filter(keep)
        names = [n for n, good in zip(names, name_ok, strict=True) if good]

    def column(name: str, fn: object, limit: int) -> pl.Series:
        values = ok[name].to_list() if name in ok.columns else [""] * ok.height
        return pl.Series(name, _python_column(values, fn, limit), dtype=pl.String)

    out = ok.select(
        "row",
        pl.col("_nik").alias("nik"),
        pl.Series("full_name", names, dtype=pl.String),
        pl.col("_sex").alias("sex"),
        (_text(ok, "birth_place").str.slice(0, 100)).alias("birth_place"),
        pl.col("_birth").alias("birth_date"),
        column("mother_name", reg.name_clean, 150),
        column("address", lambda v: " ".join(v.split()), 255),
        pl.col("_village").alias("village_code"),
        pl.col("_phone").alias("phone"),
        *[
            pl.col(f"_v_{c}").alias(c)
            for c in ("occupation", "occupation_text", "ecosystem", "sector", "income_tier", "poverty_decile")
        ],
    )
    return out, sorted(slow)
