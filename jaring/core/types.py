"""Types every app shares: a contribution month (Period) and the one rounding rule for rupiah. Pure."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jaring.core.errors import ErrorCode, ValidationFailed

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, `2026-11`: contributions are owed and covered per month, never per date."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1900 <= self.year <= 2999):
            raise ValidationFailed(
                f"'{self.year}-{self.month:02d}' bukan bulan yang sah (bulan 01-12).",
                code=ErrorCode.PERIOD_INVALID,
                field="period",
            )

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD.match((text or "").strip())
        if not m:
            raise ValidationFailed(
                f"'{text}' bukan bulan: tulis sebagai YYYY-MM, misalnya 2026-11.",
                code=ErrorCode.PERIOD_INVALID,
                field="period",
            )
        return cls(int(m[1]), int(m[2]))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self) -> int:
        """Months since year 0: differences of two periods are month counts."""
        return self.year * 12 + (self.month - 1)

    def plus(self, months: int) -> Period:
        index = self.index + months
        return Period(index // 12, index % 12 + 1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)


def rupiah(amount: Decimal) -> int:
    """Whole rupiah, half up (domain rules section 2: JKK and JHT are rounded to the whole rupiah, half up)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def whole_number(text: str) -> int | None:
    """ASCII digits only: str.isdigit() also accepts "²" and "٣", which int() then refuses."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


# Whole rupiah, bounded: the largest single amount Jaring accepts (a setting, JARING_MONEY_MAX); far above any
# real budget (86,000 workers x 12 months x Rp 36,800 is Rp 38 billion) and far below a 64-bit column's limit.
MONEY_MAX_DEFAULT = 10**13


def rupiah_checked(
    value: object, *, field: str, maximum: int = MONEY_MAX_DEFAULT, allow_zero: bool = False
) -> int:
    """An amount of money as a whole number of rupiah within (0 or 1)..maximum; never a float, never a bool."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(
            "Jumlah uang harus angka rupiah utuh.", code=ErrorCode.AMOUNT_INVALID, field=field
        )
    if value < (0 if allow_zero else 1):
        raise ValidationFailed(
            "Jumlah uang harus lebih dari Rp 0.", code=ErrorCode.AMOUNT_INVALID, field=field
        )
    if value > maximum:
        raise ValidationFailed(
            f"Jumlah uang melebihi batas Rp {maximum:,}; periksa angkanya.".replace(",", "."),
            code=ErrorCode.AMOUNT_TOO_LARGE,
            field=field,
        )
    return value


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def text_checked(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    """A short text a person or a bank sent (a reference, a bank code): trimmed, no control characters, not
    longer than its column; each refusal names the field."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed("Kolom ini wajib diisi.", code=ErrorCode.TEXT_MISSING, field=field)
    if CONTROL_CHARACTERS.search(text):
        raise ValidationFailed("Teks berisi karakter kendali; ketik ulang.", code=ErrorCode.TEXT_CONTROL_CHARACTER,
                               field=field)  # fmt: skip
    if len(text) > max_length:
        raise ValidationFailed(f"Teks terlalu panjang: paling banyak {max_length} karakter.",
                               code=ErrorCode.TEXT_TOO_LONG, field=field)  # fmt: skip
    return text
