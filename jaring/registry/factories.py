"""Valid worker data for tests: NIKs consistent with district, birth date and sex."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

_serial = itertools.count(1)

# Desa Cangkudu, Kec. Balaraja, Kab. Tangerang (domain rules section 5).
VILLAGE = "36.03.01.2003"
OTHER_REGENCY_VILLAGE = "35.25.01.2001"  # Kab. Gresik


def nik_for(
    *,
    district: str = "360301",
    birth: dt.date = dt.date(1985, 4, 12),
    sex: str = "L",
    serial: int | None = None,
) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial or next(_serial):04d}"


def worker_cells(**overrides: Any) -> dict[str, object]:
    birth = overrides.pop("birth", dt.date(1985, 4, 12))
    sex = overrides.get("sex", "L")
    cells: dict[str, object] = {
        "nik": nik_for(birth=birth, sex=sex),
        "full_name": "Budi Santoso",
        "sex": sex,
        "birth_place": "Tangerang",
        "birth_date": birth.strftime("%d-%m-%Y"),
        "mother_name": "Siti Aminah",
        "address": "Kp. Cangkudu RT 001/RW 002",
        "village_code": VILLAGE,
        "phone": "081234567890",
        "occupation": "Petani",
        "income": "1000000",
    }
    cells.update(overrides)
    return cells
