"""What the clinician reads about response, pinned word for word — domain-reference §21, §10–§11.

Each expected sentence is written from the rule (R1–R12) and the values typed in the test: the
change in per cent is (value − reference) ÷ reference × 100, the thresholds are those of the rule.
Nothing is copied from the program's output; an inverted verdict, a wrong operator or threshold
next to a value, or a dropped "not assessable" fails here.
"""

from __future__ import annotations

from typing import Any

import pytest

from myeloma_core.response_series import summary_line
from myeloma_core.response_types import AntiCd38, Category
from tests.core.response_helpers import (
    CR_FINDINGS,
    FISH_FREE,
    IGG_K,
    NORMAL_FLC,
    a,
    base,
    mrd_values,
    run,
    s,
    second,
    serum_baseline,
    serum_series,
)

# --- R1 measurable disease ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "reasons"),
    [
        (
            {"serum_m_protein": (1, "g/dL"), "urine_m_protein": (150, "mg/24h")},
            (
                "baseline serum M-protein 1 g/dL (10 g/L) (measurable: ≥ 10 g/L)",
                "baseline urine M-protein 150 mg/24 h (not measurable: < 200 mg/24 h)",
            ),
        ),
        (
            {"serum_m_protein": (9.9, "g/L"), "urine_m_protein": (0.2, "g/24h")},
            (
                "baseline serum M-protein 9.9 g/L (not measurable: < 10 g/L)",
                "baseline urine M-protein 0.2 g/24 h (200 mg/24 h) (measurable: ≥ 200 mg/24 h)",
            ),
        ),
    ],
)
def test_r1_serum_and_urine_reasons(values: dict[str, Any], reasons: tuple[str, ...]) -> None:
    assert run(base(**values)).measurable_disease.reasons == reasons


def test_r1_flc_track_reason() -> None:
    # κ/λ = 150 / 10 = 15 for an IgG-κ myeloma: outside 0.26–1.65, towards κ.
    result = run(base(**FISH_FREE, involved_flc=(150, "mg/L"), uninvolved_flc=(10, "mg/L")))
    assert result.measurable_disease.reasons == (
        "baseline serum M-protein 5 g/L (not measurable: < 10 g/L)",
        "baseline urine M-protein 100 mg/24 h (not measurable: < 200 mg/24 h)",
        "baseline involved FLC 150 mg/L (≥ 100 mg/L) with κ/λ ratio 15 (outside 0.26–1.65): "
        "measurable by FLC",
    )


def test_r1_marrow_track_and_no_measurable_disease_reasons() -> None:
    # involved 90 mg/L < 100: not measurable by FLC whatever the ratio (90 / 10 = 9).
    flc = {"involved_flc": (90, "mg/L"), "uninvolved_flc": (10, "mg/L")}
    marrow = run(base(**FISH_FREE, **flc, bone_marrow_plasma_cells_percent=35))
    assert marrow.measurable_disease.reasons[2:] == (
        "baseline involved FLC 90 mg/L, κ/λ ratio 9: not measurable by FLC (needs ≥ 100 mg/L "
        "and a ratio outside 0.26–1.65 towards the involved chain)",
        "baseline bone-marrow plasma cells 35 % (≥ 30 %): response followed in the bone marrow",
    )
    none = run(base(**FISH_FREE, **flc, bone_marrow_plasma_cells_percent=20))
    assert none.measurable_disease.reasons[3:] == (
        "baseline bone-marrow plasma cells 20 % (< 30 %)",
        "no measurable disease: only CR (immunofixation, marrow) and PD (imaging) can be assessed",
    )


def test_r1_light_chain_unknown_is_named_in_the_reason_and_the_warnings() -> None:
    # ratio 200 / 100 = 2: abnormal if κ is involved (> 1.65), normal if λ (λ/… 0.5 ≥ 0.26).
    result = run(
        base(**FISH_FREE, involved_flc=(200, "mg/L"), uninvolved_flc=(100, "mg/L")),
        isotype=None,
    )
    assert result.measurable_disease.reasons[2] == (
        "baseline involved FLC 200 mg/L with involved/uninvolved ratio 2 (light chain not "
        "given): whether it is abnormal depends on the light chain"
    )
    assert result.warnings == (
        "baseline incomplete (missing isotype (light chain), bone-marrow plasma cells): the "
        "track of response may be wrong",
        "isotype not given: a κ/λ ratio counts only where either light chain gives the same "
        "answer, and the anti-CD38 interference rule cannot be applied",
    )


# --- R2, R3, R6 categories from the reductions -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reasons"),
    [
        # 40 → 4 g/L: −90 % (VGPR ≥ 90 %)
        (4, ("serum M-protein −90 % from baseline (from 40 g/L to 4 g/L): ≥ 90 % reduction",)),
        # 40 → 20: −50 % (PR ≥ 50 %)
        (20, ("serum M-protein −50 % from baseline (from 40 g/L to 20 g/L): ≥ 50 % reduction",)),
        # 40 → 30: −25 % (MR 25–49 %)
        (30, ("serum M-protein −25 % from baseline (from 40 g/L to 30 g/L): 25–49 % reduction",)),
        # 40 → 31: −22.5 % (SD)
        (
            31,
            (
                "serum M-protein −22.5 % from baseline (from 40 g/L to 31 g/L): less than 25 % "
                "reduction",
                "no response category reached and no progression: SD",
            ),
        ),
        # 40 → 44: +10 % (SD, below the + 25 % of progression)
        (
            44,
            (
                "serum M-protein +10 % from baseline (from 40 g/L to 44 g/L): less than 25 % "
                "reduction",
                "no response category reached and no progression: SD",
            ),
        ),
    ],
)
def test_serum_reasons(value: float, reasons: tuple[str, ...]) -> None:
    assert second(serum_series(("2026-03-02", s(value)))).reasons == reasons


@pytest.mark.parametrize(
    ("value", "category", "reason"),
    [
        # baseline 1000 mg/24 h
        (
            90,
            "VGPR",
            "urine M-protein −91 % from baseline (from 1000 mg/24 h to 90 mg/24 h): < 100 mg/24 h",
        ),
        (
            100,
            "PR",
            "urine M-protein −90 % from baseline (from 1000 mg/24 h to 100 mg/24 h): ≥ 90 % "
            "reduction",
        ),
        (
            150,
            "PR",
            "urine M-protein −85 % from baseline (from 1000 mg/24 h to 150 mg/24 h): < 200 mg/24 h",
        ),
        (
            500,
            "MR",
            "urine M-protein −50 % from baseline (from 1000 mg/24 h to 500 mg/24 h): 50–89 % "
            "reduction",
        ),
        (
            600,
            "SD",
            "urine M-protein −40 % from baseline (from 1000 mg/24 h to 600 mg/24 h): less than "
            "50 % reduction and ≥ 200 mg/24 h",
        ),
    ],
)
def test_urine_reasons(value: float, category: str, reason: str) -> None:
    result = run(
        base(serum_m_protein=(5, "g/L"), urine_m_protein=(1000, "mg/24h")),
        a("2026-03-02", urine_m_protein=(value, "mg/24h")),
    )
    assert (second(result).category.value, second(result).reasons[0]) == (category, reason)


def test_dflc_reasons() -> None:
    flc_base = base(**FISH_FREE, involved_flc=(310, "mg/L"), uninvolved_flc=(10, "mg/L"))
    # dFLC 300 → 30 mg/L: −90 % (VGPR); → 150: −50 % (PR); → 160: −46.7 % (SD)
    expected = {
        40: "dFLC −90 % from baseline (from 300 mg/L to 30 mg/L): ≥ 90 % reduction",
        160: "dFLC −50 % from baseline (from 300 mg/L to 150 mg/L): ≥ 50 % reduction",
        170: "dFLC −46.7 % from baseline (from 300 mg/L to 160 mg/L): less than 50 % reduction",
    }
    for involved, reason in expected.items():
        current = a("2026-03-02", involved_flc=(involved, "mg/L"), uninvolved_flc=(10, "mg/L"))
        assert second(run(flc_base, current)).reasons[0] == reason


def test_marrow_reasons() -> None:
    marrow_base = base(**FISH_FREE, bone_marrow_plasma_cells_percent=40)
    # 40 → 20 %: −50 % (PR); 40 → 30 %: −25 % (SD)
    pr = second(run(marrow_base, a("2026-03-02", bone_marrow_plasma_cells_percent=20)))
    sd = second(run(marrow_base, a("2026-03-02", bone_marrow_plasma_cells_percent=30)))
    assert pr.reasons == (
        "bone-marrow plasma cells −50 % from baseline (from 40 % to 20 %): ≥ 50 % reduction",
    )
    assert sd.reasons[0] == (
        "bone-marrow plasma cells −25 % from baseline (from 40 % to 30 %): less than 50 % reduction"
    )


# --- R4, R5 CR and sCR; what is missing ---------------------------------------------------------

CR_REASONS = (
    "serum immunofixation negative",
    "urine immunofixation negative",
    "bone-marrow plasma cells 2 % (< 5 %)",
    "no soft-tissue plasmacytoma",
)


def test_cr_reasons_and_what_scr_still_needs() -> None:
    item = second(serum_series(("2026-03-02", CR_FINDINGS)))
    assert item.category is Category.CR
    assert item.reasons == CR_REASONS
    assert item.notes == (
        "sCR not assessable: missing involved free light chain, bone-marrow clonality",
    )


def test_scr_reasons() -> None:
    # κ/λ 12 / 10 = 1.2, inside 0.26–1.65
    findings = {**CR_FINDINGS, **NORMAL_FLC, "bone_marrow_clonality": "polyclonal"}
    item = second(serum_series(("2026-03-02", findings)))
    assert item.category is Category.SCR
    assert item.reasons == (
        *CR_REASONS,
        "κ/λ ratio 1.2 normal (0.26–1.65)",
        "polyclonal bone marrow",
    )


def test_cr_not_assessable_names_the_missing_tests() -> None:
    findings = {"serum_m_protein": (0, "g/L"), "serum_ife": "negative", "plasmacytoma": "absent"}
    item = second(serum_series(("2026-03-02", findings)))
    assert item.notes == (
        "CR not assessable: missing urine immunofixation, bone-marrow plasma cells",
    )
    assert item.reasons == (
        "serum M-protein −100 % from baseline (from 40 g/L to 0 g/L): ≥ 90 % reduction",
    )


def test_nothing_of_the_track_is_not_evaluable_and_says_what_is_missing() -> None:
    item = second(serum_series(("2026-03-02", {"plasmacytoma": "absent"})))
    # CR needs the immunofixations and the marrow too, so they are named before the M-protein.
    assert item.reasons == (
        "not evaluable: missing serum immunofixation, urine immunofixation, bone-marrow plasma "
        "cells, serum M-protein",
    )


# --- R8 progression -----------------------------------------------------------------------------


def test_serum_progression_reason() -> None:
    # nadir 10 g/L → 16: +6 g/L, +60 % (≥ 25 % and ≥ 5 g/L)
    result = serum_series(("2026-03-02", s(10)), ("2026-05-04", s(16)))
    assert result.assessments[2].reasons == (
        "serum M-protein +6 g/L from the nadir of 10 g/L, +60 %: PD (≥ 25 % and ≥ 5 g/L)",
    )
    assert result.warnings == ("2026-05-04: PD not yet confirmed — confirm at the next assessment",)


def test_high_nadir_progression_reason() -> None:
    # nadir 55 g/L ≥ 50 → 65: +10 g/L (≥ 10), +18.2 % (10 ÷ 55)
    result = run(
        base(serum_m_protein=(60, "g/L")), a("2026-03-02", **s(55)), a("2026-05-04", **s(65))
    )
    assert result.assessments[2].reasons == (
        "serum M-protein +10 g/L from the nadir of 55 g/L, +18.2 %: PD (nadir ≥ 50 g/L, "
        "increase ≥ 10 g/L)",
    )


def test_progression_from_an_undetectable_nadir() -> None:
    result = serum_series(("2026-03-02", s(0)), ("2026-05-04", s(5)))
    assert result.assessments[2].reasons == (
        "serum M-protein +5 g/L from the nadir of 0 g/L (from an undetectable nadir): PD "
        "(≥ 25 % and ≥ 5 g/L)",
    )


def test_urine_progression_reason() -> None:
    # nadir 300 → 600 mg/24 h: +300 (≥ 200), +100 %
    urine = {"serum_m_protein": (5, "g/L")}
    result = run(
        base(**urine, urine_m_protein=(1000, "mg/24h")),
        a("2026-03-02", urine_m_protein=(300, "mg/24h")),
        a("2026-05-04", urine_m_protein=(600, "mg/24h")),
    )
    assert result.assessments[2].reasons == (
        "urine M-protein +300 mg/24 h from the nadir of 300 mg/24 h, +100 %: PD (≥ 25 % and "
        "≥ 200 mg/24 h)",
    )


def test_dflc_progression_reason() -> None:
    # dFLC nadir 100 → 210 mg/L: +110 (> 100), +110 %
    flc_base = base(**FISH_FREE, involved_flc=(310, "mg/L"), uninvolved_flc=(10, "mg/L"))
    result = run(
        flc_base,
        a("2026-03-02", involved_flc=(110, "mg/L"), uninvolved_flc=(10, "mg/L")),
        a("2026-05-04", involved_flc=(220, "mg/L"), uninvolved_flc=(10, "mg/L")),
    )
    assert result.assessments[2].reasons == (
        "dFLC +110 mg/L from the nadir of 100 mg/L, +110 %: PD (≥ 25 % and > 100 mg/L)",
    )


def test_imaging_progression_reasons() -> None:
    item = second(
        serum_series(
            ("2026-03-02", {**s(20), "new_bone_lesions": "present", "plasmacytoma": "present"})
        )
    )
    assert item.reasons == (
        "new bone lesion on imaging: PD",
        "plasmacytoma present, absent at baseline: PD",
    )


# --- R12 anti-CD38 interference -----------------------------------------------------------------

IFE_POSITIVE_CR = {**CR_FINDINGS, "serum_ife": "positive"}


def test_interference_without_shift_assay_warns_and_says_cr_is_not_assessable() -> None:
    result = run(
        serum_baseline(), a("2026-03-02", **IFE_POSITIVE_CR), anti_cd38=AntiCd38.ISATUXIMAB
    )
    warning = (
        "2026-03-02: possible therapeutic-antibody interference (isatuximab, IgG-κ, on an IgG-κ "
        "myeloma) — CR not assessable without a shift assay (DIRA / Hydrashift)"
    )
    assert result.warnings == (warning,)
    assert second(result).notes == (warning,)
    assert second(result).reasons == (
        "every CR criterion met except a positive serum immunofixation",
        *CR_REASONS[1:],
    )


def test_shifted_band_note() -> None:
    findings = {**IFE_POSITIVE_CR, "ife_shift_assay": "shifted"}
    result = run(serum_baseline(), a("2026-03-02", **findings), anti_cd38=AntiCd38.DARATUMUMAB)
    assert second(result).notes[0] == (
        "the positive serum immunofixation band shifted on the anti-drug shift assay: it is "
        "daratumumab (IgG-κ), not the patient's M-protein — serum immunofixation read as "
        "negative (anti-CD38 interference)"
    )


def test_not_shifted_band_note_and_vgpr_by_electrophoresis() -> None:
    findings = {**IFE_POSITIVE_CR, "ife_shift_assay": "not_shifted"}
    result = run(serum_baseline(), a("2026-03-02", **findings), anti_cd38=AntiCd38.ISATUXIMAB)
    assert second(result).notes == (
        "the serum immunofixation band did not shift on the anti-drug shift assay: it is the "
        "patient's M-protein, so CR is not reached",
    )
    assert second(result).reasons == (
        "serum M-protein −100 % from baseline (from 40 g/L to 0 g/L): ≥ 90 % reduction",
        "serum M-protein not detectable on electrophoresis while immunofixation is positive",
    )


# --- R11 MRD and R10 I2TEAMM --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mrd", "pet", "reasons"),
    [
        (mrd_values(result="positive"), None, ("NGS MRD positive",)),
        (
            {"result": "negative", "method": "ngf"},
            None,
            ("NGF MRD negative, sensitivity not given: not evaluable (needs ≤ 10⁻⁵)",),
        ),
        (
            mrd_values(sensitivity=1e-4),
            None,
            (
                "NGS MRD negative at a sensitivity of 10⁻⁴: not evaluable (IMWG needs 10⁻⁵ or "
                "better)",
            ),
        ),
        (
            mrd_values(sensitivity=2e-6),
            None,
            (
                "NGS MRD negative at a sensitivity of 2 × 10⁻⁶ (≤ 10⁻⁵)",
                "PET-CT not done: imaging-plus MRD not assessable",
            ),
        ),
        (
            mrd_values(),
            "positive",
            (
                "NGS MRD negative at a sensitivity of 10⁻⁵ (≤ 10⁻⁵)",
                "PET-CT positive: not imaging-plus MRD-negative",
            ),
        ),
        (
            mrd_values(),
            "negative",
            (
                "NGS MRD negative at a sensitivity of 10⁻⁵ (≤ 10⁻⁵)",
                "PET-CT negative: imaging-plus MRD-negative",
            ),
        ),
    ],
)
def test_mrd_reasons(mrd: Any, pet: str | None, reasons: tuple[str, ...]) -> None:
    findings = {**CR_FINDINGS, "mrd": mrd, **({"pet_ct": pet} if pet else {})}
    item = second(serum_series(("2026-03-02", findings)))
    assert item.mrd is not None
    assert item.mrd.reasons == reasons


def test_sustained_mrd_reason() -> None:
    # 2026-05-04 → 2027-05-04 is 365 days (no 29 February between).
    imaging_plus = {**CR_FINDINGS, "mrd": mrd_values(), "pet_ct": "negative"}
    result = serum_series(("2026-05-04", imaging_plus), ("2027-05-04", imaging_plus))
    mrd = result.assessments[2].mrd
    assert mrd is not None
    assert mrd.reasons[-1] == (
        "imaging-plus MRD-negative also on 2026-05-04, 365 days earlier (≥ 365): sustained "
        "MRD-negative"
    )


def test_mrd_outside_cr_note() -> None:
    item = second(serum_series(("2026-03-02", {**s(4), "mrd": mrd_values()})))
    assert item.notes == (
        "MRD result (negative, NGS) not categorised: the IMWG MRD categories require CR (this "
        "assessment is VGPR)",
    )


def test_i2teamm_reasons_yes() -> None:
    # start 2026-01-05; month 9 → 2026-10-05 + 30 days = 2026-11-04; month 12 → 2027-02-04
    result = serum_series(
        ("2026-10-01", {**CR_FINDINGS, "mrd": mrd_values()}),
        ("2026-12-01", {**CR_FINDINGS, "mrd": mrd_values()}),
    )
    assert result.mrd_cr.reasons == (
        "MRD-CR at 9 months: yes — CR with NGS MRD negative at ≤ 10⁻⁵ on 2026-10-01 (window "
        "2026-01-05 to 2026-11-04)",
        "MRD-CR at 12 months: yes — CR with NGS MRD negative at ≤ 10⁻⁵ on 2026-10-01 (window "
        "2026-01-05 to 2027-02-04)",
        "landmark window: 30 days after month 9 and month 12 (pending verification: the exact "
        "I2TEAMM windows are not in the retrieved text)",
    )


def test_i2teamm_reasons_no_and_not_yet_known() -> None:
    # VGPR on 2026-12-01, after the month-9 window end (2026-11-04), before 2027-02-04.
    result = serum_series(("2026-03-02", s(4)), ("2026-12-01", s(4)))
    assert result.mrd_cr.reasons[:2] == (
        "MRD-CR at 9 months: no — no MRD-negative CR (≤ 10⁻⁵) in the window 2026-01-05 to "
        "2026-11-04",
        "MRD-CR at 12 months: not yet known (window 2026-01-05 to 2027-02-04)",
    )


def test_i2teamm_reason_after_confirmed_progression_and_letter_line() -> None:
    # PR (nadir 20) → 26 (PD, +30 %, +6 g/L) → 30 (PD): confirmed on 2026-06-01
    result = serum_series(("2026-03-02", s(20)), ("2026-05-04", s(26)), ("2026-06-01", s(30)))
    assert result.mrd_cr.reasons[0] == (
        "MRD-CR at 9 months: no — progression confirmed on 2026-06-01 before the end of the "
        "window (2026-01-05 to 2026-11-04)"
    )
    assert summary_line(result) == (
        "Best confirmed response: not yet confirmed; progression confirmed from 2026-05-04; "
        "MRD-negative CR at 9 months: no; MRD-negative CR at 12 months: no"
    )


def test_isotype_helper_is_igg_kappa() -> None:
    assert IGG_K.describe() == "IgG-κ"
