"""The regulation in force when Jaring started (domain rules section 2), as data rows."""

from decimal import Decimal

from django.db import migrations

RATES = [
    ("jkk", "percent", Decimal("1"), "2015-07", "PP 44/2015 Lampiran II (BPU: 1 % of declared income); PP 82/2019"),
    ("jkm", "flat", Decimal("6800"), "2015-07", "PP 44/2015 (BPU: Rp 6.800 per month)"),
    ("jht", "percent", Decimal("2"), "2015-07", "PP 46/2015 (BPU: 2 % of declared income, optional)"),
]
DISCOUNTS = [
    ("PP 50/2025 sektor transportasi", "transport", "2026-01", "2027-03"),
    ("PP 50/2025 sektor lain", "other", "2026-04", "2026-12"),
]
EXCLUDED = {"apbn": True, "apbd_provinsi": True, "apbd_kabkota": True}
PAYER_TYPES = ["mandiri", "apbn", "apbd_provinsi", "apbd_kabkota", "apbdes", "csr", "donor", "baznas"]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    RateRule = apps.get_model("contributions", "RateRule")
    IncomeTier = apps.get_model("contributions", "IncomeTier")
    Discount = apps.get_model("contributions", "Discount")
    PayerTypeSetting = apps.get_model("contributions", "PayerTypeSetting")
    for program, basis, value, start, source in RATES:
        RateRule.objects.create(program=program, basis=basis, value=value, valid_from=start, source=source)
    IncomeTier.objects.create(
        lower=1_000_000,
        upper=20_700_000,
        valid_from="2015-07",
        source="Lampiran II PP 44/2015; until the official steps are loaded any whole rupiah in range (decision)",
    )
    for name, sector, start, end in DISCOUNTS:
        Discount.objects.create(
            name=name, programs="jkk,jkm", percent=Decimal("50"), sector=sector, valid_from=start, valid_to=end,
            source="PP 50/2025 (promulgated 22 Dec 2025): 50 % of JKK and JKM, not for APBN/APBD payers",
        )  # fmt: skip
    for payer_type in PAYER_TYPES:
        PayerTypeSetting.objects.create(payer_type=payer_type, discount_excluded=EXCLUDED.get(payer_type, False))


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
