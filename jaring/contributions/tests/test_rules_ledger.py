"""The ledger's pure rules: virtual-account check digits, billing cycles for payment in advance (1, 3, 6 or
12 months, domain rules section 2) and membership standing (BPJS Perdir 22/PERDIR.02/072022: arrears payable
for 3 months after protection ended, membership ends after more than 3 consecutive unpaid months; decision:
a new payment re-activates it and the gap stays uncovered)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.contributions.rules import (
    MonthState,
    Standing,
    cycle_months,
    last_payable_month,
    membership_standing,
    payable,
    va_clean,
    va_near_misses,
    va_number,
    va_valid,
)
from jaring.core.errors import ValidationFailed
from jaring.core.types import Period

P = Period.parse
PAID, UNPAID, LAPSED, NONE = MonthState.PAID, MonthState.UNPAID, MonthState.LAPSED, MonthState.NOT_BILLED


# ------------------------------------------------------------------------------------- virtual accounts

_VALID = va_number(prefix="8889", customer="12345678903")


def test_va_number_has_sixteen_digits_and_a_valid_check_digit() -> None:
    va = va_number(prefix="8889", customer="00000000018")
    assert len(va) == 16 and va.startswith("888900000000018")
    assert va_valid(va)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        (_VALID, True),
        (_VALID[:-1] + str((int(_VALID[-1]) + 1) % 10), False),  # a wrong check digit
        ("888912345678903", False),  # 15 digits
        ("88891234567890311", False),  # 17 digits
        ("888912345678903x", False),
        ("", False),
        ("８８８９１２３４５６７８９０３１", False),  # full-width digits are not ASCII
    ],
)
def test_va_valid(text: str, valid: bool) -> None:
    assert va_valid(text) is valid


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 14), st.integers(1, 9))
def test_any_single_digit_typo_is_caught(customer: str, position: int, delta: int) -> None:
    va = va_number(prefix="8890", customer=customer)
    typo = va[:position] + str((int(va[position]) + delta) % 10) + va[position + 1 :]
    assert not va_valid(typo)


def test_va_clean_drops_the_separators_banks_print() -> None:
    assert va_clean(" 8889-0000 0000.0186 ") == "8889000000000186"


# ------------------------------------------------------------------------------------- billing cycles


@pytest.mark.parametrize(
    ("period", "anchor", "frequency", "months"),
    [
        ("2026-11", "2026-01", 1, ["2026-11"]),  # monthly
        ("2026-01", "2026-01", 3, ["2026-01", "2026-02", "2026-03"]),  # a quarter in advance
        ("2026-02", "2026-01", 3, ["2026-02", "2026-03"]),  # mid-cycle: up to the cycle's end only
        ("2026-03", "2026-01", 3, ["2026-03"]),
        ("2026-04", "2026-01", 3, ["2026-04", "2026-05", "2026-06"]),  # next cycle
        ("2026-07", "2026-01", 6, [f"2026-{m:02d}" for m in range(7, 13)]),
        ("2026-12", "2026-12", 12, ["2026-12"] + [f"2027-{m:02d}" for m in range(1, 12)]),  # over a year end
        ("2025-12", "2026-01", 3, ["2025-12", "2026-01", "2026-02"]),  # before the anchor: a new cycle
    ],
)
def test_cycle_months(period: str, anchor: str, frequency: int, months: list[str]) -> None:
    assert [str(p) for p in cycle_months(period=P(period), anchor=P(anchor), frequency=frequency)] == months


@pytest.mark.parametrize("frequency", [0, 2, 4, 24, -1])
def test_cycle_refuses_a_frequency_the_regulation_does_not_know(frequency: int) -> None:
    with pytest.raises(ValidationFailed) as exc:
        cycle_months(period=P("2026-01"), anchor=P("2026-01"), frequency=frequency)
    assert exc.value.code == "FREQUENCY_INVALID"


# ------------------------------------------------------------------------------------- grace


@pytest.mark.parametrize(
    ("period", "as_of", "ok"),
    [
        ("2026-06", "2026-06", True),  # the month itself
        ("2026-06", "2026-09", True),  # up to 3 months after (Perdir 22/2022)
        ("2026-06", "2026-10", False),  # the 4th month after: too late
        ("2026-11", "2027-02", True),  # over a year end
        ("2026-11", "2027-03", False),
    ],
)
def test_payable_within_three_months_after(period: str, as_of: str, ok: bool) -> None:
    assert payable(period=P(period), as_of=P(as_of)) is ok
    assert (P(as_of) <= last_payable_month(P(period))) is ok


# ------------------------------------------------------------------------------------- standing


def months(start: str, states: str) -> dict[Period, MonthState]:
    """'PPU-L' from `start`: P paid, U unpaid, L lapsed, - not billed."""
    code = {"P": PAID, "U": UNPAID, "L": LAPSED, "-": NONE}
    return {P(start).plus(i): code[c] for i, c in enumerate(states)}


@pytest.mark.parametrize(
    ("states", "as_of", "standing", "arrears", "ended_in", "reactivated_in"),
    [
        # Every past month paid; the current month (2026-06) still open: active.
        ("PPPPPU", "2026-06", Standing.ACTIVE, [], None, None),
        # One past month unpaid: in arrears, payable (grace, Perdir 22/2022).
        ("PPPPUU", "2026-06", Standing.ARREARS, ["2026-05"], None, None),
        # Three past months unpaid: still inside the grace window.
        ("PPUUUU", "2026-06", Standing.ARREARS, ["2026-03", "2026-04", "2026-05"], None, None),
        # Four consecutive unpaid months ("more than 3"): ended in the month after the fourth.
        ("PUUUUU", "2026-06", Standing.ENDED, [], "2026-06", None),
        ("UUUUU", "2026-06", Standing.ENDED, [], "2026-05", None),
        # Ended, then a new payment: re-activated, the gap stays unpaid (decision, domain rules section 2).
        ("PLLLLLP", "2026-08", Standing.ACTIVE, [], "2026-06", "2026-07"),
        # Re-activated by paying in advance for the current month.
        ("PLLLLP", "2026-06", Standing.ACTIVE, [], "2026-06", "2026-06"),
        # An unpaid month between paid ones (another payer took over) is not a run of four.
        ("PUPPPPU", "2026-07", Standing.ACTIVE, [], None, None),
        # A month that was not billed breaks a run: nothing was owed then.
        ("UU-UUU", "2026-06", Standing.ARREARS, ["2026-04", "2026-05"], None, None),
        # Lapsed months count as unpaid for the run.
        ("LUUUU", "2026-05", Standing.ENDED, [], "2026-05", None),
        # Never billed: not a member (nothing to pay).
        ("---", "2026-03", Standing.NOT_MEMBER, [], None, None),
        # Only the current month billed and unpaid: active (it is not past due yet).
        ("U", "2026-01", Standing.ACTIVE, [], None, None),
    ],
)
def test_membership_standing(
    states: str,
    as_of: str,
    standing: Standing,
    arrears: list[str],
    ended_in: str | None,
    reactivated_in: str | None,
) -> None:
    result = membership_standing(months=months("2026-01", states), as_of=P(as_of))
    assert result.standing == standing
    assert [str(p) for p in result.arrears] == arrears
    assert (str(result.ended_in) if result.ended_in else None) == ended_in
    assert (str(result.reactivated_in) if result.reactivated_in else None) == reactivated_in


@given(st.text(alphabet="PUL-", min_size=1, max_size=30), st.integers(0, 34))
def test_standing_properties(states: str, offset: int) -> None:
    history = months("2025-01", states)
    as_of = P("2025-01").plus(offset)
    result = membership_standing(months=history, as_of=as_of)
    # Arrears are unpaid, past due and still payable; an ended membership has none.
    for p in result.arrears:
        assert history[p] == UNPAID and p < as_of and payable(period=p, as_of=as_of)
    if result.standing == Standing.ENDED:
        assert result.arrears == () and result.ended_in is not None and result.ended_in <= as_of
    # Paying the current month and every payable arrear always leaves (or makes) the member active.
    if result.standing != Standing.NOT_MEMBER:
        healed = dict(history)
        for p in result.arrears:
            healed[p] = PAID
        healed[as_of] = PAID
        assert membership_standing(months=healed, as_of=as_of).standing == Standing.ACTIVE


# The reconciliation queue's suggestions (issue #14): a transfer to an account that does not exist was most often
# meant for one a single slip away. Each case: what was typed, and the slip that leads back to the real account.
@pytest.mark.parametrize(
    ("typed", "slip"),
    [
        (_VALID[:-1] + str((int(_VALID[-1]) + 1) % 10), "digit"),  # the last digit mistyped
        (_VALID[:5] + str((int(_VALID[5]) + 3) % 10) + _VALID[6:], "digit"),  # a middle digit
        (_VALID[:6] + _VALID[7] + _VALID[6] + _VALID[8:], "swap"),  # two neighbours swapped ("3" and "4")
        (_VALID[:9] + _VALID[10:], "missing"),  # 15 digits: one left out
        (_VALID[:9] + "7" + _VALID[9:], "extra"),  # 17 digits: one too many
        (
            f"{_VALID[:4]} {_VALID[4:8]}.{_VALID[8:12]}-{_VALID[12:-1]}{(int(_VALID[-1]) + 5) % 10}",
            "digit",
        ),  # in groups
    ],
)
def test_near_misses_lead_back_to_the_account_meant(typed: str, slip: str) -> None:
    found = va_near_misses(typed)
    assert found.get(_VALID) == slip
    assert all(va_valid(v) for v in found)  # only accounts that can exist
    assert va_clean(typed) not in found


@pytest.mark.parametrize(
    "typed", ["", "abc", "12345", "8889123456789031234", "８８８９１２３４５６７８９０３１"]
)
def test_no_near_misses_for_what_is_no_account_at_all(typed: str) -> None:
    assert va_near_misses(typed) == {}
