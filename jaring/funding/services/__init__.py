"""Every write of funding: sponsors, programs (each pays through a contributions payer), allocation runs,
donations and legacy funding lists.

An allocation run is set-based (Polars between the database and the rules): it reads the active members
in the programs' regions once, applies each program's conditions, takes out every worker-month another
program already funds, prices the rest with the contribution rules, then hands each worker-month to the
program with the highest precedence, which takes its candidates in priority order while its budget and
quota last. Every decision is written with its reason; funded months become `PayerAssignment` rows, so the
next billing run bills them to the program. Decision: docs/decisions/0007-funding-allocation.md."""

from jaring.funding.services.allocation import AllocationResult, ProgramOutcome, allocation_run
from jaring.funding.services.donations import Donation, donation_create
from jaring.funding.services.legacy import allocation_record_legacy
from jaring.funding.services.merging import movers_register
from jaring.funding.services.programs import program_budget_change, program_close, program_create
from jaring.funding.services.sponsors import sponsor_create

__all__ = [
    "sponsor_create",
    "program_create",
    "program_budget_change",
    "program_close",
    "ProgramOutcome",
    "AllocationResult",
    "allocation_run",
    "allocation_record_legacy",
    "Donation",
    "donation_create",
    "movers_register",
]
