"""What the clinician reads: every staging reason pinned word for word — domain-reference §4–§7.

Each expected sentence is written from the rule (ISS §4, R-ISS §5, R2-ISS §6, IMS/IMWG 2025 §7)
and the values typed in the test, never copied from the program's output; a verdict that could be
inverted ("met" / "not met"), a threshold or an operator shown next to a value is pinned here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.staging import (
    Cytogenetics,
    Del1p32,
    Finding,
    LdhStatus,
    StagingInput,
    high_risk_ims_imwg_2025,
    iss,
    ldh_status_from_value,
    r2_iss,
    r_iss,
)
from myeloma_core.units import Analyte, LabValue, lab_value

P, A, U = Finding.PRESENT, Finding.ABSENT, Finding.UNKNOWN
NONE_FOUND = Cytogenetics(
    del_17p=A, tp53_mutation=A, t_4_14=A, t_14_16=A, t_14_20=A, gain_1q=A, del_1p32=Del1p32.ABSENT
)
FISH_NOTE = (
    "R-ISS high-risk cytogenetics are by interphase FISH on CD138-purified plasma cells; "
    "positivity cut-offs are laboratory-defined"
)
NO_HIGH_RISK = (
    "No criterion is met ⇒ not high risk (a translocation alone, 1q+ alone or monoallelic "
    "del(1p32) alone is not high risk by this definition)"
)


def staging(
    *,
    beta2: float | None = None,
    albumin: float | None = None,
    creatinine: tuple[float, str] | None = None,
    ldh: LdhStatus = LdhStatus.UNKNOWN,
    **cytogenetics: Any,
) -> StagingInput:
    def lab(analyte: Analyte, value: float | None, unit: str) -> LabValue | None:
        return None if value is None else lab_value(analyte, value, unit)

    return StagingInput(
        beta2_microglobulin=lab(Analyte.BETA2_MICROGLOBULIN, beta2, "mg/L"),
        albumin=lab(Analyte.ALBUMIN, albumin, "g/L"),
        creatinine=None if creatinine is None else lab(Analyte.CREATININE, *creatinine),
        ldh=ldh,
        cytogenetics=replace(NONE_FOUND, **cytogenetics),
    )


# --- ISS (§4 I1: III β2M ≥ 5.5 mg/L; I β2M < 3.5 mg/L and albumin ≥ 3.5 g/dL; II otherwise) ---


@pytest.mark.parametrize(
    ("beta2", "albumin", "reason"),
    [
        (
            2.8,
            40,
            "β2-microglobulin 2.8 mg/L < 3.5 mg/L and albumin 40 g/L (4 g/dL) ≥ 3.5 g/dL ⇒ ISS I",
        ),
        (
            2.8,
            30,
            "β2-microglobulin 2.8 mg/L < 3.5 mg/L but albumin 30 g/L (3 g/dL) < 3.5 g/dL ⇒ ISS II",
        ),
        (
            2.8,
            None,
            "β2-microglobulin 2.8 mg/L < 3.5 mg/L but albumin not given ⇒ ISS I if albumin "
            "≥ 3.5 g/dL (35 g/L), otherwise ISS II",
        ),
        (
            4,
            None,
            "β2-microglobulin 4 mg/L is ≥ 3.5 mg/L and < 5.5 mg/L ⇒ ISS II (albumin not needed)",
        ),
        (
            4,
            40,
            "β2-microglobulin 4 mg/L is ≥ 3.5 mg/L and < 5.5 mg/L ⇒ ISS II (regardless of albumin)",
        ),
        (6, None, "β2-microglobulin 6 mg/L ≥ 5.5 mg/L ⇒ ISS III (albumin not needed)"),
        (6, 30, "β2-microglobulin 6 mg/L ≥ 5.5 mg/L ⇒ ISS III (regardless of albumin)"),
        (None, None, "β2-microglobulin and albumin not given ⇒ ISS I, II or III possible"),
        (
            None,
            30,
            "β2-microglobulin not given; albumin 30 g/L (3 g/dL) < 3.5 g/dL rules out ISS I ⇒ "
            "ISS II (β2-microglobulin < 5.5 mg/L) or III (β2-microglobulin ≥ 5.5 mg/L)",
        ),
        (
            None,
            40,
            "β2-microglobulin not given; albumin 40 g/L (4 g/dL) ≥ 3.5 g/dL ⇒ ISS I "
            "(β2-microglobulin < 3.5 mg/L), II (3.5 to < 5.5 mg/L) or III (≥ 5.5 mg/L)",
        ),
    ],
)
def test_iss_reason(beta2: float | None, albumin: float | None, reason: str) -> None:
    assert iss(staging(beta2=beta2, albumin=albumin)).reasons == (reason,)


# --- R-ISS (§5 R1) -----------------------------------------------------------------------------


def test_r_iss_i_reasons() -> None:
    result = r_iss(staging(beta2=2.8, albumin=40, ldh=LdhStatus.NORMAL))
    assert result.reasons == (
        "ISS I; standard-risk cytogenetics (del(17p), t(4;14) and t(14;16) absent); "
        "LDH within the normal range (≤ upper limit of normal)",
        "ISS I with standard-risk cytogenetics and LDH ≤ upper limit of normal ⇒ R-ISS I",
        FISH_NOTE,
    )


def test_r_iss_iii_reasons_name_each_high_risk_abnormality() -> None:
    result = r_iss(staging(beta2=6, ldh=LdhStatus.HIGH, del_17p=P, t_4_14=P, t_14_16=P, gain_1q=P))
    assert result.reasons == (
        "ISS III; high-risk cytogenetics present (del(17p), t(4;14), t(14;16)); "
        "LDH above the upper limit of normal",
        "ISS III with high-risk cytogenetics and/or LDH above the upper limit of normal "
        "⇒ R-ISS III",
        "1q+ is not an R-ISS high-risk abnormality (it is scored in R2-ISS)",
        FISH_NOTE,
    )


def test_r_iss_ii_from_iss_ii() -> None:
    assert r_iss(staging(beta2=4)).reasons == (
        "ISS II ⇒ R-ISS II whatever the cytogenetics and LDH (R-ISS I needs ISS I, "
        "R-ISS III needs ISS III)",
        FISH_NOTE,
    )


def test_r_iss_ii_when_neither_i_nor_iii() -> None:
    # ISS I with LDH above the ULN: not R-ISS I (needs LDH ≤ ULN), not III (needs ISS III).
    assert r_iss(staging(beta2=2.8, albumin=40, ldh=LdhStatus.HIGH)).reasons[1] == (
        "Neither the R-ISS I nor the R-ISS III criteria are met ⇒ R-ISS II"
    )


def test_r_iss_unknown_fish_and_ldh_are_named() -> None:
    # ISS I, LDH unknown, del(17p) and t(14;16) unknown: I when all are normal, else II.
    result = r_iss(staging(beta2=2.8, albumin=40, del_17p=U, t_14_16=U))
    assert result.reasons[:2] == (
        "ISS I; high-risk cytogenetics not known (del(17p), t(14;16) unknown); LDH unknown",
        "R-ISS I or II — depends on LDH status, del(17p) and t(14;16)",
    )


# --- R2-ISS (§6: ISS II 1, III 1.5, del(17p) 1, LDH 1, t(4;14) 1, 1q+ 0.5) ---------------------


def test_r2_iss_all_features_present() -> None:
    result = r2_iss(staging(beta2=6, ldh=LdhStatus.HIGH, del_17p=P, t_4_14=P, gain_1q=P, t_14_16=P))
    # 1.5 + 1 + 1 + 1 + 0.5 = 5 ⇒ IV (3–5)
    assert result.reasons == (
        "ISS III: 1.5 points",
        "del(17p): 1 point",
        "LDH above the upper limit of normal: 1 point",
        "t(4;14): 1 point",
        "1q+ (gain or amplification): 0.5 points",
        "t(14;16) is not scored in R2-ISS",
        "Total 5 points ⇒ R2-ISS IV",
    )


def test_r2_iss_all_features_absent() -> None:
    result = r2_iss(staging(beta2=2.8, albumin=40, ldh=LdhStatus.NORMAL))
    assert result.reasons == (
        "ISS I: 0 points",
        "del(17p) absent: 0 points",
        "LDH normal: 0 points",
        "t(4;14) absent: 0 points",
        "1q+ (gain or amplification) absent: 0 points",
        "Total 0 points ⇒ R2-ISS I",
    )


def test_r2_iss_unknowns_give_a_range_and_name_what_decides() -> None:
    # ISS I–III unknown (0, 1 or 1.5), LDH and 1q+ unknown: 0 to 1.5 + 1 + 0.5 = 3 points.
    result = r2_iss(staging(albumin=40, gain_1q=U))
    assert result.reasons == (
        "ISS I, II or III: 0 to 1.5 points",
        "del(17p) absent: 0 points",
        "LDH unknown: 0 or 1 point",
        "t(4;14) absent: 0 points",
        "1q+ (gain or amplification) unknown: 0 or 0.5 points",
        "Total 0 to 3 points ⇒ R2-ISS I, II, III or IV — depends on β2-microglobulin, "
        "LDH status and 1q+",
    )


def test_r2_iss_group_decided_while_the_points_are_not() -> None:
    # ISS III 1.5 + 1q+ unknown (0 or 0.5) = 1.5 to 2 ⇒ III either way (1.5–2.5).
    result = r2_iss(staging(beta2=6, ldh=LdhStatus.NORMAL, gain_1q=U))
    assert result.reasons[-1] == (
        "Total 1.5 to 2 points ⇒ R2-ISS III either way (1q+ changes only the points, not the group)"
    )


# --- IMS/IMWG 2025 high risk (§7 H1a–H1d) -------------------------------------------------------


def test_high_risk_reasons_when_nothing_is_met() -> None:
    result = high_risk_ims_imwg_2025(staging(beta2=2.8, creatinine=(0.9, "mg/dL")))
    assert result.reasons == (
        "H1a (del(17p) with clonal fraction ≥ 20 % or TP53 mutation): del(17p) absent; "
        "TP53 mutation absent ⇒ not met",
        "H1b (t(4;14), t(14;16) or t(14;20) with 1q+ or del(1p32)): t(4;14) absent, "
        "t(14;16) absent, t(14;20) absent; 1q+ absent; del(1p32) absent ⇒ not met",
        "H1c (biallelic del(1p32), or monoallelic del(1p32) with 1q+): del(1p32) absent; "
        "1q+ absent ⇒ not met",
        "H1d (β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL): β2-microglobulin "
        "2.8 mg/L < 5.5 mg/L; creatinine 0.9 mg/dL < 1.2 mg/dL ⇒ not met",
        NO_HIGH_RISK,
    )


def test_high_risk_reasons_when_several_criteria_are_met() -> None:
    result = high_risk_ims_imwg_2025(
        staging(
            beta2=6,
            creatinine=(1, "mg/dL"),
            del_17p=P,
            del_17p_clonal_fraction_percent=25,
            t_4_14=P,
            gain_1q=P,
        )
    )
    assert result.reasons == (
        "H1a (del(17p) with clonal fraction ≥ 20 % or TP53 mutation): del(17p) present with "
        "clonal fraction 25 % ≥ 20 %; TP53 mutation absent ⇒ met",
        "H1b (t(4;14), t(14;16) or t(14;20) with 1q+ or del(1p32)): t(4;14) present, "
        "t(14;16) absent, t(14;20) absent; 1q+ present; del(1p32) absent ⇒ met",
        "H1c (biallelic del(1p32), or monoallelic del(1p32) with 1q+): del(1p32) absent; "
        "1q+ present ⇒ not met",
        "H1d (β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL): β2-microglobulin "
        "6 mg/L ≥ 5.5 mg/L; creatinine 1 mg/dL < 1.2 mg/dL ⇒ met",
        "At least one criterion is met ⇒ high risk",
    )


def test_high_risk_on_beta2_microglobulin_alone_asks_for_genomics() -> None:
    result = high_risk_ims_imwg_2025(staging(beta2=6, creatinine=(1, "mg/dL")))
    assert result.reasons[-2:] == (
        "At least one criterion is met ⇒ high risk",
        "High risk rests on the β2-microglobulin criterion only: genomic profiling is still "
        "needed (the clinical criterion does not replace it)",
    )


def test_not_assessable_with_complete_genomics_does_not_blame_the_genomics() -> None:
    result = high_risk_ims_imwg_2025(staging())
    assert result.reasons[3] == (
        "H1d (β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL): β2-microglobulin not "
        "given; creatinine not given ⇒ undetermined"
    )
    assert result.reasons[-1] == (
        "No criterion is met with the values given, but β2-microglobulin and creatinine could "
        "change that ⇒ not assessable; unknown results are not read as normal"
    )


def test_not_assessable_for_a_missing_genomic_result_says_so() -> None:
    result = high_risk_ims_imwg_2025(staging(beta2=2.8, creatinine=(0.9, "mg/dL"), tp53_mutation=U))
    assert result.reasons[0] == (
        "H1a (del(17p) with clonal fraction ≥ 20 % or TP53 mutation): del(17p) absent; "
        "TP53 mutation unknown ⇒ undetermined"
    )
    assert result.reasons[-1] == (
        "No criterion is met with the values given, but TP53 mutation could change that ⇒ "
        "not assessable (genomic profile missing); unknown results are not read as normal"
    )


@pytest.mark.parametrize(
    ("changes", "facts"),
    [
        (
            {"del_17p": P, "del_17p_clonal_fraction_percent": 15},
            "del(17p) present with clonal fraction 15 % < 20 %",
        ),
        (
            {"del_17p": P, "del_17p_clonal_fraction_percent": 20},
            "del(17p) present with clonal fraction 20 % ≥ 20 %",
        ),
        ({"del_17p": P}, "del(17p) present, clonal fraction not given"),
        (
            {"del_17p": U, "del_17p_clonal_fraction_percent": 30},
            "del(17p) unknown (clonal fraction 30 % entered)",
        ),
    ],
)
def test_h1a_facts(changes: dict[str, Any], facts: str) -> None:
    result = high_risk_ims_imwg_2025(staging(beta2=2.8, creatinine=(0.9, "mg/dL"), **changes))
    assert result.reasons[0].startswith(
        f"H1a (del(17p) with clonal fraction ≥ 20 % or TP53 mutation): {facts}; "
    )


@pytest.mark.parametrize(
    ("beta2", "creatinine", "facts"),
    [
        (
            5.5,
            (1.2, "mg/dL"),
            "β2-microglobulin 5.5 mg/L ≥ 5.5 mg/L; creatinine 1.2 mg/dL ≥ 1.2 mg/dL",
        ),
        # 97 µmol/L ÷ 88.4 = 1.097 mg/dL, shown to one decimal
        (
            5.4,
            (97, "umol/L"),
            "β2-microglobulin 5.4 mg/L < 5.5 mg/L; creatinine 97 µmol/L (1.1 mg/dL) < 1.2 mg/dL",
        ),
        # 106 µmol/L ÷ 88.4 = 1.19910 mg/dL: "1.2" would read as equal to the threshold, so
        # the value is shown with the decimals that tell it apart.
        (
            5.4,
            (106, "umol/L"),
            "β2-microglobulin 5.4 mg/L < 5.5 mg/L; creatinine 106 µmol/L (1.199 mg/dL) < 1.2 mg/dL",
        ),
    ],
)
def test_h1d_facts(beta2: float, creatinine: tuple[float, str], facts: str) -> None:
    result = high_risk_ims_imwg_2025(staging(beta2=beta2, creatinine=creatinine))
    assert result.reasons[3] == (
        f"H1d (β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL): {facts} ⇒ not met"
    )


# --- LDH from the laboratory's value and ULN (G4); the plausible LDH range is 20–50000 U/L ------


@pytest.mark.parametrize(
    ("value", "uln", "message"),
    [
        (-1, 200, "-1 U/L is not possible for LDH. LDH must be from 20 to 50000 U/L."),
        (
            200,
            -5,
            "-5 U/L is not possible for the LDH upper limit of normal. The LDH upper limit of "
            "normal must be from 20 to 50000 U/L.",
        ),
    ],
)
def test_ldh_errors_name_which_number_is_wrong(value: float, uln: float, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        ldh_status_from_value(value=value, upper_limit_normal=uln)
    assert raised.value.message == message


# --- Bad input names its field (api-v1 conventions) ---------------------------------------------


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (
            lambda: Cytogenetics(del_17p="maybe"),  # type: ignore[arg-type]
            "cytogenetics.del_17p",
            'cytogenetics.del_17p must be one of "present", "absent", "unknown"; got \'maybe\'.',
        ),
        (
            lambda: Cytogenetics(del_1p32="partial"),  # type: ignore[arg-type]
            "cytogenetics.del_1p32",
            'cytogenetics.del_1p32 must be one of "absent", "monoallelic", "biallelic", '
            "\"unknown\"; got 'partial'.",
        ),
        (
            lambda: StagingInput(ldh="raised"),  # type: ignore[arg-type]
            "ldh_status",
            'ldh_status must be one of "normal", "high", "unknown"; got \'raised\'.',
        ),
        (
            lambda: StagingInput(cytogenetics="none"),  # type: ignore[arg-type]
            "cytogenetics",
            "cytogenetics must be a Cytogenetics record.",
        ),
        (
            lambda: StagingInput(beta2_microglobulin=lab_value(Analyte.ALBUMIN, 40, "g/L")),
            "beta2_microglobulin",
            "beta2_microglobulin must be a β2-microglobulin value.",
        ),
        (
            lambda: StagingInput(creatinine=lab_value(Analyte.ALBUMIN, 40, "g/L")),
            "creatinine",
            "creatinine must be a creatinine value.",
        ),
    ],
)
def test_bad_input_names_its_field(build: Any, field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        build()
    assert (raised.value.field, raised.value.message) == (field, message)


def test_a_clonal_fraction_with_del17p_absent_names_both_fields() -> None:
    # 0.5 % is more than 0: contradicts "absent" (0 % is allowed).
    Cytogenetics(del_17p=A, del_17p_clonal_fraction_percent=0)
    with pytest.raises(InvalidInput) as raised:
        Cytogenetics(del_17p=A, del_17p_clonal_fraction_percent=0.5)
    assert raised.value.fields == (
        "cytogenetics.del_17p_clonal_fraction_percent",
        "cytogenetics.del_17p",
    )
    assert raised.value.message == (
        "The del(17p) clonal fraction must be left empty (or 0 %) when del(17p) is absent; got "
        "0.5 % with del(17p) marked absent. Correct del(17p) or its clonal fraction."
    )
