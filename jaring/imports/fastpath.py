"""The vectorised twin of RowValidator, for large lists. It settles, in Polars, the rows that are
certainly clean (no error and no warning) and computes their values exactly as RowValidator would; every
other row goes to RowValidator, which stays the one authority on problems and their messages.
Equivalence is a test (tests/test_fastpath_equivalence.py). Pure: no Django."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from jaring.registry import rules as reg
from jaring.registry.rules.rows import RowValidator

_LOW_CARDINALITY = ("occupation", "ecosystem", "sector", "income", "poverty_decile")


def _text(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars() if name in frame.columns else pl.lit("", dtype=pl.String)


def _to_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    return pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    ).str.to_date("%Y-%m-%d", strict=False)


def _collapse(value: str) -> str:
    return " ".join(value.split())


def _clean(frame: pl.DataFrame, name: str, fn: Callable[[str], str], *, title_upper: bool) -> pl.Series:
    """Whitespace collapsed in Polars; names written in capitals (and text with the control characters
    Python counts as spaces) go through the scalar rule `fn`, so the result is exactly fn's."""
    if name not in frame.columns:
        return pl.Series(name, [""] * frame.height, dtype=pl.String)
    raw = frame[name]
    collapsed = raw.str.replace_all(r"\s+", " ").str.strip_chars(" ")
    needs_python = raw.str.contains(r"[\x1c-\x1f]")
    if title_upper:
        needs_python = needs_python | (
            (collapsed == collapsed.str.to_uppercase()) & (collapsed != collapsed.str.to_lowercase())
        )
    positions = needs_python.arg_true()
    if len(positions):
        collapsed = collapsed.scatter(positions, [fn(v.strip()) for v in raw.gather(positions).to_list()])
    return collapsed


def fast_validate(
    frame: pl.DataFrame, validator: RowValidator, scope: tuple[str, ...] | None
) -> tuple[pl.DataFrame, list[int]]:
    """Returns (the clean rows with their values and "row", the positions in `frame` of every other row)."""
    ctx = validator.ctx
    today = ctx.today
    if frame.height == 0:
        return frame.select("row"), []
    f = frame.with_row_index("_pos")
    # Stripped text of every field, once.
    f = f.with_columns(
        _text(f, c).alias(f"_t_{c}")
        for c in ("nik", "sex", "birth_date", "village_code", "phone", "birth_place_date", *_LOW_CARDINALITY)
    )

    # NIK: `PP KK CC DDMMYY SSSS`, domain rules section 4 (the same rules as registry.rules.nik_parse).
    f = f.with_columns(_nik=pl.col("_t_nik").str.replace_all(r"[\s.\-']", ""))
    f = f.with_columns(
        _dd=pl.col("_nik").str.slice(6, 2).cast(pl.Int32, strict=False),
        _mm=pl.col("_nik").str.slice(8, 2).cast(pl.Int32, strict=False),
        _y2000=pl.col("_nik").str.slice(10, 2).cast(pl.Int32, strict=False) + 2000,
    )
    f = f.with_columns(_day=pl.when(pl.col("_dd") > 40).then(pl.col("_dd") - 40).otherwise(pl.col("_dd")))
    f = f.with_columns(_d2000=_to_date(pl.col("_y2000"), pl.col("_mm"), pl.col("_day")))
    y2000 = pl.col("_y2000")
    f = f.with_columns(
        _year=pl.when(pl.col("_d2000").is_not_null())
        .then(pl.when(pl.col("_d2000") > pl.lit(today)).then(y2000 - 100).otherwise(y2000))
        .otherwise(pl.when(y2000 > today.year).then(y2000 - 100).otherwise(y2000))
    )
    f = f.with_columns(
        _nik_birth=_to_date(pl.col("_year"), pl.col("_mm"), pl.col("_day")),
        _nik_sex=pl.when(pl.col("_dd") > 40).then(pl.lit("P")).otherwise(pl.lit("L")),
        _nik_ok=(
            pl.col("_nik").str.contains(r"^[0-9]{16}$")
            & ~pl.col("nik_number")
            & pl.col("_day").is_between(1, 31)
            & pl.col("_mm").is_between(1, 12)
            & (pl.col("_nik").str.slice(12, 4) != "0000")
            & pl.col("_nik").str.slice(0, 6).is_in(list(ctx.known_prefixes))
        ),
    )

    # Birth date as dd-mm-yyyy (or / or .) that agrees with the NIK, inside the registration age window.
    f = f.with_columns(
        _bd=pl.col("_t_birth_date").str.extract_groups(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
    )
    f = f.with_columns(
        _bd_day=pl.col("_bd").struct.field("1").cast(pl.Int32, strict=False),
        _bd_month=pl.col("_bd").struct.field("2").cast(pl.Int32, strict=False),
        _bd_year=pl.col("_bd").struct.field("3").cast(pl.Int32, strict=False),
    )
    before_birthday = (pl.col("_bd_month") > today.month) | (
        (pl.col("_bd_month") == today.month) & (pl.col("_bd_day") > today.day)
    )
    f = f.with_columns(
        _birth=_to_date(pl.col("_bd_year"), pl.col("_bd_month"), pl.col("_bd_day")),
        _age=today.year - pl.col("_bd_year") - before_birthday.cast(pl.Int32),
    )
    birth_ok = (
        pl.col("_birth").is_not_null()
        & (pl.col("_birth") == pl.col("_nik_birth"))
        & pl.col("_age").is_between(ctx.age_min, ctx.age_max)
        & (pl.col("_t_birth_place_date") == "")
    )

    # Sex: empty (taken from the NIK) or a known spelling that agrees with the NIK.
    sex_raw = pl.col("_t_sex")
    sex_map = {v: reg.sex_parse(v) for v in f["_t_sex"].unique().to_list() if v}
    sex = (
        sex_raw.replace_strict(sex_map, default=None, return_dtype=pl.String)
        if sex_map
        else pl.lit(None, pl.String)
    )
    sex_ok = (sex_raw == "") | (sex == pl.col("_nik_sex"))

    # Village: a 2025 village code (or the batch default), inside the uploader's scope.
    villages: dict[str, str] = {}
    for raw in f["_t_village_code"].unique().to_list():
        code, issue = validator._village_of(raw)
        if issue is None:
            villages[raw] = code
    village = (
        pl.col("_t_village_code").replace_strict(villages, default=None, return_dtype=pl.String)
        if villages
        else pl.lit(None, pl.String)
    )
    f = f.with_columns(_village=village)
    village_ok = pl.col("_village").is_not_null()
    if scope is not None:
        village_ok = village_ok & pl.any_horizontal(
            [(pl.col("_village") == s) | pl.col("_village").str.starts_with(s + ".") for s in scope]
            or [pl.lit(False)]
        )

    # Phone: empty, or an Indonesian mobile number (registry.rules.phone_parse).
    phone_raw = pl.col("_t_phone")
    f = f.with_columns(_digits=phone_raw.str.replace_all(r"\D", ""))
    digits = pl.col("_digits")
    f = f.with_columns(
        _phone_n=pl.when(digits.str.starts_with("62"))
        .then(pl.lit("0") + digits.str.slice(2))
        .when(digits.str.starts_with("8"))
        .then(pl.lit("0") + digits)
        .otherwise(digits)
    )
    phone = pl.col("_phone_n")
    phone_ok = (phone_raw == "") | (phone.str.starts_with("08") & phone.str.len_chars().is_between(10, 13))

    f = f.with_columns(
        _sex=pl.coalesce(pl.when(sex_raw != "").then(sex), pl.col("_nik_sex")),
        _phone=pl.when(phone_raw == "").then(pl.lit("")).otherwise(phone),
        _ok=(pl.col("_nik_ok") & birth_ok & sex_ok & village_ok & phone_ok).fill_null(False),
    )

    # Occupation, ecosystem, sector, income and decile: a few distinct combinations, each settled once.
    combos = f.select([f"_t_{c}" for c in _LOW_CARDINALITY]).unique()
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
    f = f.join(combos, on=[f"_t_{c}" for c in _LOW_CARDINALITY], how="left", maintain_order="left")
    f = f.with_columns(_ok=(pl.col("_ok") & pl.col("_v__low_ok")).fill_null(False))

    ok = f.filter(pl.col("_ok"))
    slow = f.filter(~pl.col("_ok"))["_pos"].to_list()
    if ok.height == 0:
        return ok.select("row"), slow
    names = _clean(ok, "full_name", reg.name_clean, title_upper=True)
    name_ok = names.str.len_chars().is_between(1, 150)
    if not name_ok.all():
        slow += ok.filter(~name_ok)["_pos"].to_list()
        ok = ok.filter(name_ok)
        names = names.filter(name_ok)

    out = ok.select(
        "row",
        pl.col("_nik").alias("nik"),
        names.alias("full_name"),
        pl.col("_sex").alias("sex"),
        (_text(ok, "birth_place").str.slice(0, 100)).alias("birth_place"),
        pl.col("_birth").alias("birth_date"),
        _clean(ok, "mother_name", reg.name_clean, title_upper=True).str.slice(0, 150).alias("mother_name"),
        _clean(ok, "address", _collapse, title_upper=False).str.slice(0, 255).alias("address"),
        pl.col("_village").alias("village_code"),
        pl.col("_phone").alias("phone"),
        *[
            pl.col(f"_v_{c}").alias(c)
            for c in ("occupation", "occupation_text", "ecosystem", "sector", "income_tier", "poverty_decile")
        ],
    )
    return out, sorted(slow)
