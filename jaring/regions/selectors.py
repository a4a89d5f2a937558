from __future__ import annotations

from functools import lru_cache

from jaring.regions.models import BranchOffice, NikPrefix, Region


def branch_regency_codes(*, branch_code: str) -> list[str]:
    return list(
        Region.objects.filter(branch_offices__code=branch_code)
        .order_by("code")
        .values_list("code", flat=True)
    )


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def region_children(*, code: str | None) -> list[Region]:
    qs = Region.objects.filter(parent_id=code) if code else Region.objects.filter(level=1)
    return list(qs.order_by("code"))


def region_names(*, codes: set[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def village_codes() -> set[str]:
    """All village codes (83,762): small enough to check a whole import against in memory."""
    return set(Region.objects.filter(level=4).values_list("code", flat=True))


@lru_cache(maxsize=1)
def _nik_prefixes_cached(_count: int) -> frozenset[str]:
    return frozenset(NikPrefix.objects.values_list("digits", flat=True))


def nik_prefixes() -> frozenset[str]:
    """Every 4- and 6-digit prefix a NIK may carry (regencies and districts of 2016-2025)."""
    return _nik_prefixes_cached(NikPrefix.objects.count())


def region_choices(*, codes: tuple[str, ...], all_regions: bool) -> list[tuple[str, str]]:
    """Regions a viewer can filter by: every regency for a nationwide viewer, else their regions and the
    level below them."""
    if all_regions:
        qs = Region.objects.filter(level__lte=2)
    else:
        qs = Region.objects.filter(code__in=codes) | Region.objects.filter(parent_id__in=codes)
    return [(r.code, f"{r.code} {r.name}") for r in qs.order_by("code")]


class Directory:
    """The regions app's answers to core's RegionDirectory (set in RegionsConfig.ready)."""

    def branch_regency_codes(self, *, branch_code: str) -> list[str]:
        return branch_regency_codes(branch_code=branch_code)

    def region_level(self, *, code: str) -> int | None:
        region = region_get(code=code)
        return None if region is None else region.level

    def branch_known(self, *, code: str) -> bool:
        return BranchOffice.objects.filter(code=code).exists()
