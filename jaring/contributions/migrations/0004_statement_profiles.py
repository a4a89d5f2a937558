"""Two statement profiles to start with: Jaring's own CSV layout and a typical Indonesian bank export
(semicolon, decimal comma, day/month/year). Banks' other layouts are added as profiles in the admin."""

from django.db import migrations

PROFILES = [
    {"name": "jaring", "bank": "jaring", "delimiter": ",", "skip_rows": 0, "reference_column": "reference",
     "va_column": "va_number", "amount_column": "amount", "date_column": "paid_at",
     "date_format": "%Y-%m-%d %H:%M", "decimal_comma": False},
    {"name": "bank-contoh", "bank": "bank-contoh", "delimiter": ";", "skip_rows": 2,
     "reference_column": "No. Referensi", "va_column": "Virtual Account", "amount_column": "Kredit",
     "date_column": "Tanggal Transaksi", "date_format": "%d/%m/%Y %H:%M:%S", "decimal_comma": True},
]  # fmt: skip


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]  # migration signature
    Profile = apps.get_model("contributions", "StatementProfile")
    for row in PROFILES:
        Profile.objects.update_or_create(name=row["name"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_ledger")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
