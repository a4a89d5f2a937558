"""Effective-dated rule rows: rates, accepted incomes, discounts and payer-type settings. Regulations
change (2019, 2023, 2025): a change is a new row with its period, never an edited literal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jaring.contributions.rules import Basis, PayerType, Program, SectorScope

PERIOD_HELP = "Bulan, YYYY-MM"


class RateRule(models.Model):
    program = models.CharField(max_length=3, choices=[(p.value, p.value.upper()) for p in Program])
    basis = models.CharField(max_length=8, choices=[(b.value, b.value) for b in Basis])
    value = models.DecimalField(max_digits=12, decimal_places=4)  # percent, or whole rupiah for flat
    valid_from = models.CharField(max_length=7, help_text=PERIOD_HELP)
    valid_to = models.CharField(
        max_length=7, blank=True, default="", help_text=PERIOD_HELP + "; kosong = berlaku terus"
    )
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["program", "valid_from"]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="rate_rule_value_positive")]

    def __str__(self) -> str:
        return f"{self.program} {self.value} ({self.basis}) {self.valid_from}-{self.valid_to or '…'}"


class IncomeTier(models.Model):
    lower = models.BigIntegerField()
    upper = models.BigIntegerField()
    valid_from = models.CharField(max_length=7, help_text=PERIOD_HELP)
    valid_to = models.CharField(max_length=7, blank=True, default="", help_text=PERIOD_HELP)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["valid_from", "lower"]
        constraints = [
            models.CheckConstraint(condition=Q(upper__gte=models.F("lower")), name="income_tier_range")
        ]

    def __str__(self) -> str:
        return f"Rp {self.lower:,}-{self.upper:,} {self.valid_from}-{self.valid_to or '…'}"


class Discount(models.Model):
    name = models.CharField(max_length=100)
    programs = models.CharField(max_length=20, help_text="jkk,jkm")
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    sector = models.CharField(max_length=10, choices=[(s.value, s.value) for s in SectorScope])
    valid_from = models.CharField(max_length=7, help_text=PERIOD_HELP)
    valid_to = models.CharField(max_length=7, blank=True, default="", help_text=PERIOD_HELP)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["valid_from", "sector"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="discount_percent_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.percent}% {self.sector} {self.valid_from}-{self.valid_to or '…'}"


class PayerTypeSetting(models.Model):
    payer_type = models.CharField(
        max_length=16, primary_key=True, choices=[(p.value, p.value) for p in PayerType]
    )
    # PP 50/2025: no discount where JKK/JKM are paid from APBN or APBD. APBDes is a village budget, not APBD:
    # whether it is excluded is this setting (domain rules section 2, decision: not excluded).
    discount_excluded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.payer_type


# ------------------------------------------------------------------------------------- the ledger


class PayerKind(models.TextChoices):
    WORKER = "worker", "Pekerja (mandiri)"
    AGENT = "agent", "Agen PERISAI (kolektif)"
    PROGRAM = "program", "Program pendanaan"


class Payer(models.Model):
    """Whoever receives a bill: a self-paying worker, a PERISAI agent collecting from the workers they signed
    up, or a funding program (issue #5). One stable virtual account per payer, printed on every bill."""

    kind = models.CharField(max_length=8, choices=PayerKind.choices)
    payer_type = models.CharField(max_length=16, choices=[(p.value, p.value) for p in PayerType])
    name = models.CharField(max_length=200)
    worker = models.OneToOneField(
        "registry.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="own_payer"
    )
    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    program_ref = models.CharField(max_length=64, blank=True, default="")  # funding program (issue #5)
    sponsor_ref = models.CharField(max_length=64, blank=True, default="")  # the sponsor whose users see it
    va_number = models.CharField(max_length=16, unique=True)
    frequency = models.PositiveSmallIntegerField(default=1)  # months billed at once: 1, 3, 6 or 12
    anchor_period = models.CharField(max_length=7, blank=True, default="")  # first month of the first cycle
    jht = models.BooleanField(default=False)  # also pays the optional JHT
    credit = models.BigIntegerField(default=0)  # money received and not yet applied to a month
    # Where the payer belongs, for region scoping (a program may stop at the regency level).
    province_code = models.CharField(max_length=2, blank=True, default="")
    regency_code = models.CharField(max_length=5, blank=True, default="")
    district_code = models.CharField(max_length=8, blank=True, default="")
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, db_column="village_code",
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(frequency__in=[1, 3, 6, 12]), name="payer_frequency_valid"),
            models.CheckConstraint(condition=Q(credit__gte=0), name="payer_credit_not_negative"),
            models.UniqueConstraint(
                fields=["program_ref"], condition=~Q(program_ref=""), name="payer_one_per_program"
            ),
        ]
        indexes = [models.Index(fields=["regency_code"]), models.Index(fields=["sponsor_ref"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.va_number})"


class PayerAssignment(models.Model):
    """Who pays for a worker from one month to another. A worker-month without an assignment is billed to the
    worker (mandiri). Funding programs (issue #5) and agents' collections write these."""

    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="assignments")
    first_period = models.CharField(max_length=7)
    last_period = models.CharField(max_length=7, blank=True, default="")  # empty: until ended
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["worker", "first_period"]), models.Index(fields=["payer"])]

    def __str__(self) -> str:
        return f"{self.worker_id} -> {self.payer_id} {self.first_period}-{self.last_period or '…'}"


class BillingRun(models.Model):
    period = models.CharField(max_length=7)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    bills = models.IntegerField(default=0)
    lines = models.IntegerField(default=0)
    amount_total = models.BigIntegerField(default=0)
    lapsed_lines = models.IntegerField(default=0)
    memberships_ended = models.IntegerField(default=0)
    scope = models.CharField(max_length=255, blank=True, default="")  # region codes billed; "" = national
    seconds = models.FloatField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"billing {self.period} #{self.pk}"


class BillStatus(models.TextChoices):
    ISSUED = "issued", "Terbit"
    PARTIAL = "partial", "Dibayar sebagian"
    PAID = "paid", "Lunas"
    CLOSED = "closed", "Ditutup"  # nothing left payable: the rest lapsed


class Bill(models.Model):
    """One payer's bill for a billing month: frozen when issued (the lines carry their own amounts)."""

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="bills")
    period = models.CharField(max_length=7)  # the billing month
    seq = models.PositiveSmallIntegerField(default=1)  # a re-run bills late joiners on a second bill
    first_period = models.CharField(max_length=7)  # the coverage months this bill holds
    last_period = models.CharField(max_length=7)
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="+")
    va_number = models.CharField(max_length=16)
    payer_name = models.CharField(max_length=200)
    payer_type = models.CharField(max_length=16)
    lines_count = models.IntegerField()
    amount_total = models.BigIntegerField()
    amount_paid = models.BigIntegerField(default=0)
    amount_lapsed = models.BigIntegerField(default=0)
    status = models.CharField(max_length=8, choices=BillStatus.choices, default=BillStatus.ISSUED)
    issued_at = models.DateTimeField()
    due_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payer", "period", "seq"], name="bill_once_per_payer_month")
        ]
        indexes = [models.Index(fields=["period", "-id"]), models.Index(fields=["payer", "-id"])]

    def __str__(self) -> str:
        return f"{self.payer_name} {self.period}/{self.seq}"


class LineStatus(models.TextChoices):
    OPEN = "open", "Belum dibayar"
    PAID = "paid", "Lunas"
    LAPSED = "lapsed", "Lewat masa bayar"


class BillLine(models.Model):
    """One worker-month on a bill, priced when issued. A worker-month is billed once: the partial unique
    constraint is what makes double funding impossible, whatever the payer."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines", db_index=False)
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+", db_index=False)
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.CharField(max_length=7)  # the coverage month
    income = models.BigIntegerField()
    sector = models.CharField(max_length=10)
    jkk = models.IntegerField()
    jkm = models.IntegerField()
    jht = models.IntegerField()
    amount = models.IntegerField()
    credited = models.IntegerField(default=0)  # given back later (PP 50/2025 over-payment credit)
    status = models.CharField(max_length=6, choices=LineStatus.choices, default=LineStatus.OPEN)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment = models.ForeignKey(
        "Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "period"], name="line_once_per_worker_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="line_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["bill", "id"]),
            models.Index(fields=["payer", "status", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.period} {self.amount} {self.status}"


class PaymentSource(models.TextChoices):
    MANUAL = "manual", "Dicatat petugas"
    STATEMENT = "statement", "Rekening koran"
    NOTIFICATION = "notify", "Notifikasi bank"


class PaymentStatus(models.TextChoices):
    MATCHED = "matched", "Cocok"
    UNMATCHED = "unmatched", "Menunggu rekonsiliasi"
    RETURNED = "returned", "Dikembalikan"


class Bank(models.Model):
    """The banks money arrives through: a controlled list (issue #13). A payment, a statement profile and a
    bank's notification name a bank by its code; "BCA", " bca" and "Bank BCA" are the same bank, so a transfer
    reference counts once per bank. The notification secret comes from JARING_BANK_NOTIFY_SECRETS (production)
    or, where that has none for the code, from here."""

    code = models.CharField(max_length=16, unique=True)  # lower case: letters, digits and "-"
    name = models.CharField(max_length=100)
    notify_secret = models.CharField(max_length=128, blank=True, default="")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class StatementProfile(models.Model):
    """How one bank's statement file is read: the columns that hold each field, saved once per bank."""

    name = models.CharField(max_length=64, unique=True)
    bank = models.CharField(max_length=32)  # a Bank's code
    delimiter = models.CharField(max_length=1, default=",")
    skip_rows = models.PositiveSmallIntegerField(default=0)
    reference_column = models.CharField(max_length=64)
    va_column = models.CharField(max_length=64)
    amount_column = models.CharField(max_length=64)
    date_column = models.CharField(max_length=64)
    date_format = models.CharField(max_length=32, default="%Y-%m-%d")
    decimal_comma = models.BooleanField(default=False)  # "16.800,00" instead of "16800.00"

    def __str__(self) -> str:
        return self.name


class StatementImport(models.Model):
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    profile = models.ForeignKey(StatementProfile, on_delete=models.PROTECT, related_name="+")
    lines = models.IntegerField(default=0)
    matched = models.IntegerField(default=0)
    unmatched = models.IntegerField(default=0)
    duplicates = models.IntegerField(default=0)
    amount_total = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.file_name


class Payment(models.Model):
    """Money received. A bank's reference is recorded once; a line that matches no payer waits in the
    reconciliation queue with its reason. Payments are never deleted: a wrong one is returned."""

    source = models.CharField(max_length=9, choices=PaymentSource.choices)
    bank = models.CharField(max_length=32)
    reference = models.CharField(max_length=64)
    va_number = models.CharField(max_length=32, blank=True, default="")  # as received
    amount = models.BigIntegerField()
    paid_at = models.DateTimeField()  # the value date as given (typed by a clerk, in a statement, by a bank)
    # When the money counts (bill lines' paid_at, cover, claims): when Jaring learned of it, or a bank's signed
    # settlement time; never a typed date (docs/decisions/0013).
    counted_at = models.DateTimeField(null=True, blank=True)
    payer = models.ForeignKey(Payer, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    status = models.CharField(max_length=9, choices=PaymentStatus.choices)
    reason_code = models.CharField(max_length=32, blank=True, default="")
    reason = models.CharField(max_length=255, blank=True, default="")
    statement = models.ForeignKey(
        StatementImport, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    line_no = models.IntegerField(null=True, blank=True)
    # Whose queue an unmatched payment waits in: the regions of whoever recorded it ("" = national: an
    # administrator, the system, a bank's notification). Writes check the same scope as reads (issue #13).
    scope = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_note = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bank", "reference"], name="payment_reference_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "-id"]), models.Index(fields=["payer", "-id"])]

    def __str__(self) -> str:
        return f"{self.bank} {self.reference} Rp {self.amount}"
