"""IMWG MRD (R11) and I2TEAMM MRD-CR at 9 and 12 months (R10) — domain-reference §21, §11.

Every expected value is computed by hand in the comment next to it from the rule's threshold,
never copied from the program's output.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from myeloma_core.response_mrd import add_months
from myeloma_core.response_series import summary_line
from myeloma_core.response_types import Category, MrdCategory
from tests.core.response_helpers import (
    CR_FINDINGS,
    a,
    mrd_of,
    mrd_values,
    run,
    s,
    second,
    serum_baseline,
    serum_series,
)

# --- R11 MRD ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mrd", "pet", "category"),
    [
        (mrd_values(method="ngf"), None, MrdCategory.FLOW),
        (mrd_values(), "not_done", MrdCategory.SEQUENCING),
        (mrd_values(sensitivity=1e-6), None, MrdCategory.SEQUENCING),
        (mrd_values(sensitivity=1e-4), None, MrdCategory.NOT_EVALUABLE),  # 10⁻⁴ is not ≤ 10⁻⁵
        (mrd_values(sensitivity=2e-5), "negative", MrdCategory.NOT_EVALUABLE),
        (mrd_values(), "negative", MrdCategory.IMAGING_PLUS),
        (mrd_values(), "positive", MrdCategory.SEQUENCING),
        (mrd_values(result="positive"), None, MrdCategory.POSITIVE),
    ],
)
def test_r11_mrd_category(mrd: Any, pet: str | None, category: MrdCategory) -> None:
    extra = {"pet_ct": pet} if pet else {}
    result = run(serum_baseline(), a("2026-05-04", **CR_FINDINGS, mrd=mrd, **extra))
    assert mrd_of(second(result)) is category


def test_mrd_only_categorised_at_cr() -> None:
    result = run(serum_baseline(), a("2026-05-04", **s(2), mrd=mrd_values()))
    assert second(result).category is Category.VGPR
    assert second(result).mrd is None
    assert any("require CR" in n for n in second(result).notes)


@pytest.mark.parametrize(("second_day", "sustained"), [("2027-05-04", True), ("2027-05-03", False)])
def test_r11_sustained_needs_365_days(second_day: str, sustained: bool) -> None:
    # 2026-05-04 → 2027-05-04 is 365 days (2027 is not a leap year … Feb 2027 has 28 days)
    imaging_plus = {**CR_FINDINGS, "mrd": mrd_values(), "pet_ct": "negative"}
    result = run(serum_baseline(), a("2026-05-04", **imaging_plus), a(second_day, **imaging_plus))
    expected = MrdCategory.SUSTAINED if sustained else MrdCategory.IMAGING_PLUS
    assert mrd_of(result.assessments[2]) is expected


def test_sustained_is_broken_by_a_positive_result_in_between() -> None:
    imaging_plus = {**CR_FINDINGS, "mrd": mrd_values(), "pet_ct": "negative"}
    result = run(
        serum_baseline(),
        a("2026-05-04", **imaging_plus),
        a("2026-11-04", **CR_FINDINGS, mrd=mrd_values(result="positive")),
        a("2027-06-04", **imaging_plus),
    )
    assert mrd_of(result.assessments[3]) is MrdCategory.IMAGING_PLUS


# --- R10 I2TEAMM MRD-CR at 9 and 12 months ----------------------------------------------------


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2026, 1, 5), 9) == dt.date(2026, 10, 5)
    assert add_months(dt.date(2026, 5, 31), 9) == dt.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("day", "month_9", "month_12"),
    [
        # start 2026-01-05; 9 months = 2026-10-05, + 30 days = 2026-11-04 (window end)
        ("2026-11-04", True, True),
        # one day later: no MRD-CR in the 9-month window and an assessment after it → false;
        # the 12-month window ends 2027-01-05 + 30 = 2027-02-04
        ("2026-11-05", False, True),
        ("2027-02-04", False, True),
        ("2027-02-05", False, False),
    ],
)
def test_r10_landmark_window_boundaries(day: str, month_9: bool, month_12: bool) -> None:
    result = run(serum_baseline(), a(day, **CR_FINDINGS, mrd=mrd_values()))
    assert (result.mrd_cr.month_9, result.mrd_cr.month_12) == (month_9, month_12)
    assert result.mrd_cr.window_status == "pending verification"


def test_r10_window_is_a_parameter() -> None:
    # window 0: the 9-month window ends on 2026-10-05 itself
    on_day = run(serum_baseline(), a("2026-10-05", **CR_FINDINGS, mrd=mrd_values()), window=0)
    late = run(serum_baseline(), a("2026-10-06", **CR_FINDINGS, mrd=mrd_values()), window=0)
    assert (on_day.mrd_cr.month_9, late.mrd_cr.month_9) == (True, False)


def test_r10_not_yet_known_and_cr_without_10_5() -> None:
    early = run(serum_baseline(), a("2026-05-04", **s(20)))
    assert (early.mrd_cr.month_9, early.mrd_cr.month_12) == (None, None)
    # CR with MRD negative at only 10⁻⁴ is not MRD-CR
    weak = run(serum_baseline(), a("2026-09-04", **CR_FINDINGS, mrd=mrd_values(sensitivity=1e-4)))
    assert weak.mrd_cr.month_9 is None


def test_r10_confirmed_pd_before_the_window_end_is_false() -> None:
    # PR nadir 20 → 26 (PD) → 30 (PD) confirmed on 2026-06-01, before 2026-11-04
    result = serum_series(("2026-03-02", s(20)), ("2026-05-04", s(26)), ("2026-06-01", s(30)))
    assert (result.mrd_cr.month_9, result.mrd_cr.month_12) == (False, False)


# --- the clinic-letter line --------------------------------------------------------------------


def test_summary_line() -> None:
    result = serum_series(
        ("2026-03-02", s(3)),  # VGPR
        ("2026-05-04", s(2)),  # VGPR
        ("2026-10-01", {**CR_FINDINGS, "mrd": mrd_values()}),
        ("2026-12-01", {**CR_FINDINGS, "mrd": mrd_values()}),
    )
    # pairs: VGPR, VGPR, CR → best CR from 2026-10-01; both windows contain the MRD-neg CR
    assert summary_line(result) == (
        "Best confirmed response CR (2026-10-01); MRD-negative CR at 9 months: yes (NGS, 10⁻⁵); "
        "MRD-negative CR at 12 months: yes (NGS, 10⁻⁵)"
    )
