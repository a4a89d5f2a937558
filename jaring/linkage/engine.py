"""Splink on DuckDB behind one interface: prepare worker records, train a model on them (no labels), score
candidate pairs, and score a batch of new records against the rest (incremental). Knows nothing of Django:
records arrive as Polars frames, the model leaves as a JSON-able dict (Splink's own settings with every m and u
probability), pairs leave as a Polars frame with the probability and the evidence per field.

The comparisons (decision 0009): NIK (exact; the first 15 digits, what Excel keeps of a NIK typed as a number;
one edit or transposition), the normalised name with term-frequency adjustment (Siti, Nur, Muhammad are weak
evidence, a rare name strong), birth date (exact; day and month swapped; one edit; same year), sex, place
(village, district, regency), mother's maiden name, phone."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl

from jaring.registry.rules.names import name_normalise

logging.getLogger("splink").setLevel(logging.WARNING)

FIELDS = ("nik", "name", "birth_date", "sex", "place", "mother", "phone")
RECORD_COLUMNS = (
    "unique_id",
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "mother_name",
    "phone",
    "village_code",
)


def prepare(records: pl.DataFrame) -> pl.DataFrame:
    """Columns Splink compares, from worker columns (RECORD_COLUMNS; birth_date as a date or ISO text).
    Names are normalised once per distinct spelling."""
    names = pl.concat([records["full_name"], records["mother_name"]]).drop_nulls().unique()
    lookup = dict(zip(names.to_list(), [name_normalise(n) or None for n in names.to_list()], strict=True))
    birth = records["birth_date"].cast(pl.String)
    return records.select(
        pl.col("unique_id").cast(pl.Int64),
        pl.col("nik").cast(pl.String).replace("", None),
        pl.col("full_name").replace_strict(lookup, default=None, return_dtype=pl.String).alias("name"),
        pl.col("sex").cast(pl.String),
        birth.alias("birth_date"),
        birth.str.slice(0, 4).alias("birth_year"),
        pl.col("mother_name").replace_strict(lookup, default=None, return_dtype=pl.String).alias("mother"),
        pl.col("phone").cast(pl.String).str.slice(-8).replace("", None).alias("phone"),
        pl.col("village_code").cast(pl.String).alias("village"),
        pl.col("village_code").cast(pl.String).str.slice(0, 8).alias("district"),
        pl.col("village_code").cast(pl.String).str.slice(0, 5).alias("regency"),
    ).with_columns(
        pl.col("name").str.split(" ").list.first().alias("name_first"),
        pl.col("name").str.split(" ").list.last().alias("name_last"),
        pl.col("nik").str.slice(0, 12).alias("nik_head"),  # district + birth date: a typo in the serial
        pl.col("nik").str.slice(12).alias("nik_tail"),
    )


def _splink() -> Any:
    """Splink and DuckDB take over half a second to import: they load when linkage runs, not at every start of
    the web app, the task worker or a `jaring` command (imports reach this module through NIK conflicts)."""
    import splink  # noqa: PLC0415
    from splink import comparison_level_library, comparison_library  # noqa: PLC0415

    return splink, comparison_library, comparison_level_library


def _settings() -> Any:
    splink, cl, cll = _splink()
    block_on = splink.block_on
    swapped = (
        "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND substr(birth_date_l, 6, 2) = "
        "substr(birth_date_r, 9, 2) AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)"
    )
    return splink.SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=0.0001,
        comparisons=[
            cl.CustomComparison(
                output_column_name="nik",
                comparison_levels=[
                    cll.NullLevel("nik"),
                    cll.ExactMatchLevel("nik").configure(label_for_charts="NIK sama"),
                    cll.CustomLevel(
                        "substr(nik_l, 1, 15) = substr(nik_r, 1, 15)",
                        label_for_charts="15 digit pertama sama (Excel)",
                    ),
                    cll.DamerauLevenshteinLevel("nik", 1).configure(
                        label_for_charts="beda satu digit / tertukar"
                    ),
                    cll.ElseLevel().configure(label_for_charts="NIK berbeda"),
                ],
            ),
            cl.CustomComparison(
                output_column_name="name",
                comparison_levels=[
                    cll.NullLevel("name"),
                    cll.ExactMatchLevel("name", term_frequency_adjustments=True).configure(
                        label_for_charts="nama sama"
                    ),
                    cll.JaroWinklerLevel("name", 0.95).configure(label_for_charts="nama hampir sama"),
                    cll.JaroWinklerLevel("name", 0.88).configure(label_for_charts="nama mirip"),
                    cll.Or(cll.ExactMatchLevel("name_first"), cll.ExactMatchLevel("name_last")).configure(
                        label_for_charts="satu kata nama sama"
                    ),
                    cll.ElseLevel().configure(label_for_charts="nama berbeda"),
                ],
            ),
            cl.CustomComparison(
                output_column_name="birth_date",
                comparison_levels=[
                    cll.NullLevel("birth_date"),
                    cll.ExactMatchLevel("birth_date").configure(label_for_charts="tanggal lahir sama"),
                    cll.CustomLevel(swapped, label_for_charts="tanggal dan bulan tertukar"),
                    cll.DamerauLevenshteinLevel("birth_date", 1).configure(
                        label_for_charts="beda satu digit"
                    ),
                    cll.ExactMatchLevel("birth_year").configure(label_for_charts="tahun lahir sama"),
                    cll.ElseLevel().configure(label_for_charts="tanggal lahir berbeda"),
                ],
            ),
            cl.CustomComparison(
                output_column_name="sex",
                comparison_levels=[
                    cll.NullLevel("sex"),
                    cll.ExactMatchLevel("sex").configure(label_for_charts="jenis kelamin sama"),
                    cll.ElseLevel().configure(label_for_charts="jenis kelamin berbeda"),
                ],
            ),
            cl.CustomComparison(
                output_column_name="place",
                comparison_levels=[
                    cll.NullLevel("village"),
                    cll.ExactMatchLevel("village").configure(label_for_charts="desa sama"),
                    cll.ExactMatchLevel("district").configure(label_for_charts="kecamatan sama"),
                    cll.ExactMatchLevel("regency").configure(label_for_charts="kabupaten sama"),
                    cll.ElseLevel().configure(label_for_charts="wilayah berbeda"),
                ],
            ),
            cl.CustomComparison(
                output_column_name="mother",
                comparison_levels=[
                    cll.NullLevel("mother"),
                    cll.ExactMatchLevel("mother").configure(label_for_charts="nama ibu sama"),
                    cll.JaroWinklerLevel("mother", 0.88).configure(label_for_charts="nama ibu mirip"),
                    cll.ElseLevel().configure(label_for_charts="nama ibu berbeda"),
                ],
            ),
            cl.CustomComparison(
                output_column_name="phone",
                comparison_levels=[
                    cll.NullLevel("phone"),
                    cll.ExactMatchLevel("phone").configure(label_for_charts="telepon sama"),
                    cll.ElseLevel().configure(label_for_charts="telepon berbeda"),
                ],
            ),
        ],  # fmt: skip
        blocking_rules_to_generate_predictions=[
            block_on("birth_date", "regency"),
            block_on("name", "district"),
            block_on("name_first", "birth_year", "regency"),
            block_on("nik_head"),
            block_on("nik_tail", "birth_year"),
            block_on("phone"),
            block_on("name", "mother"),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


@contextmanager
def _duckdb(threads: int | None = None) -> Iterator[Any]:
    import duckdb  # noqa: PLC0415  (see _splink)

    connection = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        yield _splink()[0].DuckDBAPI(connection=connection)
    finally:
        connection.close()


M_FLOOR = 0.005  # no level may veto a match outright: a field the training data never saw differ still can


def _floored(model: dict[str, Any]) -> dict[str, Any]:
    """Training on records where some field never differs between duplicates (the generator keeps the
    mother's name) gives that level an m near 0, and one real typo there would veto any match. Every m is
    raised to M_FLOOR (then each comparison's m sum to 1 again); a level never observed gets M_FLOOR too."""
    for comparison in model.get("comparisons", []):
        levels = [lv for lv in comparison.get("comparison_levels", []) if not lv.get("is_null_level")]
        for level in levels:
            level["m_probability"] = max(float(level.get("m_probability") or 0), M_FLOOR)
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
    return model


def train(records: pl.DataFrame) -> dict[str, Any]:
    """Estimate the model from the records themselves: u by random sampling, m by expectation maximisation on
    two blockings that between them leave every comparison free once. Returns Splink's settings with every
    parameter (floored, see `_floored`)."""
    splink, _, _ = _splink()
    block_on = splink.block_on
    prepared = prepare(records)
    with _duckdb() as db:
        linker = splink.Linker(db.register(prepared.to_arrow()), _settings())
        linker.training.estimate_probability_two_random_records_match(
            [block_on("nik"), block_on("name", "birth_date", "village")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=1)
        # name_first + birth date leaves NIK, place, mother, phone, sex and the full name free; the NIK's
        # district and birth date leave the birth date and the rest free.
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("name_first", "birth_date")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik_head"))
        model = linker.misc.save_model_to_json()
    return _floored(dict(model))


@dataclass(frozen=True)
class Scored:
    pairs: (
        pl.DataFrame
    )  # id_l < id_r, probability, match_weight, gamma_<field>, mw_<field>, mw_tf_adj_<field>
    compared: int


def _pairs(frame: Any) -> pl.DataFrame:
    out = frame.as_duckdbpyrelation().pl()  # an empty result keeps its columns
    keep = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    # Splink 4 gives each field's evidence as a match weight (log2 of its Bayes factor), the name's term
    # frequency adjustment as a weight of its own
    keep += [c for f in FIELDS for c in (f"gamma_{f}", f"mw_{f}", f"mw_tf_adj_{f}") if c in out.columns]
    out = out.select(keep).with_columns(
        pl.min_horizontal("unique_id_l", "unique_id_r").alias("id_l"),
        pl.max_horizontal("unique_id_l", "unique_id_r").alias("id_r"),
    )
    return out.drop("unique_id_l", "unique_id_r").rename({"match_probability": "probability"})


def score(records: pl.DataFrame, model: dict[str, Any], *, threshold: float) -> pl.DataFrame:
    """Every candidate pair within the records with a match probability of at least `threshold`."""
    prepared = prepare(records)
    with _duckdb() as db:
        linker = _splink()[0].Linker(db.register(prepared.to_arrow()), model)
        frame = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
        return _pairs(frame)


def score_new(
    existing: pl.DataFrame, new: pl.DataFrame, model: dict[str, Any], *, threshold: float
) -> pl.DataFrame:
    """Pairs between new records and the existing ones, and among the new ones, without comparing the existing
    records with each other (Splink's incremental prediction). Term frequencies come from all records."""
    both = prepare(pl.concat([existing, new], how="vertical_relaxed"))
    new_ids = new["unique_id"].cast(pl.Int64)
    with _duckdb() as db:
        everything = db.register(both.to_arrow(), table_name="records_all")
        old = db.register(
            both.filter(~pl.col("unique_id").is_in(new_ids.implode())).to_arrow(), table_name="records_old"
        )
        fresh = db.register(
            both.filter(pl.col("unique_id").is_in(new_ids.implode())).to_arrow(), table_name="records_new"
        )
        linker = _splink()[0].Linker(everything, model)
        linker.table_management.compute_tf_table("name")  # cached on the linker: the batch reuses it
        between = _pairs(linker.inference.predict_between(old, fresh, threshold_match_probability=threshold,
                                                          warning_mode="never"))  # fmt: skip
        within = _pairs(linker.inference.predict_within(fresh, threshold_match_probability=threshold,
                                                        warning_mode="never"))  # fmt: skip
    return pl.concat([between, within], how="vertical_relaxed").unique(["id_l", "id_r"])


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Per field, the label of each comparison level by its gamma value (-1 = a value is missing)."""
    out: dict[str, dict[int, str]] = {}
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name", "")
        levels = comparison.get("comparison_levels", [])
        labels: dict[int, str] = {}
        gamma = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
        for level in levels:
            if level.get("is_null_level"):
                labels[-1] = "tidak ada data"
            else:
                labels[gamma] = level.get("label_for_charts", "")
                gamma -= 1
        out[name] = labels
    return out


def evidence(row: dict[str, Any], labels: dict[str, dict[int, str]]) -> dict[str, dict[str, Any]]:
    """The evidence per field of one scored pair: the level reached, its match weight (log2 of the Bayes factor,
    with the term-frequency adjustment for a rare or common name) and the Bayes factor itself."""
    out: dict[str, dict[str, Any]] = {}
    for field in FIELDS:
        gamma = row.get(f"gamma_{field}")
        if gamma is None:
            continue
        weight = row.get(f"mw_{field}")
        if weight is not None:
            weight = float(weight) + float(row.get(f"mw_tf_adj_{field}") or 0.0)
        out[field] = {"level": labels.get(field, {}).get(int(gamma), str(gamma)),
                      "weight": round(weight, 3) if weight is not None else None,
                      "bf": float(f"{2.0**weight:.4g}") if weight is not None else None}  # fmt: skip
    return out


def columns_needed() -> Sequence[str]:
    return RECORD_COLUMNS
