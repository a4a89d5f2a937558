"""Every write of the contribution ledger: payers and who pays for whom, monthly billing runs, payments
(by hand, from a bank statement, from a bank's notification), settling them against the oldest months first,
the reconciliation queue, lapses, re-activation and the PP 50/2025 over-payment credit.

Bulk work is set-based (Polars between the database and the rules, COPY on PostgreSQL, window functions for
"oldest month first"), runs in one transaction and leaves a record (BillingRun, StatementImport)."""

from jaring.contributions.services.billing import BillingResult, billing_run
from jaring.contributions.services.discounts import discount_credit_apply
from jaring.contributions.services.merging import movers_register
from jaring.contributions.services.payers import (
    payer_assign,
    payer_assign_frame,
    payer_create,
    payer_program_link,
)
from jaring.contributions.services.payments import notification_refused, payment_record, payment_resolve
from jaring.contributions.services.reactivation import membership_reactivate
from jaring.contributions.services.statements import (
    StatementProblem,
    StatementResult,
    statement_import,
)

__all__ = [
    "payer_create",
    "payer_assign",
    "payer_assign_frame",
    "payer_program_link",
    "BillingResult",
    "billing_run",
    "membership_reactivate",
    "payment_record",
    "payment_resolve",
    "notification_refused",
    "StatementProblem",
    "StatementResult",
    "statement_import",
    "discount_credit_apply",
    "movers_register",
]
