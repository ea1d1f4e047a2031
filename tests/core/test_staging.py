"""ISS, R-ISS, R2-ISS and IMS/IMWG 2025 — domain-reference §4–§7, §18.1 cases 1–6, G1–G4.

Expected values are taken from the reference text, not from the code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from myeloma_core.errors import InvalidInput
from myeloma_core.staging import (
    Cytogenetics,
    Del1p32,
    Finding,
    HighRiskStatus,
    LdhStatus,
    StagingInput,
    assess,
    high_risk_ims_imwg_2025,
    iss,
    ldh_status_from_value,
    r2_iss,
    r_iss,
)
from myeloma_core.units import Analyte, LabValue, lab_value

P, A, U = Finding.PRESENT, Finding.ABSENT, Finding.UNKNOWN
STAGES = ("I", "II", "III", "IV")

NO_ABNORMALITY = Cytogenetics(
    del_17p=A, tp53_mutation=A, t_4_14=A, t_14_16=A, t_14_20=A, gain_1q=A, del_1p32=Del1p32.ABSENT
)
GENOMIC_FIELDS = (
    "cytogenetics.del_17p",
    "cytogenetics.del_17p_clonal_fraction_percent",
    "cytogenetics.tp53_mutation",
    "cytogenetics.t_4_14",
    "cytogenetics.t_14_16",
    "cytogenetics.t_14_20",
    "cytogenetics.gain_1q",
    "cytogenetics.del_1p32",
)


def b2m(value: float) -> LabValue:
    return lab_value(Analyte.BETA2_MICROGLOBULIN, value, "mg/L")


def alb(value: float, unit: str = "g/L") -> LabValue:
    return lab_value(Analyte.ALBUMIN, value, unit)


def creat(value: float, unit: str = "mg/dL") -> LabValue:
    return lab_value(Analyte.CREATININE, value, unit)


def cyto(**changes: Any) -> Cytogenetics:
    return replace(NO_ABNORMALITY, **changes)


def staging_input(
    *,
    beta2: float | None = None,
    albumin: LabValue | None = None,
    creatinine: LabValue | None = None,
    ldh: LdhStatus = LdhStatus.UNKNOWN,
    cytogenetics: Cytogenetics | None = None,
) -> StagingInput:
    return StagingInput(
        beta2_microglobulin=None if beta2 is None else b2m(beta2),
        albumin=albumin,
        creatinine=creatinine,
        ldh=ldh,
        cytogenetics=Cytogenetics() if cytogenetics is None else cytogenetics,
    )


# --- §18.1 worked examples ---------------------------------------------------------------------


def test_case_1() -> None:
    """58 M; β2M 2.8 mg/L; albumin 40 g/L; creatinine 80 µmol/L; LDH normal; no abnormality."""
    result = assess(
        staging_input(
            beta2=2.8,
            albumin=alb(40),
            creatinine=creat(80, "umol/L"),
            ldh=LdhStatus.NORMAL,
            cytogenetics=NO_ABNORMALITY,
        )
    )
    assert (result.iss.stage, result.iss.possible_stages, result.iss.missing) == ("I", ("I",), ())
    assert result.r_iss.stage == "I"
    assert (result.r2_iss.stage, result.r2_iss.score, result.r2_iss.score_range) == ("I", 0, (0, 0))
    hr = result.high_risk_ims_imwg_2025
    assert (hr.status, hr.criteria_met, hr.missing) == (HighRiskStatus.NOT_HIGH_RISK, (), ())


def test_case_2() -> None:
    """66 F; β2M 4.2; albumin 3.2 g/dL; creatinine 0.85 mg/dL; LDH normal; t(4;14) only."""
    result = assess(
        staging_input(
            beta2=4.2,
            albumin=alb(3.2, "g/dL"),
            creatinine=creat(0.85),
            ldh=LdhStatus.NORMAL,
            cytogenetics=cyto(t_4_14=P),
        )
    )
    assert result.iss.stage == "II"
    assert (result.r_iss.stage, result.r_iss.missing) == ("II", ())
    assert (result.r2_iss.stage, result.r2_iss.score) == ("III", 2)
    hr = result.high_risk_ims_imwg_2025
    assert (hr.status, hr.criteria_met) == (HighRiskStatus.NOT_HIGH_RISK, ())


def test_case_3() -> None:
    """71 M; β2M 6.1; albumin 3.0 g/dL; creatinine 1.0 mg/dL; LDH > ULN; del(17p) CCF 35 %."""
    result = assess(
        staging_input(
            beta2=6.1,
            albumin=alb(3.0, "g/dL"),
            creatinine=creat(1.0),
            ldh=LdhStatus.HIGH,
            cytogenetics=cyto(del_17p=P, del_17p_clonal_fraction_percent=35),
        )
    )
    assert result.iss.stage == "III"
    assert result.r_iss.stage == "III"
    assert (result.r2_iss.stage, result.r2_iss.score, result.r2_iss.score_range) == (
        "IV",
        3.5,
        (3.5, 3.5),
    )
    hr = result.high_risk_ims_imwg_2025
    assert hr.status is HighRiskStatus.HIGH_RISK
    assert set(hr.criteria_met) == {"del17p_or_tp53", "b2m_with_normal_creatinine"}


def test_case_4() -> None:
    """62 F; β2M 3.2; albumin 33 g/L; creatinine 0.8 mg/dL; LDH normal; 1q gain only."""
    result = assess(
        staging_input(
            beta2=3.2,
            albumin=alb(33),
            creatinine=creat(0.8),
            ldh=LdhStatus.NORMAL,
            cytogenetics=cyto(gain_1q=P),
        )
    )
    assert result.iss.stage == "II"
    assert result.r_iss.stage == "II"
    assert (result.r2_iss.stage, result.r2_iss.score) == ("III", 1.5)
    assert result.high_risk_ims_imwg_2025.status is HighRiskStatus.NOT_HIGH_RISK


@pytest.mark.parametrize("creatinine", [creat(2.4), creat(212, "umol/L")])
def test_case_5(creatinine: LabValue) -> None:
    """75 M; β2M 7.0; albumin 3.6 g/dL; creatinine 2.4 mg/dL (212 µmol/L); LDH normal."""
    result = assess(
        staging_input(
            beta2=7.0,
            albumin=alb(3.6, "g/dL"),
            creatinine=creatinine,
            ldh=LdhStatus.NORMAL,
            cytogenetics=NO_ABNORMALITY,
        )
    )
    assert (result.iss.stage, result.iss.missing) == ("III", ())
    assert result.r_iss.stage == "II"
    assert (result.r2_iss.stage, result.r2_iss.score) == ("III", 1.5)
    hr = result.high_risk_ims_imwg_2025
    assert (hr.status, hr.criteria_met) == (HighRiskStatus.NOT_HIGH_RISK, ())


def test_case_6_boundary() -> None:
    """68 F; β2M 5.5 (boundary); albumin 3.9 g/dL; creatinine 1.1 mg/dL; LDH normal."""
    result = assess(
        staging_input(
            beta2=5.5,
            albumin=alb(3.9, "g/dL"),
            creatinine=creat(1.1),
            ldh=LdhStatus.NORMAL,
            cytogenetics=NO_ABNORMALITY,
        )
    )
    assert result.iss.stage == "III"  # a ">" implementation would give II
    assert result.r_iss.stage == "II"
    assert (result.r2_iss.stage, result.r2_iss.score) == ("III", 1.5)
    hr = result.high_risk_ims_imwg_2025
    assert (hr.status, hr.criteria_met) == (
        HighRiskStatus.HIGH_RISK,
        ("b2m_with_normal_creatinine",),
    )
    assert any("not a substitute for genomic profiling" in caveat for caveat in hr.caveats)


def test_every_result_names_its_source_and_reasons() -> None:
    result = assess(staging_input(beta2=6.1))
    assert "Greipp" in result.iss.source
    assert "Palumbo" in result.r_iss.source
    assert "D'Agostino" in result.r2_iss.source
    assert "Avet-Loiseau" in result.high_risk_ims_imwg_2025.source
    for block in (result.iss, result.r_iss, result.r2_iss, result.high_risk_ims_imwg_2025):
        assert block.reasons
    assert result.iss.reasons == (
        "β2-microglobulin 6.1 mg/L ≥ 5.5 mg/L ⇒ ISS III (albumin not needed)",
    )
    assert (result.iss.system, result.r_iss.system, result.r2_iss.system) == (
        "ISS",
        "R-ISS",
        "R2-ISS",
    )


def test_ims_caveats_are_always_present() -> None:
    caveats = " ".join(high_risk_ims_imwg_2025(staging_input()).caveats)
    assert "not a substitute for genomic profiling" in caveats
    assert "FISH alone is not sufficient" in caveats
    assert "NGS" in caveats and "WGS" in caveats and "CD138-purified" in caveats
    assert "at diagnosis and again at relapse" in caveats


# --- boundaries --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("beta2", "expected"),
    [(3.49, "I"), (3.5, "II"), (5.49, "II"), (5.5, "III"), (5.51, "III")],
)
def test_iss_beta2_microglobulin_boundaries(beta2: float, expected: str) -> None:
    """I: β2M < 3.5 (with albumin ≥ 3.5 g/dL); III: β2M ≥ 5.5 (§4 I1)."""
    assert iss(staging_input(beta2=beta2, albumin=alb(40))).stage == expected


@pytest.mark.parametrize(
    ("albumin", "expected"),
    [
        (alb(35), "I"),
        (alb(34.9), "II"),
        (alb(3.5, "g/dL"), "I"),
        (alb(3.49, "g/dL"), "II"),
    ],
)
def test_iss_albumin_boundary_in_both_units(albumin: LabValue, expected: str) -> None:
    """Albumin ≥ 3.5 g/dL (= 35 g/L, U2) for ISS I."""
    assert iss(staging_input(beta2=2.0, albumin=albumin)).stage == expected


@pytest.mark.parametrize(
    ("creatinine", "high_risk"),
    [
        (creat(1.19), True),
        (creat(1.2), False),
        (creat(106, "umol/L"), True),
        (creat(106.08, "umol/L"), False),  # exactly 1.2 mg/dL
        (creat(106.1, "umol/L"), False),
    ],
)
def test_h1d_creatinine_boundary_compared_in_mg_dl(creatinine: LabValue, high_risk: bool) -> None:
    """H1d: creatinine < 1.2 mg/dL (< 106.1 µmol/L); 106 µmol/L = 1.199 mg/dL."""
    result = high_risk_ims_imwg_2025(
        staging_input(beta2=6.0, creatinine=creatinine, cytogenetics=NO_ABNORMALITY)
    )
    expected = HighRiskStatus.HIGH_RISK if high_risk else HighRiskStatus.NOT_HIGH_RISK
    assert result.status is expected
    assert ("b2m_with_normal_creatinine" in result.criteria_met) is high_risk


@pytest.mark.parametrize(("beta2", "high_risk"), [(5.49, False), (5.5, True)])
def test_h1d_beta2_microglobulin_boundary(beta2: float, high_risk: bool) -> None:
    result = high_risk_ims_imwg_2025(
        staging_input(beta2=beta2, creatinine=creat(0.9), cytogenetics=NO_ABNORMALITY)
    )
    assert (result.status is HighRiskStatus.HIGH_RISK) is high_risk


@pytest.mark.parametrize(("fraction", "met"), [(19.9, False), (20, True), (35, True)])
def test_h1a_del17p_clonal_fraction_boundary(fraction: float, met: bool) -> None:
    """H1a: del(17p) with clonal fraction ≥ 20 %; below 20 % it does not meet H1a."""
    result = high_risk_ims_imwg_2025(
        staging_input(
            beta2=2.0,
            creatinine=creat(0.9),
            cytogenetics=cyto(del_17p=P, del_17p_clonal_fraction_percent=fraction),
        )
    )
    assert result.criteria_met == (("del17p_or_tp53",) if met else ())
    assert result.status is (HighRiskStatus.HIGH_RISK if met else HighRiskStatus.NOT_HIGH_RISK)


def test_del17p_below_20_percent_still_counts_for_r_iss_and_r2_iss() -> None:
    """R-ISS and R2-ISS use del(17p) by the laboratory's FISH cut-off, not the IMS 20 %."""
    inp = staging_input(
        beta2=6.0,
        albumin=alb(40),
        ldh=LdhStatus.NORMAL,
        cytogenetics=cyto(del_17p=P, del_17p_clonal_fraction_percent=10),
    )
    assert r_iss(inp).stage == "III"
    assert r2_iss(inp).score == 2.5


@pytest.mark.parametrize(
    ("value", "uln", "expected"),
    [(250, 250, LdhStatus.NORMAL), (249, 250, LdhStatus.NORMAL), (251, 250, LdhStatus.HIGH)],
)
def test_ldh_equal_to_uln_counts_as_normal(value: float, uln: float, expected: LdhStatus) -> None:
    """G4: high = above ULN; = ULN counts as normal (flagged for clinical-lead sign-off)."""
    assert ldh_status_from_value(value=value, upper_limit_normal=uln) is expected


@pytest.mark.parametrize(
    ("value", "uln"), [(0, 250), (-5, 250), (300, 0), (math.nan, 250), (300, math.inf)]
)
def test_ldh_invalid_values_are_rejected(value: float, uln: float) -> None:
    with pytest.raises(InvalidInput) as raised:
        ldh_status_from_value(value=value, upper_limit_normal=uln)
    assert raised.value.field == ("ldh.value" if uln == 250 else "ldh.upper_limit_normal")
    assert "U/L" in raised.value.message


@pytest.mark.parametrize(
    ("changes", "ldh", "beta2", "albumin", "score", "stage"),
    [
        ({}, LdhStatus.NORMAL, 2.0, 40, 0, "I"),
        ({"gain_1q": P}, LdhStatus.NORMAL, 2.0, 40, 0.5, "II"),
        ({}, LdhStatus.NORMAL, 4.0, 40, 1, "II"),
        ({}, LdhStatus.NORMAL, 2.0, 30, 1, "II"),
        ({"gain_1q": P}, LdhStatus.NORMAL, 4.0, 40, 1.5, "III"),
        ({}, LdhStatus.NORMAL, 6.0, 40, 1.5, "III"),
        ({"t_4_14": P}, LdhStatus.NORMAL, 6.0, 40, 2.5, "III"),
        ({"del_17p": P}, LdhStatus.HIGH, 4.0, 40, 3, "IV"),
        ({"del_17p": P, "t_4_14": P, "gain_1q": P}, LdhStatus.HIGH, 6.0, 40, 5, "IV"),
    ],
)
def test_r2_iss_points_and_group_boundaries(
    changes: dict[str, Finding],
    ldh: LdhStatus,
    beta2: float,
    albumin: float,
    score: float,
    stage: str,
) -> None:
    """§6: ISS II 1, III 1.5, del(17p) 1, LDH 1, t(4;14) 1, 1q+ 0.5; 0 / 0.5–1 / 1.5–2.5 / 3–5."""
    result = r2_iss(
        staging_input(beta2=beta2, albumin=alb(albumin), ldh=ldh, cytogenetics=cyto(**changes))
    )
    assert (result.score, result.score_range, result.stage) == (score, (score, score), stage)


def test_t_14_16_counts_for_r_iss_but_is_not_scored_in_r2_iss() -> None:
    inp = staging_input(
        beta2=6.0, albumin=alb(40), ldh=LdhStatus.NORMAL, cytogenetics=cyto(t_14_16=P)
    )
    assert r_iss(inp).stage == "III"
    r2 = r2_iss(inp)
    assert (r2.score, r2.stage) == (1.5, "III")
    assert any("not scored" in reason for reason in r2.reasons)


@pytest.mark.parametrize(
    ("changes", "criteria"),
    [
        ({"t_4_14": P}, ()),  # a translocation alone
        ({"gain_1q": P}, ()),  # 1q+ alone
        ({"del_1p32": Del1p32.MONOALLELIC}, ()),  # monoallelic del(1p32) alone
        ({"t_4_14": P, "gain_1q": P}, ("translocation_with_1q_or_del1p32",)),
        ({"t_14_16": P, "gain_1q": P}, ("translocation_with_1q_or_del1p32",)),
        (
            {"t_14_20": P, "del_1p32": Del1p32.MONOALLELIC},
            ("translocation_with_1q_or_del1p32",),
        ),
        ({"del_1p32": Del1p32.MONOALLELIC, "gain_1q": P}, ("del1p32",)),
        ({"del_1p32": Del1p32.BIALLELIC}, ("del1p32",)),
        (
            {"t_4_14": P, "del_1p32": Del1p32.BIALLELIC},
            ("translocation_with_1q_or_del1p32", "del1p32"),
        ),
        ({"tp53_mutation": P}, ("del17p_or_tp53",)),
    ],
)
def test_ims_genomic_criteria(changes: dict[str, Any], criteria: tuple[str, ...]) -> None:
    """§7 H1a–H1c with β2M < 5.5 (H1d not met)."""
    result = high_risk_ims_imwg_2025(
        staging_input(beta2=3.0, creatinine=creat(0.9), cytogenetics=cyto(**changes))
    )
    assert result.criteria_met == criteria
    expected = HighRiskStatus.HIGH_RISK if criteria else HighRiskStatus.NOT_HIGH_RISK
    assert (result.status, result.missing) == (expected, ())


# --- unknowns (G1, §5 note) --------------------------------------------------------------------


def test_iss_i_with_unknown_fish_gives_r_iss_i_or_ii() -> None:
    result = r_iss(staging_input(beta2=2.8, albumin=alb(40), ldh=LdhStatus.NORMAL))
    assert (result.stage, result.possible_stages) == (None, ("I", "II"))
    assert result.missing == ("cytogenetics.del_17p", "cytogenetics.t_4_14", "cytogenetics.t_14_16")


def test_iss_iii_normal_ldh_unknown_fish_gives_r_iss_ii_or_iii() -> None:
    result = r_iss(staging_input(beta2=6.1, ldh=LdhStatus.NORMAL))
    assert (result.stage, result.possible_stages) == (None, ("II", "III"))
    assert result.missing == ("cytogenetics.del_17p", "cytogenetics.t_4_14", "cytogenetics.t_14_16")


@pytest.mark.parametrize("ldh", list(LdhStatus))
def test_iss_ii_is_r_iss_ii_whatever_fish_and_ldh(ldh: LdhStatus) -> None:
    result = r_iss(staging_input(beta2=4.2, ldh=ldh))
    assert (result.stage, result.possible_stages, result.missing) == ("II", ("II",), ())


def test_iss_iii_with_high_ldh_is_r_iss_iii_whatever_fish() -> None:
    result = r_iss(staging_input(beta2=6.1, ldh=LdhStatus.HIGH))
    assert (result.stage, result.missing) == ("III", ())


def test_iss_iii_from_beta2_microglobulin_does_not_need_albumin() -> None:
    result = iss(staging_input(beta2=6.1))
    assert (result.stage, result.missing) == ("III", ())
    assert "albumin not needed" in result.reasons[0]


def test_low_beta2_microglobulin_needs_albumin() -> None:
    result = iss(staging_input(beta2=2.0))
    assert (result.stage, result.possible_stages, result.missing) == (
        None,
        ("I", "II"),
        ("albumin",),
    )


def test_low_albumin_without_beta2_microglobulin_is_ii_or_iii() -> None:
    result = iss(staging_input(albumin=alb(30)))
    assert (result.stage, result.possible_stages) == (None, ("II", "III"))
    assert result.missing == ("beta2_microglobulin",)


def test_nothing_known() -> None:
    result = assess(StagingInput())
    assert result.iss.possible_stages == ("I", "II", "III")
    assert result.iss.missing == ("beta2_microglobulin", "albumin")
    assert result.r2_iss.possible_stages == STAGES
    assert (result.r2_iss.score, result.r2_iss.score_range) == (None, (0, 5))
    assert "cytogenetics.t_14_16" not in result.r2_iss.missing  # not scored
    assert result.high_risk_ims_imwg_2025.status is HighRiskStatus.NOT_ASSESSABLE


def test_genomics_missing_and_low_beta2_microglobulin_is_not_assessable() -> None:
    """§7: genomics missing and H1d not met ⇒ not assessable, not "no"."""
    result = high_risk_ims_imwg_2025(staging_input(beta2=3.0, creatinine=creat(0.9)))
    assert result.status is HighRiskStatus.NOT_ASSESSABLE
    assert result.criteria_met == ()
    assert result.missing == GENOMIC_FIELDS
    assert any("genomic profile missing" in reason for reason in result.reasons)


def test_low_beta2_microglobulin_makes_creatinine_irrelevant() -> None:
    result = high_risk_ims_imwg_2025(staging_input(beta2=3.0))
    assert "creatinine" not in result.missing


def test_h1d_met_is_high_risk_even_without_genomics() -> None:
    result = high_risk_ims_imwg_2025(staging_input(beta2=6.1, creatinine=creat(80, "umol/L")))
    assert (result.status, result.criteria_met, result.missing) == (
        HighRiskStatus.HIGH_RISK,
        ("b2m_with_normal_creatinine",),
        (),
    )


def test_del17p_present_without_clonal_fraction_needs_the_fraction() -> None:
    result = high_risk_ims_imwg_2025(
        staging_input(beta2=3.0, creatinine=creat(0.9), cytogenetics=cyto(del_17p=P))
    )
    assert (result.status, result.missing) == (
        HighRiskStatus.NOT_ASSESSABLE,
        ("cytogenetics.del_17p_clonal_fraction_percent",),
    )


def test_tp53_mutation_makes_the_clonal_fraction_irrelevant() -> None:
    result = high_risk_ims_imwg_2025(
        staging_input(cytogenetics=Cytogenetics(del_17p=P, tp53_mutation=P))
    )
    assert (result.status, result.criteria_met, result.missing) == (
        HighRiskStatus.HIGH_RISK,
        ("del17p_or_tp53",),
        (),
    )


def test_translocation_with_unknown_partners_is_not_assessable() -> None:
    result = high_risk_ims_imwg_2025(
        staging_input(
            beta2=3.0,
            cytogenetics=cyto(t_4_14=P, gain_1q=U, del_1p32=Del1p32.UNKNOWN),
        )
    )
    assert result.status is HighRiskStatus.NOT_ASSESSABLE
    assert result.missing == ("cytogenetics.gain_1q", "cytogenetics.del_1p32")


def test_r2_iss_range_with_unknown_1q() -> None:
    result = r2_iss(
        staging_input(
            beta2=2.0, albumin=alb(40), ldh=LdhStatus.NORMAL, cytogenetics=cyto(gain_1q=U)
        )
    )
    assert (result.score, result.score_range) == (None, (0, 0.5))
    assert (result.stage, result.possible_stages, result.missing) == (
        None,
        ("I", "II"),
        ("cytogenetics.gain_1q",),
    )


def test_r2_iss_group_decided_while_points_are_not() -> None:
    result = r2_iss(
        staging_input(
            beta2=6.0,
            ldh=LdhStatus.HIGH,
            cytogenetics=cyto(del_17p=P, del_17p_clonal_fraction_percent=50, t_4_14=U, gain_1q=U),
        )
    )
    assert (result.stage, result.score, result.score_range, result.missing) == (
        "IV",
        None,
        (3.5, 5),
        (),
    )


# --- invalid input -----------------------------------------------------------------------------


def test_clonal_fraction_out_of_range_names_the_field() -> None:
    with pytest.raises(InvalidInput) as raised:
        Cytogenetics(del_17p=P, del_17p_clonal_fraction_percent=120)
    assert raised.value.field == "cytogenetics.del_17p_clonal_fraction_percent"
    assert "100" in raised.value.message


def test_clonal_fraction_with_del17p_absent_is_contradictory() -> None:
    with pytest.raises(InvalidInput) as raised:
        Cytogenetics(del_17p=A, del_17p_clonal_fraction_percent=30)
    assert raised.value.field == "cytogenetics.del_17p_clonal_fraction_percent"
    assert Cytogenetics(del_17p=A, del_17p_clonal_fraction_percent=0).del_17p is A


def test_unknown_finding_word_is_rejected() -> None:
    with pytest.raises(InvalidInput) as raised:
        Cytogenetics(t_4_14="yes")  # type: ignore[arg-type]
    assert raised.value.field == "cytogenetics.t_4_14"


def test_lab_value_of_the_wrong_analyte_is_rejected() -> None:
    with pytest.raises(InvalidInput) as raised:
        StagingInput(albumin=b2m(3.0))
    assert raised.value.field == "albumin"


def test_unvalidated_lab_value_is_rechecked() -> None:
    absurd = LabValue(analyte=Analyte.BETA2_MICROGLOBULIN, value=-2, unit="mg/L")
    with pytest.raises(InvalidInput) as raised:
        StagingInput(beta2_microglobulin=absurd)
    assert raised.value.field == "beta2_microglobulin"


# --- properties --------------------------------------------------------------------------------

finding = st.sampled_from(list(Finding))
known_finding = st.sampled_from([P, A])


@st.composite
def cytogenetics_strategy(
    draw: st.DrawFn, findings: st.SearchStrategy[Finding] = finding
) -> Cytogenetics:
    del_17p = draw(findings)
    fraction = None
    if del_17p != A:
        fraction = draw(st.none() | st.floats(min_value=0, max_value=100))
    return Cytogenetics(
        del_17p=del_17p,
        del_17p_clonal_fraction_percent=fraction,
        tp53_mutation=draw(findings),
        t_4_14=draw(findings),
        t_14_16=draw(findings),
        t_14_20=draw(findings),
        gain_1q=draw(findings),
        del_1p32=draw(st.sampled_from(list(Del1p32))),
    )


def lab_strategy(analyte: Analyte, low: float, high: float) -> st.SearchStrategy[LabValue | None]:
    unit = {"albumin": "g/L", "creatinine": "umol/L"}.get(analyte.value, "mg/L")
    return st.none() | st.floats(min_value=low, max_value=high).map(
        lambda v: lab_value(analyte, v, unit)
    )


@st.composite
def staging_inputs(draw: st.DrawFn) -> StagingInput:
    return StagingInput(
        beta2_microglobulin=draw(lab_strategy(Analyte.BETA2_MICROGLOBULIN, 0.2, 20)),
        albumin=draw(lab_strategy(Analyte.ALBUMIN, 10, 60)),
        creatinine=draw(lab_strategy(Analyte.CREATININE, 30, 500)),
        ldh=draw(st.sampled_from(list(LdhStatus))),
        cytogenetics=draw(cytogenetics_strategy()),
    )


def _stage_rank(stages: tuple[str, ...]) -> tuple[int, int]:
    return STAGES.index(stages[0]), STAGES.index(stages[-1])


@given(
    low=st.floats(min_value=0.2, max_value=100),
    high=st.floats(min_value=0.2, max_value=100),
    albumin=lab_strategy(Analyte.ALBUMIN, 10, 60),
)
def test_raising_beta2_microglobulin_never_lowers_iss(
    low: float, high: float, albumin: LabValue | None
) -> None:
    low, high = sorted((low, high))
    before = iss(StagingInput(beta2_microglobulin=b2m(low), albumin=albumin)).possible_stages
    after = iss(StagingInput(beta2_microglobulin=b2m(high), albumin=albumin)).possible_stages
    lowest_before, highest_before = _stage_rank(before)
    lowest_after, highest_after = _stage_rank(after)
    assert lowest_after >= lowest_before
    assert highest_after >= highest_before


@given(
    inp=staging_inputs(),
    name=st.sampled_from(["del_17p", "tp53_mutation", "t_4_14", "t_14_16", "t_14_20", "gain_1q"]),
)
def test_a_newly_present_finding_never_lowers_the_r2_iss_range(
    inp: StagingInput, name: str
) -> None:
    assume(getattr(inp.cytogenetics, name) != P)
    changes: dict[str, Any] = {name: P}
    if name == "del_17p":
        changes["del_17p_clonal_fraction_percent"] = None
    before = r2_iss(inp).score_range
    after = r2_iss(replace(inp, cytogenetics=replace(inp.cytogenetics, **changes))).score_range
    assert before is not None and after is not None
    assert after[0] >= before[0]
    assert after[1] >= before[1]


# Independent enumeration of completions with representative values for every band.
B2M_VALUES = (2.0, 4.0, 6.0)
ALBUMIN_VALUES = (30.0, 40.0)
CREATININE_VALUES = (80.0, 150.0)  # µmol/L: < and ≥ 1.2 mg/dL
FRACTION_VALUES = (10.0, 30.0)
FINDING_NAMES = ("del_17p", "tp53_mutation", "t_4_14", "t_14_16", "t_14_20", "gain_1q")


def _options(inp: StagingInput) -> dict[str, tuple[Any, ...]]:
    c = inp.cytogenetics
    options: dict[str, tuple[Any, ...]] = {
        "beta2_microglobulin": (inp.beta2_microglobulin,)
        if inp.beta2_microglobulin
        else tuple(b2m(v) for v in B2M_VALUES),
        "albumin": (inp.albumin,) if inp.albumin else tuple(alb(v) for v in ALBUMIN_VALUES),
        "creatinine": (inp.creatinine,)
        if inp.creatinine
        else tuple(creat(v, "umol/L") for v in CREATININE_VALUES),
        "ldh_status": (inp.ldh,)
        if inp.ldh != LdhStatus.UNKNOWN
        else (LdhStatus.NORMAL, LdhStatus.HIGH),
        "cytogenetics.del_17p_clonal_fraction_percent": (c.del_17p_clonal_fraction_percent,)
        if c.del_17p_clonal_fraction_percent is not None
        else FRACTION_VALUES,
        "cytogenetics.del_1p32": (c.del_1p32,)
        if c.del_1p32 != Del1p32.UNKNOWN
        else (Del1p32.ABSENT, Del1p32.MONOALLELIC, Del1p32.BIALLELIC),
    }
    for name in FINDING_NAMES:
        value = getattr(c, name)
        options[f"cytogenetics.{name}"] = (value,) if value != U else (A, P)
    return options


def _completion(choice: dict[str, Any]) -> StagingInput:
    del_17p = choice["cytogenetics.del_17p"]
    return StagingInput(
        beta2_microglobulin=choice["beta2_microglobulin"],
        albumin=choice["albumin"],
        creatinine=choice["creatinine"],
        ldh=choice["ldh_status"],
        cytogenetics=Cytogenetics(
            **{name: choice[f"cytogenetics.{name}"] for name in FINDING_NAMES},
            del_17p_clonal_fraction_percent=None
            if del_17p == A
            else choice["cytogenetics.del_17p_clonal_fraction_percent"],
            del_1p32=choice["cytogenetics.del_1p32"],
        ),
    )


def _completions(inp: StagingInput) -> Iterator[tuple[dict[str, Any], StagingInput]]:
    options = _options(inp)
    names = list(options)
    for combo in itertools.product(*(options[name] for name in names)):
        choice = dict(zip(names, combo, strict=True))
        yield choice, _completion(choice)


def _changes_result(table: list[tuple[dict[str, Any], Any]], field: str) -> bool:
    groups: dict[tuple[Any, ...], set[Any]] = {}
    for choice, outcome in table:
        key = tuple((name, repr(value)) for name, value in sorted(choice.items()) if name != field)
        groups.setdefault(key, set()).add(outcome)
    return any(len(outcomes) > 1 for outcomes in groups.values())


def _unknown_count(inp: StagingInput) -> int:
    return sum(len(values) > 1 for values in _options(inp).values())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(inp=staging_inputs())
def test_reported_results_hold_for_every_completion_of_the_unknowns(inp: StagingInput) -> None:
    """A stage is reported only if every completion gives it; ``missing`` = fields that matter."""
    assume(_unknown_count(inp) <= 6)
    reported = assess(inp)
    tables: dict[str, list[tuple[dict[str, Any], Any]]] = {
        "iss": [],
        "r_iss": [],
        "r2_iss": [],
        "ims": [],
    }
    scores: list[float] = []
    for choice, completion in _completions(inp):
        complete = assess(completion)
        for block in (complete.iss, complete.r_iss, complete.r2_iss):
            assert block.stage is not None and block.missing == ()
        assert complete.high_risk_ims_imwg_2025.status is not HighRiskStatus.NOT_ASSESSABLE
        tables["iss"].append((choice, complete.iss.stage))
        tables["r_iss"].append((choice, complete.r_iss.stage))
        tables["r2_iss"].append((choice, complete.r2_iss.stage))
        tables["ims"].append((choice, complete.high_risk_ims_imwg_2025.status))
        assert complete.r2_iss.score is not None
        scores.append(complete.r2_iss.score)
    for key, block in (
        ("iss", reported.iss),
        ("r_iss", reported.r_iss),
        ("r2_iss", reported.r2_iss),
    ):
        stages = {stage for _, stage in tables[key]}
        assert set(block.possible_stages) == stages
        if block.stage is not None:
            assert stages == {block.stage}
        else:
            assert len(stages) > 1
        expected_missing = [f for f in _options(inp) if _changes_result(tables[key], f)]
        assert sorted(block.missing) == sorted(expected_missing)
    assert reported.r2_iss.score_range == (min(scores), max(scores))
    statuses = {status for _, status in tables["ims"]}
    hr = reported.high_risk_ims_imwg_2025
    if hr.status is HighRiskStatus.HIGH_RISK:
        assert statuses == {HighRiskStatus.HIGH_RISK}
    elif hr.status is HighRiskStatus.NOT_HIGH_RISK:
        assert statuses == {HighRiskStatus.NOT_HIGH_RISK}
    else:
        assert len(statuses) == 2
    expected_missing = [f for f in _options(inp) if _changes_result(tables["ims"], f)]
    assert sorted(hr.missing) == sorted(expected_missing)


@given(
    inp=staging_inputs(),
    cytogenetics=cytogenetics_strategy(findings=st.sampled_from([A, U])),
    del_1p32=st.sampled_from([Del1p32.ABSENT, Del1p32.UNKNOWN]),
    drop=st.sampled_from(["beta2_microglobulin", "creatinine"]),
)
def test_high_risk_is_never_reported_without_a_criterion_input_present(
    inp: StagingInput, cytogenetics: Cytogenetics, del_1p32: Del1p32, drop: str
) -> None:
    """No finding present, no del(1p32), and β2M or creatinine missing ⇒ never "high_risk"."""
    dropped: dict[str, Any] = {drop: None}
    candidate = replace(inp, cytogenetics=replace(cytogenetics, del_1p32=del_1p32), **dropped)
    result = high_risk_ims_imwg_2025(candidate)
    assert result.status is not HighRiskStatus.HIGH_RISK
    assert result.criteria_met == ()
