"""Loading the shipped Kemendagri 2025 region codes, NIK prefixes and branch offices. Idempotent."""

from __future__ import annotations

import gzip
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.db import transaction

from jaring.core.audit import AuditAction, Entity
from jaring.core.services import Actor, audit_record
from jaring.regions.models import BranchOffice, NikPrefix, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class RegionLoadResult:
    regions: int
    nik_prefixes: int
    branch_offices: int
    seconds: float


def _read(name: str) -> pl.DataFrame:
    with gzip.open(DATA_DIR / f"{name}.csv.gz", "rb") as fh:
        return pl.read_csv(fh.read(), infer_schema=False)


def regions_load(*, actor: Actor, only: tuple[str, ...] = ()) -> RegionLoadResult:
    """Load (or refresh) every region; `only` limits it to some provinces or regencies and their ancestors
    (tests that must reload the table quickly)."""
    started = time.perf_counter()
    wilayah = _read("wilayah_kepmendagri_2025")
    if only:
        ancestors = {c[:2] for c in only} | {c[:5] for c in only}
        wilayah = wilayah.filter(
            pl.col("kode").is_in(list(ancestors))
            | pl.any_horizontal(pl.col("kode").str.starts_with(c + ".") for c in only)
        )
    people = _read("wilayah_prov_kabkota_penduduk_luas_2025").select("kode", "penduduk_total", "luas_km2")
    wilayah = wilayah.join(people, on="kode", how="left").sort("level", "kode")
    prefixes = _read("nik_prefix_codes_2016_2025")
    branches = pl.read_csv(DATA_DIR / "branch_offices.csv", infer_schema=False)

    regions = [
        Region(
            code=row["kode"],
            name=row["nama"],
            level=int(row["level"]),
            kind=row["tipe"],
            parent_id=row["parent_kode"] or None,
            population=int(row["penduduk_total"]) if row["penduduk_total"] else None,
            area_km2=float(row["luas_km2"]) if row["luas_km2"] else None,
        )
        for row in wilayah.iter_rows(named=True)
    ]
    nik = [
        NikPrefix(
            digits=row["kode_digits"],
            code=row["kode"],
            name=row["nama_terakhir"],
            first_seen=int(row["first_seen_dataset"]),
            last_seen=int(row["last_seen_dataset"]),
        )
        for row in prefixes.iter_rows(named=True)
    ]
    with transaction.atomic():
        Region.objects.bulk_create(
            regions,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent", "population", "area_km2"],
        )
        NikPrefix.objects.bulk_create(
            nik,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["digits"],
            update_fields=["code", "name", "first_seen", "last_seen"],
        )
        loaded = set(wilayah.filter(pl.col("level") == "2")["kode"].to_list())
        for row in branches.iter_rows(named=True):
            regencies = [r for r in row["regencies"].split(";") if r in loaded]
            if regencies:
                office, _ = BranchOffice.objects.update_or_create(
                    code=row["code"], defaults={"name": row["name"]}
                )
                office.regencies.set(regencies)
        result = RegionLoadResult(
            regions=Region.objects.count(),
            nik_prefixes=NikPrefix.objects.count(),
            branch_offices=BranchOffice.objects.count(),
            seconds=round(time.perf_counter() - started, 2),
        )
        audit_record(
            actor=actor,
            action=AuditAction.REGIONS_LOAD,
            entity_type=Entity.REGION_SET,
            entity_id="kemendagri-2025",
            changes={"regions": result.regions, "nik_prefixes": result.nik_prefixes},
        )
    return result
