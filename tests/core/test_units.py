"""Units and input validation — domain-reference §1 (U1–U6), G2; api-v1 "Conventions"."""

from __future__ import annotations

import math

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.units import (
    ACCEPTED_UNITS,
    ANALYTE_LABELS,
    UNIT_LABELS,
    Analyte,
    LabValue,
    lab_value,
    percentage,
)


def test_accepted_units_are_exactly_the_api_units() -> None:
    assert ACCEPTED_UNITS == {
        Analyte.BETA2_MICROGLOBULIN: ("mg/L",),
        Analyte.ALBUMIN: ("g/L", "g/dL"),
        Analyte.CREATININE: ("umol/L", "mg/dL"),
        Analyte.M_PROTEIN: ("g/L", "g/dL"),
        Analyte.HAEMOGLOBIN: ("g/dL", "g/L", "mmol/L"),
        Analyte.CALCIUM: ("mmol/L", "mg/dL"),
    }
    assert UNIT_LABELS["umol/L"] == "µmol/L"
    assert ANALYTE_LABELS[Analyte.BETA2_MICROGLOBULIN] == "β2-microglobulin"
    assert set(ANALYTE_LABELS) == set(Analyte)


def test_analyte_values_are_the_api_field_names() -> None:
    assert [a.value for a in Analyte] == [
        "beta2_microglobulin",
        "albumin",
        "creatinine",
        "m_protein",
        "haemoglobin",
        "calcium",
    ]


@pytest.mark.parametrize("spelling", ["µmol/L", "μmol/L", "umol/L"])
def test_micromole_spellings_are_normalised(spelling: str) -> None:
    """api-v1: creatinine `umol/L` (also `µmol/L`); the Greek mu is accepted too."""
    lab = lab_value(Analyte.CREATININE, 80, spelling)
    assert lab.unit == "umol/L"
    assert lab.in_unit("µmol/L") == 80


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "target", "expected"),
    [
        # U1: µmol/L = mg/dL × 88.4; 2 mg/dL = 176.8 µmol/L; 1.2 mg/dL = 106.1 (106.08) µmol/L.
        (Analyte.CREATININE, 2, "mg/dL", "umol/L", 176.8),
        (Analyte.CREATININE, 1.2, "mg/dL", "umol/L", 106.08),
        (Analyte.CREATININE, 106.08, "umol/L", "mg/dL", 1.2),
        (Analyte.CREATININE, 2.4, "mg/dL", "umol/L", 212.16),
        # U2: g/L = g/dL × 10; ISS 3.5 g/dL = 35 g/L.
        (Analyte.ALBUMIN, 3.5, "g/dL", "g/L", 35),
        (Analyte.ALBUMIN, 40, "g/L", "g/dL", 4),
        # U6: SMM 30 g/L = 3 g/dL; 2/20/20 "2 g/dL" = 20 g/L.
        (Analyte.M_PROTEIN, 2, "g/dL", "g/L", 20),
        (Analyte.M_PROTEIN, 30, "g/L", "g/dL", 3),
        # U5: g/L = g/dL × 10; mmol/L = g/dL × 0.6206.
        (Analyte.HAEMOGLOBIN, 10, "g/dL", "g/L", 100),
        (Analyte.HAEMOGLOBIN, 10, "g/dL", "mmol/L", 6.206),
        (Analyte.HAEMOGLOBIN, 6.206, "mmol/L", "g/L", 100),
        # U4: mmol/L = mg/dL × 0.2495; 11 mg/dL = 2.744 mmol/L.
        (Analyte.CALCIUM, 11, "mg/dL", "mmol/L", 2.7445),
        (Analyte.CALCIUM, 2.495, "mmol/L", "mg/dL", 10),
    ],
)
def test_conversion_factors(
    analyte: Analyte, value: float, unit: str, target: str, expected: float
) -> None:
    assert lab_value(analyte, value, unit).in_unit(target) == pytest.approx(expected, abs=1e-9)


def test_a_value_keeps_the_unit_it_was_entered_in() -> None:
    """G2: store the unit entered."""
    lab = lab_value(Analyte.ALBUMIN, 3.2, "g/dL")
    assert (lab.value, lab.unit) == (3.2, "g/dL")
    assert lab == LabValue(analyte=Analyte.ALBUMIN, value=3.2, unit="g/dL")


def test_conversion_lands_exactly_on_a_threshold() -> None:
    """1.2 mg/dL = 106.08 µmol/L exactly: no floating-point hair either side."""
    assert lab_value(Analyte.CREATININE, 106.08, "umol/L").in_unit("mg/dL") == 1.2
    assert lab_value(Analyte.ALBUMIN, 35, "g/L").in_unit("g/dL") == 3.5


@pytest.mark.parametrize(
    ("analyte", "unit"),
    [
        (Analyte.BETA2_MICROGLOBULIN, "g/dL"),  # U3: the Medscape misprint
        (Analyte.BETA2_MICROGLOBULIN, "mg/dL"),
        (Analyte.ALBUMIN, "mmol/L"),
        (Analyte.CREATININE, "mmol/L"),
        (Analyte.HAEMOGLOBIN, "mg/dL"),
        (Analyte.CALCIUM, "g/L"),
        (Analyte.M_PROTEIN, "mg/L"),
        (Analyte.ALBUMIN, ""),
    ],
)
def test_wrong_unit_is_rejected_naming_the_accepted_units(analyte: Analyte, unit: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(analyte, 3, unit)
    assert raised.value.field == analyte.value
    for accepted in ACCEPTED_UNITS[analyte]:
        assert UNIT_LABELS[accepted] in raised.value.message


def test_beta2_microglobulin_in_g_dl_explains_the_misprint() -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.BETA2_MICROGLOBULIN, 3, "g/dL")
    assert "mg/L" in raised.value.message
    assert "misprint" in raised.value.message


def test_field_path_is_used_when_given() -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.CALCIUM, -1, "mmol/L", field="calcium_upper_limit_normal")
    assert raised.value.field == "calcium_upper_limit_normal"
    assert "upper limit of normal" in raised.value.message


def test_invalid_input_carries_field_and_message() -> None:
    error = InvalidInput("albumin", "Albumin must be …")
    assert isinstance(error, ValueError)
    assert (error.field, error.message) == ("albumin", "Albumin must be …")


def test_absurd_albumin_message_names_field_unit_and_range() -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.ALBUMIN, 95, "g/L")
    assert raised.value.message == (
        "Albumin must be more than 0 and at most 80 g/L (8 g/dL); got 95 g/L."
    )


@pytest.mark.parametrize(
    ("analyte", "unit", "highest_accepted", "lowest_rejected"),
    [
        (Analyte.BETA2_MICROGLOBULIN, "mg/L", 100, 100.01),
        (Analyte.ALBUMIN, "g/L", 80, 80.01),
        (Analyte.ALBUMIN, "g/dL", 8, 8.001),
        (Analyte.CREATININE, "umol/L", 2000, 2000.1),
        (Analyte.CREATININE, "mg/dL", 22.62, 22.63),  # 2000 µmol/L = 22.624 mg/dL
        (Analyte.M_PROTEIN, "g/L", 150, 150.1),
        (Analyte.M_PROTEIN, "g/dL", 15, 15.01),
        (Analyte.HAEMOGLOBIN, "g/L", 250, 250.1),
        (Analyte.HAEMOGLOBIN, "g/dL", 25, 25.01),
        (Analyte.HAEMOGLOBIN, "mmol/L", 15.515, 15.52),  # 25 g/dL × 0.6206
        (Analyte.CALCIUM, "mmol/L", 6, 6.01),
        (Analyte.CALCIUM, "mg/dL", 24.04, 24.05),  # 6 / 0.2495 = 24.048
    ],
)
def test_plausible_range_is_the_same_quantity_in_every_unit(
    analyte: Analyte, unit: str, highest_accepted: float, lowest_rejected: float
) -> None:
    assert lab_value(analyte, highest_accepted, unit).value == highest_accepted
    with pytest.raises(InvalidInput) as raised:
        lab_value(analyte, lowest_rejected, unit)
    assert raised.value.field == analyte.value
    assert UNIT_LABELS[unit] in raised.value.message


@pytest.mark.parametrize(
    "analyte",
    [
        Analyte.BETA2_MICROGLOBULIN,
        Analyte.ALBUMIN,
        Analyte.CREATININE,
        Analyte.HAEMOGLOBIN,
        Analyte.CALCIUM,
    ],
)
@pytest.mark.parametrize("value", [0, -1, -0.001])
def test_zero_and_negative_are_rejected(analyte: Analyte, value: float) -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(analyte, value, ACCEPTED_UNITS[analyte][0])
    assert "more than 0" in raised.value.message


def test_m_protein_may_be_zero_but_not_negative() -> None:
    assert lab_value(Analyte.M_PROTEIN, 0, "g/L").value == 0
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.M_PROTEIN, -0.1, "g/dL")
    assert "at least 0" in raised.value.message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_rejected(value: float) -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.BETA2_MICROGLOBULIN, value, "mg/L")
    assert raised.value.field == "beta2_microglobulin"
    assert "mg/L" in raised.value.message


@pytest.mark.parametrize("value", [True, "4.2", None])
def test_non_numbers_are_rejected(value: object) -> None:
    with pytest.raises(InvalidInput):
        lab_value(Analyte.BETA2_MICROGLOBULIN, value, "mg/L")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, 0.0, 19.9, 20, 100])
def test_percentage_accepts_0_to_100_inclusive(value: float) -> None:
    assert percentage(value, field="bone_marrow_plasma_cells_percent") == value


@pytest.mark.parametrize("value", [-0.1, 100.1, 120, math.nan, math.inf])
def test_percentage_outside_0_to_100_is_rejected(value: float) -> None:
    field = "cytogenetics.del_17p_clonal_fraction_percent"
    with pytest.raises(InvalidInput) as raised:
        percentage(value, field=field)
    assert raised.value.field == field
    assert "0 to 100 %" in raised.value.message
    assert "del(17p) clonal fraction" in raised.value.message
