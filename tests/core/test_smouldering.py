"""IMWG 2/20/20 smouldering-myeloma risk and EHA-EMN 2025 follow-up — domain-reference §3, case 14.

Expected values are taken from the reference text, not from the code.
"""

from __future__ import annotations

import math

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.smouldering import SmoulderingRisk, risk_2_20_20
from myeloma_core.units import Analyte, LabValue, lab_value

LOW, INTERMEDIATE, HIGH = SmoulderingRisk.LOW, SmoulderingRisk.INTERMEDIATE, SmoulderingRisk.HIGH


def m(value: float, unit: str = "g/dL") -> LabValue:
    return lab_value(Analyte.M_PROTEIN, value, unit)


def test_case_14_high_risk() -> None:
    """M 2.6 > 2 ✓; FLCr 22.5 > 20 ✓; BMPC 25 > 20 ✓ ⇒ 3 factors ⇒ high risk (44 %)."""
    result = risk_2_20_20(m_protein=m(2.6), flc_ratio=180 / 8, bone_marrow_plasma_cells_percent=25)
    assert result.risk is HIGH
    assert result.possible_risks == (HIGH,)
    assert set(result.factors_present) == {"m_protein", "flc_ratio", "bone_marrow_plasma_cells"}
    assert result.two_year_progression_percent == 44
    assert (result.follow_up.every_months_min, result.follow_up.every_months_max) == (None, None)
    assert "no follow-up interval" in result.follow_up.text
    assert "treatment" in result.follow_up.text
    assert result.missing == ()
    assert "Mateos" in result.source and "EHA-EMN" in result.source


@pytest.mark.parametrize(
    ("m_protein", "factor"),
    [(m(2), False), (m(20, "g/L"), False), (m(2.01), True), (m(20.1, "g/L"), True)],
)
def test_m_protein_threshold_is_strictly_above_2_g_dl(m_protein: LabValue, factor: bool) -> None:
    result = risk_2_20_20(m_protein=m_protein, flc_ratio=5, bone_marrow_plasma_cells_percent=12)
    assert ("m_protein" in result.factors_present) is factor
    assert result.risk is (INTERMEDIATE if factor else LOW)


@pytest.mark.parametrize(("ratio", "factor"), [(20, False), (20.01, True)])
def test_flc_ratio_threshold_is_strictly_above_20(ratio: float, factor: bool) -> None:
    result = risk_2_20_20(m_protein=m(1), flc_ratio=ratio, bone_marrow_plasma_cells_percent=12)
    assert ("flc_ratio" in result.factors_present) is factor


@pytest.mark.parametrize(("bmpc", "factor"), [(20, False), (20.1, True)])
def test_bmpc_threshold_is_strictly_above_20_percent(bmpc: float, factor: bool) -> None:
    result = risk_2_20_20(m_protein=m(1), flc_ratio=5, bone_marrow_plasma_cells_percent=bmpc)
    assert ("bone_marrow_plasma_cells" in result.factors_present) is factor


def test_exactly_2_20_20_is_low_risk() -> None:
    result = risk_2_20_20(m_protein=m(2), flc_ratio=20, bone_marrow_plasma_cells_percent=20)
    assert (result.risk, result.factors_present) == (LOW, ())


@pytest.mark.parametrize(
    ("m_protein", "ratio", "bmpc", "risk", "months", "percent"),
    [
        (1.5, 5, 12, LOW, (6, 6), 6),
        (2.1, 20, 20, INTERMEDIATE, (3, 6), 18),
        (2.1, 25, 20, HIGH, (None, None), 44),
        (2.1, 25, 30, HIGH, (None, None), 44),
    ],
)
def test_risk_groups_and_follow_up(
    m_protein: float,
    ratio: float,
    bmpc: float,
    risk: SmoulderingRisk,
    months: tuple[int | None, int | None],
    percent: int,
) -> None:
    """S1: 0 low (6 %), 1 intermediate (18 %), 2–3 high (44 %); S2: 6 / 3–6 months."""
    result = risk_2_20_20(
        m_protein=m(m_protein), flc_ratio=ratio, bone_marrow_plasma_cells_percent=bmpc
    )
    assert result.risk is risk
    assert (result.follow_up.every_months_min, result.follow_up.every_months_max) == months
    assert result.two_year_progression_percent == percent


def test_two_factors_known_decide_high_risk_without_the_third() -> None:
    result = risk_2_20_20(m_protein=m(2.5), flc_ratio=30, bone_marrow_plasma_cells_percent=None)
    assert (result.risk, result.missing) == (HIGH, ())


def test_one_factor_and_two_unknown() -> None:
    result = risk_2_20_20(m_protein=None, flc_ratio=30, bone_marrow_plasma_cells_percent=None)
    assert result.risk is None
    assert result.possible_risks == (INTERMEDIATE, HIGH)
    assert result.missing == ("m_protein", "bone_marrow_plasma_cells_percent")
    assert result.two_year_progression_percent is None
    assert (result.follow_up.every_months_min, result.follow_up.every_months_max) == (None, None)
    assert "not decided" in result.follow_up.text


def test_nothing_known() -> None:
    result = risk_2_20_20(m_protein=None, flc_ratio=None, bone_marrow_plasma_cells_percent=None)
    assert result.possible_risks == (LOW, INTERMEDIATE, HIGH)
    assert result.missing == ("m_protein", "flc_ratio", "bone_marrow_plasma_cells_percent")


def test_a_known_absent_factor_is_not_read_as_present() -> None:
    result = risk_2_20_20(m_protein=m(1), flc_ratio=None, bone_marrow_plasma_cells_percent=10)
    assert (result.risk, result.possible_risks) == (None, (LOW, INTERMEDIATE))
    assert result.missing == ("flc_ratio",)


@pytest.mark.parametrize("ratio", [0, -1, 10000.1, math.nan, math.inf])
def test_invalid_flc_ratio(ratio: float) -> None:
    with pytest.raises(InvalidInput) as raised:
        risk_2_20_20(m_protein=None, flc_ratio=ratio, bone_marrow_plasma_cells_percent=None)
    assert raised.value.field == "flc_ratio"
    assert "10000" in raised.value.message


@pytest.mark.parametrize("bmpc", [-5, 100.5])
def test_invalid_percentage(bmpc: float) -> None:
    with pytest.raises(InvalidInput) as raised:
        risk_2_20_20(m_protein=None, flc_ratio=None, bone_marrow_plasma_cells_percent=bmpc)
    assert raised.value.field == "bone_marrow_plasma_cells_percent"


def test_wrong_analyte_is_rejected() -> None:
    with pytest.raises(InvalidInput) as raised:
        risk_2_20_20(
            m_protein=lab_value(Analyte.ALBUMIN, 30, "g/L"),
            flc_ratio=None,
            bone_marrow_plasma_cells_percent=None,
        )
    assert raised.value.field == "m_protein"
