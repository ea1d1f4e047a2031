"""LDH status from a value and its upper limit (domain reference G4): high means above the ULN, a
value equal to the ULN is normal, and a stated status that contradicts the numbers is refused at
both fields (G1). The plausible range is 20–50,000 U/L (units: µkat/L would fall below it)."""

from __future__ import annotations

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.staging import LdhStatus, ldh_status_checked, ldh_status_from_value


@pytest.mark.parametrize(
    ("value", "uln", "status"),
    [(251, 250, LdhStatus.HIGH), (250, 250, LdhStatus.NORMAL), (249, 250, LdhStatus.NORMAL)],
)
def test_high_is_strictly_above_the_upper_limit(value: float, uln: float, status: str) -> None:
    assert ldh_status_from_value(value=value, upper_limit_normal=uln) is status


@pytest.mark.parametrize(
    ("value", "uln", "field"),
    [(5, 250, "ldh.value"), (60_000, 250, "ldh.value"), (300, 5, "ldh.upper_limit_normal")],
)
def test_implausible_numbers_are_refused_at_their_field(
    value: float, uln: float, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        ldh_status_from_value(value=value, upper_limit_normal=uln)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("stated", "value", "status"),
    [
        (LdhStatus.UNKNOWN, 300, LdhStatus.HIGH),
        (LdhStatus.UNKNOWN, 200, LdhStatus.NORMAL),
        (LdhStatus.HIGH, 300, LdhStatus.HIGH),
        ("normal", 250, LdhStatus.NORMAL),
    ],
)
def test_a_consistent_or_unknown_statement_gives_the_status_of_the_value(
    stated: str, value: float, status: str
) -> None:
    assert ldh_status_checked(stated=LdhStatus(stated), value=value, upper_limit_normal=250) is (
        status
    )


def test_normal_stated_with_a_value_above_the_uln_is_refused_at_both_fields() -> None:
    with pytest.raises(InvalidInput) as refused:
        ldh_status_checked(stated=LdhStatus.NORMAL, value=300, upper_limit_normal=250)
    assert (refused.value.field, refused.value.also) == ("ldh_status", ("ldh.value",))
    assert refused.value.message == (
        'LDH status "normal" contradicts the LDH value 300 U/L, which is above the upper limit '
        "of normal 250 U/L (high = above the upper limit; a value equal to it counts as normal, "
        "G4). Correct the LDH status or the LDH value."
    )


def test_high_stated_with_a_value_at_the_uln_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        ldh_status_checked(stated=LdhStatus.HIGH, value=250, upper_limit_normal=250)
    assert (refused.value.field, refused.value.also) == ("ldh_status", ("ldh.value",))
    assert refused.value.message.startswith(
        'LDH status "high" contradicts the LDH value 250 U/L, which is at or below the upper '
        "limit of normal 250 U/L"
    )
