from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import lru_cache, reduce

from django.db.models import Q

from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.regions.models import BranchOffice, NikPrefix, Region


def branch_regency_codes(*, branch_code: str) -> list[str]:
    return list(
        Region.objects.filter(branch_offices__code=branch_code)
        .order_by("code")
        .values_list("code", flat=True)
    )


HEAD_OFFICE = "BPJS Ketenagakerjaan"


def office_of(*, region_code: str) -> str:
    """The office whose letterhead a region's documents carry (issue #14): the branch office serving its regency,
    "BPJS Ketenagakerjaan" for a province or the nation."""
    parts = (region_code or "").split(".")
    if len(parts) < 2:
        return HEAD_OFFICE
    name = (
        BranchOffice.objects.filter(regencies__code=".".join(parts[:2]))
        .order_by("code")
        .values_list("name", flat=True)
        .first()
    )
    return f"{HEAD_OFFICE} {name}" if name else HEAD_OFFICE


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


# A region by name (issue #14): nobody types 35.10.01.2001; the field finds "Sarongan" as one types.
CODE_SHAPE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
KIND_WORDS = {"provinsi": "Prov.", "kabupaten": "Kab.", "kota": "Kota", "kecamatan": "Kec.", "desa": "Desa",
              "kelurahan": "Kel.", "desa_adat": "Desa adat"}  # fmt: skip
LEVEL_WORDS = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}


@dataclass(frozen=True)
class RegionHit:
    code: str
    label: str  # "Desa Cangkudu, Kec. Balaraja, Kab. Tangerang"


def _scope_q(within: tuple[str, ...], all_regions: bool) -> Q:
    if all_regions:
        return Q()
    if not within:
        return Q(pk__in=[])
    return reduce(operator.or_, (Q(code=c) | Q(code__startswith=c + ".") for c in within))


def region_labels(*, codes: list[str], levels: int = 3) -> dict[str, str]:
    """Each code with its name and the names above it (up to `levels` of them: 1 for a village's own name), as
    people write an address."""
    chain = {".".join(c.split(".")[:n]) for c in codes for n in range(1, c.count(".") + 2)}
    found = {r.code: r for r in Region.objects.filter(code__in=chain)}
    out = {}
    for code in codes:
        parts = code.split(".")
        names = [found[".".join(parts[:n])] for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in found]
        out[code] = ", ".join(_named(r) for r in names[:levels])
    return out


def _named(region: Region) -> str:
    """ "Kec. Balaraja", "Kab. Tangerang" ("Kabupaten Tangerang" as stored), "Kota Tangerang"."""
    word = KIND_WORDS.get(region.kind, "")
    for full in ("Kabupaten ", "Kota ", "Provinsi "):
        if region.name.startswith(full):
            return f"{word} {region.name[len(full) :]}".strip()
    return f"{word} {region.name}".strip()


def region_search(
    *, q: str, level: int, within: tuple[str, ...], all_regions: bool, limit: int = 20
) -> list[RegionHit]:
    """Regions of one level whose name holds `q` (at least 2 letters), inside the viewer's regions."""
    text = q.strip()[:64]
    if len(text) < 2 or level not in LEVEL_WORDS:
        return []
    hits = list(Region.objects.filter(_scope_q(within, all_regions), level=level, name__icontains=text)
                .order_by("name", "code").values_list("code", flat=True)[:limit])  # fmt: skip
    labels = region_labels(codes=hits)
    return [RegionHit(code, labels[code]) for code in hits]


def region_resolve(*, text: str, level: int, within: tuple[str, ...], all_regions: bool, field: str) -> str:
    """What a person typed in a region field: a code stays a code; a name is the one region of that name in
    the viewer's regions. None, or several, is refused in words (with the candidates to choose from)."""
    value = text.strip()
    if not value or CODE_SHAPE.match(value):
        return value
    found = list(Region.objects.filter(_scope_q(within, all_regions), level=level, name__iexact=value)
                 .values_list("code", flat=True)[:6])  # fmt: skip
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationFailed(f"Tidak ada {LEVEL_WORDS[level]} bernama '{value[:64]}' di wilayah Anda.",
                               code=ErrorCode.REGION_NOT_FOUND, field=field)  # fmt: skip
    labels = region_labels(codes=found)
    raise ValidationFailed(f"Ada beberapa {LEVEL_WORDS[level]} bernama '{value[:64]}': "
                           + "; ".join(f"{labels[c]} ({c})" for c in found) + ". Pilih salah satu.",
                           code=ErrorCode.REGION_AMBIGUOUS, field=field)  # fmt: skip
