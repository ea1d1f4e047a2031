"""Confirmation, the best confirmed response, progression, MRD and I2TEAMM edges — §21 R9–R11.

Expected values are worked out by hand from the rules (R9: a category is confirmed by the next
assessment at the same depth or deeper; R10: the window runs from the treatment start to
month 9 or 12 plus the landmark window, both days included; R11: sustained MRD-negativity is
two imaging-plus MRD-negative results at least 365 days apart with no positive result between).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.response_types import (
    IMWG_SOURCE,
    MRD_SOURCE,
    AntiCd38,
    Category,
    MrdCategory,
    MrdMethod,
    Progression,
)
from tests.core.response_helpers import (
    CR_FINDINGS,
    FISH_FREE,
    a,
    base,
    mrd_values,
    run,
    s,
    serum_baseline,
    serum_series,
)

IMAGING_PLUS = {**CR_FINDINGS, "mrd": mrd_values(), "pet_ct": "negative"}


def confirmed(result: Any) -> list[bool | None]:
    return [r.confirmed for r in result.assessments]


def test_a_category_is_confirmed_by_the_same_depth_or_deeper() -> None:
    # PR (20), PR (20), PD? no: 20 → 20 is no increase; the last one has nothing after it.
    same = serum_series(("2026-03-02", s(20)), ("2026-05-04", s(20)))
    assert confirmed(same) == [None, True, False]
    # PR then PD: not confirmed (PD is outside the order of depth)
    pd = serum_series(("2026-03-02", s(20)), ("2026-05-04", s(26)), ("2026-06-01", s(30)))
    assert confirmed(pd)[1] is False


def test_not_evaluable_is_never_confirmed() -> None:
    nothing = {"plasmacytoma": "absent"}
    result = serum_series(("2026-03-02", nothing), ("2026-05-04", nothing))
    assert [r.category for r in result.assessments[1:]] == [Category.NE, Category.NE]
    assert confirmed(result) == [None, False, False]


def test_best_confirmed_response_dates_from_the_first_pair_that_gives_it() -> None:
    # VGPR, VGPR, VGPR: pairs (03-02, 05-04) and (05-04, 07-01) both VGPR → the first date
    result = serum_series(("2026-03-02", s(4)), ("2026-05-04", s(4)), ("2026-07-01", s(4)))
    assert (result.best_confirmed_response, result.best_confirmed_response_date) == (
        Category.VGPR,
        dt.date(2026, 3, 2),
    )


def test_best_confirmed_response_skips_pairs_with_ne() -> None:
    nothing = {"plasmacytoma": "absent"}
    result = serum_series(
        ("2026-03-02", s(20)), ("2026-05-04", nothing), ("2026-07-01", s(20)), ("2026-09-01", s(20))
    )
    assert (result.best_confirmed_response, result.best_confirmed_response_date) == (
        Category.PR,
        dt.date(2026, 7, 1),
    )


@pytest.mark.parametrize("finding", ["new_bone_lesions", "plasmacytoma"])
def test_imaging_progression_is_confirmed_on_its_own_date(finding: str) -> None:
    result = serum_series(
        ("2026-03-02", s(20)), ("2026-05-04", {**s(20), finding: "present"}), ("2026-07-01", s(20))
    )
    assert result.mrd_cr.reasons[0] == (
        "MRD-CR at 9 months: no — progression confirmed on 2026-05-04 before the end of the "
        "window (2026-01-05 to 2026-11-04)"
    )


def test_progression_summary() -> None:
    none = serum_series(("2026-03-02", s(20)))
    assert none.progression == Progression(progressed=False, date=None, criteria=(), reasons=())
    pd = serum_series(("2026-03-02", s(20)), ("2026-05-04", s(26)), ("2026-06-01", s(30)))
    # nadir 20 → 26: +6 g/L (≥ 5), +30 % (≥ 25 %)
    assert pd.progression == Progression(
        progressed=True,
        date=dt.date(2026, 5, 4),
        criteria=("serum_m_protein",),
        reasons=(
            "serum M-protein +6 g/L from the nadir of 20 g/L, +30 %: PD (≥ 25 % and ≥ 5 g/L)",
        ),
    )


# --- R10 window edges (start 2026-01-05; month 9 + 30 days = 2026-11-04) -------------------------


def test_an_mrd_negative_cr_on_the_treatment_start_day_counts() -> None:
    result = serum_series(("2026-01-05", {**CR_FINDINGS, "mrd": mrd_values()}))
    assert result.mrd_cr.month_9 is True


def test_progression_confirmed_on_the_last_day_of_the_window_is_a_no() -> None:
    result = serum_series(("2026-03-02", s(20)), ("2026-10-01", s(26)), ("2026-11-04", s(30)))
    assert result.mrd_cr.month_9 is False
    assert "progression confirmed on 2026-11-04" in result.mrd_cr.reasons[0]


def test_an_assessment_on_the_last_day_of_the_window_does_not_close_it() -> None:
    result = serum_series(("2026-11-04", s(4)))
    assert result.mrd_cr.month_9 is None


# --- R11 MRD ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mrd", "pet", "category"),
    [
        (mrd_values(result="positive", sensitivity=1e-6), None, MrdCategory.POSITIVE),
        (mrd_values(sensitivity=1e-4), None, MrdCategory.NOT_EVALUABLE),
        (mrd_values(sensitivity=1e-6), "positive", MrdCategory.SEQUENCING),
        (mrd_values(sensitivity=1e-6), "negative", MrdCategory.IMAGING_PLUS),
    ],
)
def test_the_mrd_result_keeps_its_method_and_sensitivity(
    mrd: Any, pet: str | None, category: MrdCategory
) -> None:
    findings = {**CR_FINDINGS, "mrd": mrd, **({"pet_ct": pet} if pet else {})}
    item = serum_series(("2026-03-02", findings)).assessments[1].mrd
    assert item is not None
    assert (item.category, item.method, item.sensitivity) == (
        category,
        MrdMethod.NGS,
        Decimal(str(mrd["sensitivity"])),
    )


def test_an_mrd_result_without_sensitivity_is_not_evaluable_with_its_method() -> None:
    findings = {**CR_FINDINGS, "mrd": {"result": "negative", "method": "ngf"}}
    item = serum_series(("2026-03-02", findings)).assessments[1].mrd
    assert item is not None
    assert (item.category, item.method, item.sensitivity) == (
        MrdCategory.NOT_EVALUABLE,
        MrdMethod.NGF,
        None,
    )


def test_a_two_digit_sensitivity_is_written_in_full() -> None:
    # 2.5e-6 = 2.5 × 10⁻⁶
    findings = {**CR_FINDINGS, "mrd": mrd_values(sensitivity=2.5e-6)}
    item = serum_series(("2026-03-02", findings)).assessments[1].mrd
    assert item is not None
    assert item.reasons[0] == "NGS MRD negative at a sensitivity of 2.5 × 10⁻⁶ (≤ 10⁻⁵)"


def test_a_positive_result_outside_cr_breaks_sustained_negativity() -> None:
    result = serum_series(
        ("2026-05-04", IMAGING_PLUS),
        ("2026-09-01", {**s(4), "mrd": mrd_values(result="positive")}),
        ("2027-05-04", IMAGING_PLUS),
    )
    last = result.assessments[3].mrd
    assert last is not None
    assert last.category is MrdCategory.IMAGING_PLUS


def test_an_assessment_without_mrd_between_keeps_sustained_negativity() -> None:
    result = serum_series(
        ("2026-05-04", IMAGING_PLUS), ("2026-09-01", CR_FINDINGS), ("2027-05-04", IMAGING_PLUS)
    )
    last = result.assessments[3].mrd
    assert last is not None
    assert last.category is MrdCategory.SUSTAINED


# --- The series: checks and the tracked quantity ------------------------------------------------


@pytest.mark.parametrize(
    ("assessments", "field", "message"),
    [
        ([], "assessments", "At least one assessment (the baseline) is needed."),
        (
            [a("2026-03-02", **s(20))],
            "assessments",
            "Exactly one assessment must have baseline true; got 0.",
        ),
        (
            [serum_baseline(), a("2026-01-02", True, **s(20))],
            "assessments",
            "Exactly one assessment must have baseline true; got 2.",
        ),
        (
            [serum_baseline(), a("2026-03-02", **s(20)), a("2026-03-02", **s(10))],
            "assessments.2.date",
            "Assessment dates must be unique; 2026-03-02 is also assessment 1.",
        ),
        (
            [a("2025-12-01", **s(20)), serum_baseline()],
            "assessments.1.date",
            "The baseline must be the earliest assessment.",
        ),
    ],
)
def test_series_errors_name_the_field(assessments: list[Any], field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        run(*assessments)
    assert (raised.value.field, raised.value.message) == (field, message)


def test_the_tracked_quantity_follows_the_track() -> None:
    flc = {"involved_flc": (310, "mg/L"), "uninvolved_flc": (10, "mg/L")}
    tracks = {
        "serum": (serum_baseline(), a("2026-03-02", **s(20)), ("serum M-protein", "g/L"), 20),
        "urine": (
            base(serum_m_protein=(5, "g/L"), urine_m_protein=(1, "g/24h")),
            a("2026-03-02", urine_m_protein=(0.5, "g/24h")),
            ("urine M-protein", "mg/24 h"),
            500,
        ),
        "flc": (base(**FISH_FREE, **flc), a("2026-03-02", **flc), ("dFLC", "mg/L"), 300),
        "marrow": (
            base(**FISH_FREE, bone_marrow_plasma_cells_percent=40),
            a("2026-03-02", bone_marrow_plasma_cells_percent=20),
            ("bone-marrow plasma cells", "%"),
            20,
        ),
        "none": (base(**FISH_FREE), a("2026-03-02", **s(5)), (None, None), None),
    }
    for baseline, current, (name, unit), value in tracks.values():
        result = run(baseline, current)
        assert (result.tracked_quantity, result.tracked_unit) == (name, unit)
        assert result.assessments[1].tracked_value == value
    nadir = run(serum_baseline(), a("2026-03-02", **s(20)), a("2026-05-04", **s(20))).nadir
    assert nadir is not None
    # 20 g/L on two dates: the earliest
    assert (nadir.date, nadir.value, nadir.unit) == (dt.date(2026, 3, 2), 20, "g/L")


def test_the_baseline_result_has_no_category_and_no_verdict() -> None:
    baseline = serum_series(("2026-03-02", s(20))).assessments[0]
    assert (baseline.baseline, baseline.category, baseline.confirmed, baseline.mrd) == (
        True,
        None,
        None,
        None,
    )
    assert (baseline.reasons, baseline.missing, baseline.notes, baseline.sources) == (
        (),
        (),
        (),
        (),
    )
    assert baseline.tracked_value == 40


def test_each_result_names_its_sources_and_keeps_its_fields() -> None:
    result = serum_series(
        ("2026-03-02", s(20)), ("2026-05-04", {**CR_FINDINGS, "mrd": mrd_values()})
    )
    pr, cr = result.assessments[1], result.assessments[2]
    assert pr.sources == (IMWG_SOURCE,)
    assert cr.sources == (IMWG_SOURCE, MRD_SOURCE)
    assert (pr.baseline, pr.progression_criteria) == (False, ())
    # A PR names what CR would still need (R4).
    assert pr.missing == (
        "serum_ife",
        "urine_ife",
        "bone_marrow_plasma_cells_percent",
        "plasmacytoma",
    )
    assert cr.missing == ("involved_flc", "bone_marrow_clonality")
    assert result.assessments[0].progression_criteria == ()
    assert result.mrd_cr.window_days == 30


def test_baseline_incomplete_is_warned_only_off_the_serum_urine_track() -> None:
    # serum 40 g/L measurable, urine not given: the track is serum whatever the urine.
    result = run(base(serum_m_protein=(40, "g/L")), a("2026-03-02", **s(20)))
    assert result.warnings == ()


def test_no_mrd_cr_counts_after_the_progression_date() -> None:
    # PD from 2026-05-04 (confirmed 2026-06-01); an MRD-negative CR on 2026-08-03 comes after it.
    result = serum_series(
        ("2026-03-02", s(20)),
        ("2026-05-04", s(26)),
        ("2026-06-01", s(30)),
        ("2026-08-03", {**CR_FINDINGS, "mrd": mrd_values()}),
    )
    assert result.mrd_cr.month_9 is False


def test_the_month_9_method_is_only_that_of_a_month_9_yes() -> None:
    # MRD-negative CR on 2026-12-01: after the month-9 window (2026-11-04), inside month 12's.
    result = serum_series(("2026-12-01", {**CR_FINDINGS, "mrd": mrd_values(method="ngf")}))
    milestones = result.mrd_cr
    assert (milestones.month_9, milestones.month_9_method) == (False, None)
    assert (milestones.month_12, milestones.month_12_method) == (True, MrdMethod.NGF)


def test_a_warning_of_a_later_assessment_is_kept() -> None:
    positive_ife = {**CR_FINDINGS, "serum_ife": "positive"}
    result = run(
        serum_baseline(),
        a("2026-03-02", **s(20)),
        a("2026-05-04", **positive_ife),
        anti_cd38=AntiCd38.ISATUXIMAB,
    )
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("2026-05-04: possible therapeutic-antibody interference")


def test_an_unmeasured_urine_value_on_the_urine_track_is_not_tracked() -> None:
    result = run(
        base(serum_m_protein=(5, "g/L"), urine_m_protein=(1000, "mg/24h")),
        a("2026-03-02", bone_marrow_plasma_cells_percent=10),
    )
    assert result.assessments[1].tracked_value is None
