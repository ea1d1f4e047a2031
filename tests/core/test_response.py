"""IMWG 2016 response over time, MRD and I2TEAMM — domain-reference §21 (R1–R12), §10–§11.

Every expected value is computed by hand in the comment next to it from the rule's threshold,
never copied from the program's output.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myeloma_core.errors import InvalidInput
from myeloma_core.response_categories import measurable_disease
from myeloma_core.response_series import best_confirmed_response
from myeloma_core.response_types import (
    AntiCd38,
    Assessment,
    Category,
    Isotype,
    Track,
    assessment,
)
from tests.core.response_helpers import (
    CR_FINDINGS,
    IGA_K,
    IGG_K,
    KAPPA_LC,
    LAMBDA,
    NORMAL_FLC,
    START,
    a,
    base,
    categories,
    depth,
    mrd_values,
    run,
    s,
    second,
    serum_baseline,
    serum_series,
)

# --- R1 measurable disease and track --------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "track", "by"),
    [
        # serum ≥ 10 g/L (1 g/dL) is measurable; 9.9 g/L is not
        ({"serum_m_protein": (10, "g/L")}, Track.SERUM_URINE, ("serum",)),
        ({"serum_m_protein": (1, "g/dL")}, Track.SERUM_URINE, ("serum",)),
        ({"serum_m_protein": (9.9, "g/L"), "urine_m_protein": (0, "mg/24h")}, None, ()),
        # urine ≥ 200 mg/24 h (0.2 g/24 h); 199 is not
        (
            {"serum_m_protein": (5, "g/L"), "urine_m_protein": (200, "mg/24h")},
            Track.SERUM_URINE,
            ("urine",),
        ),
        (
            {"serum_m_protein": (5, "g/L"), "urine_m_protein": (0.2, "g/24h")},
            Track.SERUM_URINE,
            ("urine",),
        ),
        (
            {"serum_m_protein": (12, "g/L"), "urine_m_protein": (850, "mg/24h")},
            Track.SERUM_URINE,
            ("serum", "urine"),
        ),
    ],
)
def test_r1_serum_and_urine_thresholds(
    values: dict[str, Any], track: Track | None, by: tuple[str, ...]
) -> None:
    values.setdefault("urine_m_protein", (0, "mg/24h"))
    values.setdefault("bone_marrow_plasma_cells_percent", 10)
    values.setdefault("involved_flc", (20, "mg/L"))
    values.setdefault("uninvolved_flc", (15, "mg/L"))
    disease = measurable_disease(base(**values), IGG_K)
    assert disease.track is (track or Track.NONE)
    assert disease.by == by
    assert disease.measurable is (track is not None)


def _non_secretory(**values: Any) -> Assessment:
    return base(
        serum_m_protein=(0, "g/L"),
        urine_m_protein=(0, "mg/24h"),
        bone_marrow_plasma_cells_percent=values.pop("bmpc", 20),
        **values,
    )


@pytest.mark.parametrize(
    ("isotype", "involved", "uninvolved", "track"),
    [
        # κ patient: involved 100 mg/L, κ/λ = 100/10 = 10 > 1.65 → FLC track
        (KAPPA_LC, (100, "mg/L"), (10, "mg/L"), Track.FLC),
        (KAPPA_LC, (10, "mg/dL"), (1, "mg/dL"), Track.FLC),  # U7: 10 mg/dL = 100 mg/L
        (KAPPA_LC, (99, "mg/L"), (10, "mg/L"), Track.NONE),  # involved < 100 mg/L
        # κ/λ = 100/60.6 = 1.6502 > 1.65 → abnormal; 100/60.5 … ; 165/100 = 1.65 normal
        (KAPPA_LC, (100, "mg/L"), (60.6, "mg/L"), Track.FLC),
        (KAPPA_LC, (165, "mg/L"), (100, "mg/L"), Track.NONE),
        # λ patient: κ/λ = uninvolved/involved; 26/100 = 0.26 normal, 25/100 = 0.25 abnormal
        (LAMBDA, (100, "mg/L"), (26, "mg/L"), Track.NONE),
        (LAMBDA, (100, "mg/L"), (25, "mg/L"), Track.FLC),
        # κ patient with the κ chain suppressed (κ/λ = 100/400 = 0.25): not skewed towards κ
        (KAPPA_LC, (100, "mg/L"), (400, "mg/L"), Track.NONE),
    ],
)
def test_r1_flc_track_needs_100_mg_l_and_a_ratio_outside_0_26_to_1_65(
    isotype: Isotype, involved: tuple[float, str], uninvolved: tuple[float, str], track: Track
) -> None:
    disease = measurable_disease(
        _non_secretory(involved_flc=involved, uninvolved_flc=uninvolved), isotype
    )
    assert disease.track is track


@pytest.mark.parametrize(("bmpc", "track"), [(30, Track.BONE_MARROW), (29.9, Track.NONE)])
def test_r1_marrow_track_from_30_percent(bmpc: float, track: Track) -> None:
    disease = measurable_disease(
        _non_secretory(bmpc=bmpc, involved_flc=(20, "mg/L"), uninvolved_flc=(15, "mg/L")), IGG_K
    )
    assert disease.track is track


@pytest.mark.parametrize(
    ("involved", "uninvolved", "track"),
    [
        # light chain not given: 400/100 = 4 is > 1.65 as κ/λ and 1/4 = 0.25 < 0.26 as λ → FLC
        (400, 100, Track.FLC),
        # 380/100 = 3.8: as κ abnormal, as λ 1/3.8 = 0.263 normal → undecided, isotype missing
        (380, 100, Track.NONE),
    ],
)
def test_r1_without_the_light_chain_decides_only_when_both_agree(
    involved: float, uninvolved: float, track: Track
) -> None:
    baseline = _non_secretory(involved_flc=(involved, "mg/L"), uninvolved_flc=(uninvolved, "mg/L"))
    disease = measurable_disease(baseline, None)
    assert disease.track is track
    assert ("isotype" in disease.missing) is (track is Track.NONE)


def test_r1_missing_baseline_values_are_named_not_assumed_normal() -> None:
    disease = measurable_disease(base(serum_m_protein=(5, "g/L")), IGG_K)
    assert disease.track is Track.NONE
    assert {"urine_m_protein", "involved_flc", "bone_marrow_plasma_cells_percent"} <= set(
        disease.missing
    )


# --- R2, R3, R6 serum and urine categories --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ((4, "g/L"), "VGPR"),  # 40 → 4: −90 %
        ((4.1, "g/L"), "PR"),  # −89.75 %
        ((20, "g/L"), "PR"),  # −50 %
        ((2, "g/dL"), "PR"),  # 2 g/dL = 20 g/L (U6): −50 %
        ((20.1, "g/L"), "MR"),  # −49.75 %
        ((30, "g/L"), "MR"),  # −25 %
        ((30.1, "g/L"), "SD"),  # −24.75 %
        ((40, "g/L"), "SD"),  # no change, and +0 is not PD
    ],
)
def test_serum_only_reduction_boundaries(value: tuple[float, str], category: str) -> None:
    result = run(
        base(serum_m_protein=(40, "g/L"), urine_m_protein=(0, "mg/24h")),
        a("2026-03-02", serum_m_protein=value),
    )
    assert second(result).category.value == category


def test_reason_states_the_change_in_words_and_numbers() -> None:
    # 35 → 15 g/L: (15 − 35)/35 = −57.14 % → "−57.1 %"
    result = run(
        base(serum_m_protein=(35, "g/L"), urine_m_protein=(0, "mg/24h")),
        a("2026-03-02", serum_m_protein=(1.5, "g/dL")),
    )
    reason = second(result).reasons[0]
    assert "serum M-protein −57.1 % from baseline" in reason
    assert "35 g/L" in reason and "1.5 g/dL (15 g/L)" in reason
    assert second(result).category is Category.PR


@pytest.mark.parametrize(
    ("urine", "category"),
    [
        ((99, "mg/24h"), "VGPR"),  # < 100 mg/24 h
        ((100, "mg/24h"), "PR"),  # 1000 → 100: −90 %, not < 100
        ((0.1, "g/24h"), "PR"),  # 0.1 g/24 h = 100 mg/24 h
        ((199, "mg/24h"), "PR"),  # −80.1 % but < 200 mg/24 h
        ((200, "mg/24h"), "MR"),  # −80 % and not < 200: 50–89 %
        ((500, "mg/24h"), "MR"),  # −50 %
        ((501, "mg/24h"), "SD"),  # −49.9 %
    ],
)
def test_urine_only_thresholds(urine: tuple[float, str], category: str) -> None:
    result = run(
        base(serum_m_protein=(5, "g/L"), urine_m_protein=(1000, "mg/24h")),
        a("2026-03-02", urine_m_protein=urine),
    )
    assert second(result).category.value == category


def test_urine_pr_by_90_percent_reduction_above_200_mg() -> None:
    # 3000 → 300: −90 % (≥ 90 %) though ≥ 200 → PR; 3000 → 301: −89.97 % → MR (≥ 50 %)
    for value, category in ((300, Category.PR), (301, Category.MR)):
        result = run(
            base(serum_m_protein=(5, "g/L"), urine_m_protein=(3000, "mg/24h")),
            a("2026-03-02", urine_m_protein=(value, "mg/24h")),
        )
        assert second(result).category is category


@pytest.mark.parametrize(
    ("serum", "urine", "category"),
    [
        (20, 250, "MR"),  # serum −50 % (PR), urine −75 % and ≥ 200 (MR) → the shallower: MR
        (4, 100, "PR"),  # serum −90 % (VGPR), urine 100 (not < 100; −90 % → PR) → PR
        (4, 99, "VGPR"),  # serum −90 %, urine < 100 → VGPR
        (30, 500, "MR"),  # serum −25 %, urine −50 % → MR
        (30, 501, "SD"),  # urine −49.9 % → SD
    ],
)
def test_every_measurable_component_must_reach_the_category(
    serum: float, urine: float, category: str
) -> None:
    result = run(
        base(serum_m_protein=(40, "g/L"), urine_m_protein=(1000, "mg/24h")),
        a("2026-03-02", serum_m_protein=(serum, "g/L"), urine_m_protein=(urine, "mg/24h")),
    )
    assert second(result).category.value == category


def test_a_missing_component_is_not_assumed_to_have_responded() -> None:
    # serum −75 % but the measurable urine was not measured → PR not reached: SD, urine named
    result = run(
        base(serum_m_protein=(40, "g/L"), urine_m_protein=(1000, "mg/24h")),
        a("2026-03-02", serum_m_protein=(10, "g/L")),
    )
    assert second(result).category is Category.SD
    assert "urine_m_protein" in second(result).missing
    assert any("PR not reached: missing urine M-protein" in n for n in second(result).notes)


def test_nothing_of_the_track_measured_is_ne() -> None:
    result = run(
        base(serum_m_protein=(40, "g/L"), urine_m_protein=(0, "mg/24h")),
        a("2026-03-02", bone_marrow_plasma_cells_percent=20),
    )
    assert second(result).category is Category.NE
    assert second(result).confirmed is False


def test_vgpr_by_electrophoresis_zero_with_positive_ife() -> None:
    # urine track patient (serum 5 g/L not measurable): serum 0 on SPE, IFE positive, urine 50
    result = run(
        base(serum_m_protein=(5, "g/L"), urine_m_protein=(1000, "mg/24h")),
        a(
            "2026-03-02",
            serum_m_protein=(0, "g/L"),
            serum_ife="positive",
            urine_m_protein=(150, "mg/24h"),
        ),
    )
    # urine 150 is not < 100 → the SPE-zero VGPR needs urine < 100: PR by urine < 200
    assert second(result).category is Category.PR


# --- FLC and marrow tracks --------------------------------------------------------------------


def _flc_baseline() -> Assessment:
    # κ light-chain: involved 500, uninvolved 10 → dFLC 490 mg/L, κ/λ 50 → FLC track
    return _non_secretory(involved_flc=(500, "mg/L"), uninvolved_flc=(10, "mg/L"))


@pytest.mark.parametrize(
    ("involved", "category"),
    [
        ((59, "mg/L"), "VGPR"),  # dFLC 49: (490 − 49)/490 = 90 %
        ((59.1, "mg/L"), "PR"),  # dFLC 49.1: 89.98 %
        ((255, "mg/L"), "PR"),  # dFLC 245: 50 %
        ((25.5, "mg/dL"), "PR"),  # 25.5 mg/dL = 255 mg/L (U7)
        ((255.1, "mg/L"), "SD"),  # dFLC 245.1: 49.98 %, and the FLC track has no MR
        ((300, "mg/L"), "SD"),  # dFLC 290: 40.8 %
    ],
)
def test_flc_track_dflc_thresholds(involved: tuple[float, str], category: str) -> None:
    result = run(
        _flc_baseline(),
        a("2026-03-02", involved_flc=involved, uninvolved_flc=(10, "mg/L")),
        isotype=KAPPA_LC,
    )
    assert second(result).category.value == category


@pytest.mark.parametrize(
    ("uninvolved", "category"),
    [
        # CR findings and κ/λ = 16.5/10 = 1.65 (normal, inclusive) → CR; 16.6/10 = 1.66 → not CR
        (10, "CR"),
        (9.9, "VGPR"),  # 16.5/9.9 = 1.667 abnormal; dFLC 6.6 = −98.7 % → VGPR
    ],
)
def test_flc_track_cr_needs_a_normal_ratio(uninvolved: float, category: str) -> None:
    result = run(
        _flc_baseline(),
        a(
            "2026-03-02",
            **(CR_FINDINGS | {"involved_flc": (16.5, "mg/L")}),
            uninvolved_flc=(uninvolved, "mg/L"),
        ),
        isotype=KAPPA_LC,
    )
    assert second(result).category.value == category


@pytest.mark.parametrize(("bmpc", "category"), [(20, "PR"), (20.1, "SD")])
def test_marrow_track_pr_is_50_percent_reduction(bmpc: float, category: str) -> None:
    baseline = _non_secretory(bmpc=40, involved_flc=(20, "mg/L"), uninvolved_flc=(15, "mg/L"))
    result = run(baseline, a("2026-03-02", bone_marrow_plasma_cells_percent=bmpc))
    assert result.measurable_disease.track is Track.BONE_MARROW
    assert second(result).category.value == category  # 40 → 20 = −50 %; 20.1 = −49.75 %


# --- R4, R5 CR and sCR ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "category", "missing"),
    [
        ({}, "CR", None),
        ({"bone_marrow_plasma_cells_percent": 4.9}, "CR", None),
        ({"bone_marrow_plasma_cells_percent": 5}, "VGPR", None),  # < 5 % needed
        ({"urine_ife": "unknown"}, "VGPR", "urine_ife"),
        ({"urine_ife": "positive"}, "VGPR", None),
        ({"plasmacytoma": "present"}, "PD", None),  # absent at baseline → new plasmacytoma
        ({"plasmacytoma": "unknown"}, "VGPR", "plasmacytoma"),
        ({"bone_marrow_plasma_cells_percent": None}, "VGPR", "bone_marrow_plasma_cells_percent"),
    ],
)
def test_r4_cr_criteria(change: dict[str, Any], category: str, missing: str | None) -> None:
    findings = {k: v for k, v in (CR_FINDINGS | change).items() if v is not None}
    result = run(serum_baseline(), a("2026-05-04", **findings))
    # serum 0 = −100 % (VGPR by numbers) when a CR criterion is not met
    assert second(result).category.value == category
    if missing:
        assert missing in second(result).missing


@pytest.mark.parametrize(
    ("flc", "clonality", "category"),
    [
        (NORMAL_FLC, "polyclonal", "sCR"),  # κ/λ 1.2 normal, polyclonal
        (NORMAL_FLC, "clonal", "CR"),
        ({"involved_flc": (26, "mg/L"), "uninvolved_flc": (10, "mg/L")}, "polyclonal", "CR"),
        ({}, "polyclonal", "CR"),  # FLC not measured → sCR not assessable
    ],
)
def test_r5_scr(flc: dict[str, Any], clonality: str, category: str) -> None:
    result = run(
        serum_baseline(),
        a("2026-05-04", **CR_FINDINGS, **flc, bone_marrow_clonality=clonality),
    )
    assert second(result).category.value == category
    if not flc:
        assert any("sCR not assessable" in n for n in second(result).notes)


def test_track_none_reaches_only_cr_or_sd() -> None:
    baseline = _non_secretory(bmpc=20, involved_flc=(20, "mg/L"), uninvolved_flc=(15, "mg/L"))
    result = run(
        baseline,
        a("2026-03-02", serum_ife="positive"),
        a("2026-05-04", **CR_FINDINGS),
        a("2026-07-04"),
    )
    assert categories(result) == [None, "SD", "CR", "NE"]


# --- R8 progression from the nadir ------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "category"),
    [
        # nadir 20 (−50 %): 25 is +5 g/L = +25 % → PD; 24.9 is +4.9 → PR? (24.9 = −37.75 % → MR)
        ([40, 20, 25], "PD"),
        ([40, 20, 24.9], "MR"),
        # nadir 10: 14.9 is +4.9 g/L (< 5) though +49 %; 15 is +5 and +50 % → PD
        ([40, 10, 14.9], "PR"),
        ([40, 10, 15], "PD"),
        # nadir 30 (−25 %, MR): +7.5 = +25 % and ≥ 5 → PD; +7.4 = +24.7 % → no
        ([40, 30, 37.5], "PD"),
        ([40, 30, 37.4], "SD"),
        # the nadir is the lowest EARLIER value, not the baseline: 40, 20, 30 → +10 (+50 %)
        ([40, 20, 30, 30], "PD"),
    ],
)
def test_r8_serum_pd_against_the_nadir(series: list[float], category: str) -> None:
    days = ["2026-01-02", "2026-03-02", "2026-04-02", "2026-05-04"]
    assessments = [base(serum_m_protein=(series[0], "g/L"), urine_m_protein=(0, "mg/24h"))]
    assessments += [
        a(day, serum_m_protein=(value, "g/L"))
        for day, value in zip(days[1:], series[1:], strict=False)
    ]
    result = run(*assessments)
    assert str(result.assessments[len(series) - 1].category) == category


@pytest.mark.parametrize(
    ("nadir", "value", "pd"),
    [
        # nadir ≥ 50 g/L: +10 g/L is enough on its own (60 → 70 = +16.7 %)
        (60, 70, True),
        (60, 69.9, False),  # +9.9 and +16.5 %
        (50, 60, True),  # nadir exactly 50: +10 = +20 %
        (5, 6, True),  # 5 g/dL = 50 g/L nadir, +1 g/dL
        # nadir 49.9 < 50: +10 is +20.04 %, below 25 % → no PD
        (49.9, 59.9, False),
    ],
)
def test_r8_high_nadir_absolute_10_g_l(nadir: float, value: float, pd: bool) -> None:
    unit = "g/dL" if nadir == 5 else "g/L"
    result = run(
        base(serum_m_protein=(nadir, unit), urine_m_protein=(0, "mg/24h")),
        a("2026-03-02", serum_m_protein=(value, unit)),
    )
    assert (second(result).category is Category.PD) is pd
    if pd:
        assert second(result).progression_criteria == ("serum_m_protein",)


@pytest.mark.parametrize(
    ("nadir", "value", "pd"),
    [
        (800, 1000, True),  # +200 = +25 %
        (800, 999, False),  # +199
        (100, 300, True),  # +200 = +200 %
        (100, 299, False),  # +199 mg/24 h
        (1000, 1249, False),  # +249 = +24.9 %
        (1000, 1.25, True),  # 1.25 g/24 h = 1250 mg: +250 = +25 %
    ],
)
def test_r8_urine_pd(nadir: float, value: float, pd: bool) -> None:
    unit = "g/24h" if value == 1.25 else "mg/24h"
    result = run(
        base(serum_m_protein=(5, "g/L"), urine_m_protein=(nadir, "mg/24h")),
        a("2026-03-02", urine_m_protein=(value, unit)),
    )
    assert (second(result).category is Category.PD) is pd


@pytest.mark.parametrize(
    ("dflc_nadir_involved", "involved", "pd"),
    [
        # nadir dFLC 200 (involved 210 − 10): 300.1 → +100.1 > 100 and +50 % → PD
        (210, 310.1, True),
        (210, 310, False),  # +100 is not > 100
        # nadir dFLC 500: 625 is +125 = +25 % → PD; 624 is +24.8 % → no
        (510, 635, True),
        (510, 634, False),
    ],
)
def test_r8_dflc_pd_on_the_flc_track(dflc_nadir_involved: float, involved: float, pd: bool) -> None:
    result = run(
        _non_secretory(involved_flc=(dflc_nadir_involved, "mg/L"), uninvolved_flc=(10, "mg/L")),
        a("2026-03-02", involved_flc=(involved, "mg/L"), uninvolved_flc=(10, "mg/L")),
        isotype=KAPPA_LC,
    )
    assert result.measurable_disease.track is Track.FLC
    assert (second(result).category is Category.PD) is pd


def test_dflc_rise_is_not_pd_on_the_serum_track() -> None:
    result = run(
        base(
            serum_m_protein=(40, "g/L"),
            urine_m_protein=(0, "mg/24h"),
            involved_flc=(200, "mg/L"),
            uninvolved_flc=(10, "mg/L"),
        ),
        a(
            "2026-03-02",
            serum_m_protein=(20, "g/L"),
            involved_flc=(800, "mg/L"),
            uninvolved_flc=(10, "mg/L"),
        ),
    )
    assert second(result).category is Category.PR


def test_imaging_pd_wins_over_cr_and_needs_no_confirmation() -> None:
    result = run(
        serum_baseline(),
        a("2026-05-04", **CR_FINDINGS, new_bone_lesions="present"),
    )
    assert second(result).category is Category.PD
    assert second(result).confirmed is True
    assert result.progression.progressed is True
    assert result.progression.date == dt.date(2026, 5, 4)
    assert result.progression.criteria == ("new_bone_lesion",)


def test_plasmacytoma_present_at_baseline_is_not_new() -> None:
    result = run(
        base(serum_m_protein=(40, "g/L"), urine_m_protein=(0, "mg/24h"), plasmacytoma="present"),
        a("2026-03-02", serum_m_protein=(20, "g/L"), plasmacytoma="present"),
    )
    assert second(result).category is Category.PR


# --- R9 confirmation and best confirmed response ----------------------------------------------


def test_series_pr_pr_vgpr_cr_vgpr() -> None:
    result = serum_series(
        ("2026-02-02", s(20)),  # −50 % PR
        ("2026-03-02", s(15)),  # −62.5 % PR
        ("2026-04-02", s(3)),  # −92.5 % VGPR
        ("2026-05-04", CR_FINDINGS),  # CR
        ("2026-06-01", s(2)),  # −95 % VGPR
    )
    assert categories(result) == [None, "PR", "PR", "VGPR", "CR", "VGPR"]
    assert [r.confirmed for r in result.assessments] == [None, True, True, True, False, False]
    # pairs: (PR,PR)=PR, (PR,VGPR)=PR, (VGPR,CR)=VGPR, (CR,VGPR)=VGPR → best VGPR from 2026-04-02
    assert result.best_confirmed_response is Category.VGPR
    assert result.best_confirmed_response_date == dt.date(2026, 4, 2)


def test_series_of_two_single_assessment_has_no_confirmed_response() -> None:
    result = serum_series(("2026-03-02", s(20)))
    assert second(result).confirmed is False
    assert result.best_confirmed_response is None


def test_pd_needs_a_second_pd_and_progression_dates_from_the_first() -> None:
    # PR (nadir 20), then 26 = +6 (+30 %) PD, then 30 PD → confirmed from 2026-04-02
    result = serum_series(("2026-03-02", s(20)), ("2026-04-02", s(26)), ("2026-05-04", s(30)))
    assert categories(result) == [None, "PR", "PD", "PD"]
    assert [r.confirmed for r in result.assessments] == [None, False, True, False]
    assert result.progression.progressed is True
    assert result.progression.date == dt.date(2026, 4, 2)
    assert result.progression.criteria == ("serum_m_protein",)
    assert result.best_confirmed_response is None


def test_unconfirmed_pd_is_a_warning_not_progression() -> None:
    result = serum_series(("2026-03-02", s(20)), ("2026-04-02", s(20)), ("2026-05-04", s(26)))
    assert categories(result) == [None, "PR", "PR", "PD"]
    assert result.progression.progressed is False
    assert any("not yet confirmed" in w for w in result.warnings)
    assert result.best_confirmed_response is Category.PR


def test_pd_followed_by_response_is_not_confirmed() -> None:
    # nadir 20 → 26 PD; then 18 (−55 %, PR; the nadir is 20, 18 is lower, no PD)
    result = serum_series(("2026-03-02", s(20)), ("2026-04-02", s(26)), ("2026-05-04", s(18)))
    assert categories(result) == [None, "PR", "PD", "PR"]
    assert result.assessments[2].confirmed is False
    assert result.progression.progressed is False


def test_series_of_eight_with_ne_and_sd() -> None:
    result = serum_series(
        ("2026-02-02", s(36)),  # −10 % SD
        ("2026-03-02", s(32)),  # −20 % SD
        ("2026-04-02", s(28)),  # −30 % MR
        ("2026-05-04", {}),  # nothing measured: NE
        ("2026-06-01", s(18)),  # −55 % PR
        ("2026-07-01", s(16)),  # −60 % PR
        ("2026-08-03", s(21)),  # +5 from nadir 16 = +31 % → PD
    )
    assert categories(result) == [None, "SD", "SD", "MR", "NE", "PR", "PR", "PD"]
    assert [r.confirmed for r in result.assessments] == [
        None,
        True,
        True,
        False,  # next is NE
        False,
        True,
        False,  # next is PD
        False,
    ]
    # pairs: (SD,SD)=SD, (SD,MR)=SD, (MR,NE) –, (NE,PR) –, (PR,PR)=PR, (PR,PD) – → PR
    assert result.best_confirmed_response is Category.PR


def test_best_confirmed_response_pairs_directly() -> None:
    day = dt.date(2026, 1, 1)
    assert best_confirmed_response([(day, Category.CR), (day, Category.SCR)]) == (
        Category.CR,
        day,
    )
    assert best_confirmed_response([(day, Category.PD), (day, Category.PD)]) == (None, None)


# --- R12 anti-CD38 interference ---------------------------------------------------------------


def _ife_positive(**extra: Any) -> Assessment:
    return a("2026-05-04", **(CR_FINDINGS | {"serum_ife": "positive"} | extra))


def test_r12_igg_kappa_on_isatuximab_without_shift_assay_is_vgpr_with_warning() -> None:
    result = run(serum_baseline(), _ife_positive(), anti_cd38=AntiCd38.ISATUXIMAB)
    assert second(result).category is Category.VGPR
    assert any("interference" in w and "shift assay" in w for w in result.warnings)
    assert any("SARCLISA" in source for source in second(result).sources)


def test_r12_shifted_band_is_the_drug_so_cr_is_reached() -> None:
    result = run(
        serum_baseline(),
        _ife_positive(ife_shift_assay="shifted", **NORMAL_FLC, bone_marrow_clonality="polyclonal"),
        anti_cd38=AntiCd38.DARATUMUMAB,
    )
    assert second(result).category is Category.SCR
    assert result.warnings == ()


def test_r12_not_shifted_band_is_the_patients() -> None:
    result = run(
        serum_baseline(),
        _ife_positive(ife_shift_assay="not_shifted"),
        anti_cd38=AntiCd38.ISATUXIMAB,
    )
    assert second(result).category is Category.VGPR  # SPE 0 with IFE positive
    assert not any("interference" in w for w in result.warnings)


@pytest.mark.parametrize(("isotype", "drug"), [(IGA_K, AntiCd38.ISATUXIMAB), (IGG_K, None)])
def test_r12_applies_only_to_igg_kappa_on_an_anti_cd38(
    isotype: Isotype, drug: AntiCd38 | None
) -> None:
    result = run(serum_baseline(), _ife_positive(), isotype=isotype, anti_cd38=drug)
    assert second(result).category is Category.VGPR
    assert not any("interference" in w for w in result.warnings)


def test_r12_not_applied_when_spe_still_shows_m_protein() -> None:
    result = run(
        serum_baseline(), _ife_positive(serum_m_protein=(6, "g/L")), anti_cd38=AntiCd38.ISATUXIMAB
    )
    assert second(result).category is Category.PR  # 40 → 6: −85 %
    assert not any("interference" in w for w in result.warnings)


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"serum_m_protein": (-1, "g/L")}, "assessments.0.serum_m_protein", "at least 0"),
        (
            {"serum_m_protein": (20, "g/dL")},
            "assessments.0.serum_m_protein",
            "20 g/L would be 2 g/dL",
        ),
        ({"serum_m_protein": (3, "mg/dL")}, "assessments.0.serum_m_protein", "g/L, g/dL"),
        (
            {"urine_m_protein": (60, "g/24h")},
            "assessments.0.urine_m_protein",
            "60 mg/24 h would be 0.06 g/24 h",
        ),
        ({"involved_flc": (0, "mg/L")}, "assessments.0.involved_flc", "more than 0"),
        (
            {"bone_marrow_plasma_cells_percent": 101},
            "assessments.0.bone_marrow_plasma_cells_percent",
            "0 to 100",
        ),
        ({"mrd": mrd_values(sensitivity=5)}, "assessments.0.mrd.sensitivity", "0.01"),
        ({"serum_ife": "weak"}, "assessments.0.serum_ife", "'positive'"),
    ],
)
def test_implausible_values_name_the_field(values: dict[str, Any], field: str, text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        assessment(index=0, date=START, **values)
    assert error.value.field == field
    assert text in error.value.message


def test_series_rules() -> None:
    with pytest.raises(InvalidInput, match="Exactly one"):
        run(a("2026-03-02", serum_m_protein=(20, "g/L")))
    with pytest.raises(InvalidInput, match="unique") as error:
        run(serum_baseline(), a("2026-03-02"), a("2026-03-02"))
    assert error.value.field == "assessments.2.date"
    with pytest.raises(InvalidInput, match="earliest"):
        run(serum_baseline(), a("2025-12-01"))


# --- properties --------------------------------------------------------------------------------

serum_values = st.lists(
    st.floats(min_value=0, max_value=80, allow_nan=False).map(lambda v: round(v, 1)),
    min_size=1,
    max_size=7,
)


@settings(max_examples=60, deadline=None)
@given(values=serum_values, lesion_at=st.integers(min_value=0, max_value=6))
def test_a_new_bone_lesion_is_pd_whatever_else(values: list[float], lesion_at: int) -> None:
    lesion_at %= len(values)
    points = []
    for index, value in enumerate(values):
        day = (START + dt.timedelta(days=30 * (index + 1))).isoformat()
        extra = {"new_bone_lesions": "present"} if index == lesion_at else {}
        points.append(a(day, serum_m_protein=(value, "g/L"), **extra))
    result = run(serum_baseline(), *points)
    assert result.assessments[lesion_at + 1].category is Category.PD
    assert result.progression.progressed is True


findings = st.fixed_dictionaries(
    {
        "serum_m_protein": st.sampled_from([(0, "g/L"), (2, "g/L"), (15, "g/L"), (30, "g/L")]),
        "serum_ife": st.sampled_from(["positive", "negative", "unknown"]),
        "urine_ife": st.sampled_from(["positive", "negative", "unknown"]),
        "bone_marrow_plasma_cells_percent": st.sampled_from([0, 4, 5, 20]),
        "plasmacytoma": st.sampled_from(["absent", "unknown"]),
        "bone_marrow_clonality": st.sampled_from(["clonal", "polyclonal", "unknown"]),
        "ife_shift_assay": st.sampled_from([None, "shifted", "not_shifted"]),
    }
)


@settings(max_examples=80, deadline=None)
@given(series=st.lists(findings, min_size=1, max_size=7), drug=st.sampled_from([None, *AntiCd38]))
def test_best_confirmed_is_held_by_a_pair_and_cr_never_on_unexplained_positive_ife(
    series: list[dict[str, Any]], drug: AntiCd38 | None
) -> None:
    points = [
        a((START + dt.timedelta(days=30 * (i + 1))).isoformat(), **values)
        for i, values in enumerate(series)
    ]
    result = run(serum_baseline(), *points, anti_cd38=drug)
    results = result.assessments[1:]
    for values, item in zip(series, results, strict=True):
        shifted = drug is not None and values["ife_shift_assay"] == "shifted"
        if values["serum_ife"] != "negative" and not shifted:
            assert item.category not in (Category.CR, Category.SCR)
    best = result.best_confirmed_response
    if best is not None:
        assert any(
            depth(first.category) <= depth(best) and depth(nxt.category) <= depth(best)
            for first, nxt in itertools.pairwise(results)
        )
        assert not any(
            depth(first.category) < depth(best) and depth(nxt.category) < depth(best)
            for first, nxt in itertools.pairwise(results)
            if first.category is not Category.PD and nxt.category is not Category.PD
        )


def test_flc_track_series_with_dflc_progression() -> None:
    # baseline dFLC 500 − 10 = 490 mg/L (κ light chain, κ/λ 50)
    flc = {"uninvolved_flc": (10, "mg/L")}
    result = run(
        _flc_baseline(),
        a("2026-02-02", involved_flc=(200, "mg/L"), **flc),  # dFLC 190: −61.2 % → PR
        a("2026-03-02", involved_flc=(40, "mg/L"), **flc),  # dFLC 30: −93.9 % → VGPR
        a("2026-04-02", involved_flc=(4, "mg/dL"), **flc),  # 40 mg/L again → VGPR
        a("2026-05-04", involved_flc=(150, "mg/L"), **flc),  # dFLC 140: +110 (> 100), +367 % → PD
        a("2026-06-01", involved_flc=(200, "mg/L"), **flc),  # dFLC 190: +160 from nadir 30 → PD
        isotype=KAPPA_LC,
    )
    assert categories(result) == [None, "PR", "VGPR", "VGPR", "PD", "PD"]
    assert [r.confirmed for r in result.assessments] == [None, True, True, False, True, False]
    # pairs: (PR,VGPR)=PR, (VGPR,VGPR)=VGPR → VGPR
    assert result.best_confirmed_response is Category.VGPR
    assert result.progression.date == dt.date(2026, 5, 4)
    assert result.progression.criteria == ("dflc",)


@settings(max_examples=60, deadline=None)
@given(tenths=st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=7))
def test_the_unit_never_changes_the_category(tenths: list[int]) -> None:
    """U6: g/L = g/dL × 10 — the same series in either unit gives the same categories."""

    def series(unit: str, divisor: int) -> list[str | None]:
        points = [
            a(
                (START + dt.timedelta(days=30 * (i + 1))).isoformat(),
                serum_m_protein=(n / divisor, unit),
            )
            for i, n in enumerate(tenths)
        ]
        return categories(run(serum_baseline(), *points))

    assert series("g/L", 10) == series("g/dL", 100)
