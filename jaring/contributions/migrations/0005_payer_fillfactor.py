"""A payer's credit and a bill's paid amount change with every payment: on PostgreSQL leave room on their
pages so that the update stays on the page (HOT) and their indexes are not rewritten (bench/README.md:
100,000 payments' credit updates took 5.4 s without, 0.5 s with)."""

from django.db import migrations


def fillfactor(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE contributions_payer SET (fillfactor = 50)")
        schema_editor.execute("ALTER TABLE contributions_bill SET (fillfactor = 70)")


def back(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE contributions_payer RESET (fillfactor)")
        schema_editor.execute("ALTER TABLE contributions_bill RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("contributions", "0004_statement_profiles")]
    operations = [migrations.RunPython(fillfactor, back)]
