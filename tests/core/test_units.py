"""Units and input validation — domain-reference §1 (U1–U6), G2; api-v1 "Conventions"."""

from __future__ import annotations

import math

import pytest

from myeloma_core.errors import InvalidInput
from myeloma_core.units import (
    ACCEPTED_UNITS,
    ANALYTE_LABELS,
    PLAUSIBLE_RANGES,
    UNIT_LABELS,
    Analyte,
    LabValue,
    convert,
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
        Analyte.LDH: ("U/L",),
        Analyte.FREE_LIGHT_CHAIN: ("mg/L", "mg/dL"),
        Analyte.WEIGHT: ("kg", "lb"),
        Analyte.HEIGHT: ("cm", "in"),
    }
    assert UNIT_LABELS["umol/L"] == "µmol/L"
    assert ANALYTE_LABELS[Analyte.BETA2_MICROGLOBULIN] == "β2-microglobulin"
    assert set(ANALYTE_LABELS) == set(Analyte)


def test_every_accepted_unit_has_its_label_and_its_factor() -> None:
    """Units are shown as written in the API except µmol/L; each accepted unit converts (§1)."""
    same = ("mg/L", "g/L", "g/dL", "mg/dL", "mmol/L", "U/L", "kg", "lb", "cm", "in")
    assert {unit: unit for unit in same} | {"umol/L": "µmol/L"} == UNIT_LABELS
    for analyte, units in ACCEPTED_UNITS.items():
        for unit in units:
            assert convert(analyte, 1, unit, units[0]) > 0


def test_analyte_values_are_the_api_field_names() -> None:
    assert [a.value for a in Analyte] == [
        "beta2_microglobulin",
        "albumin",
        "creatinine",
        "m_protein",
        "haemoglobin",
        "calcium",
        "ldh",
        "free_light_chain",
        "weight",
        "height",
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
        "95 g/L is not possible for albumin. Albumin must be from 10 to 60 g/L (1 to 6 g/dL)."
    )


# Each quantity in each unit: the lowest and highest plausible value pass, a hair outside is
# refused naming the unit. Bounds written by hand from the table rows and the §1 factors:
# creatinine 10–2,000 µmol/L ÷ 88.4 = 0.1131–22.624 → 0.11–22.63 mg/dL (rounded outward);
# haemoglobin 20–250 g/L = 2–25 g/dL × 0.6206 = 1.2412–15.515 → 1.24–15.52 mmol/L;
# calcium 1–6 mmol/L ÷ 0.2495 = 4.008–24.048 → 4.00–24.05 mg/dL; weight 30–250 kg ÷ 0.4536 =
# 66.138–551.146 → 66.13–551.15 lb; height 120–230 cm ÷ 2.54 = 47.244–90.551 → 47.24–90.56 in.
@pytest.mark.parametrize(
    ("analyte", "unit", "low", "high", "step"),
    [
        (Analyte.BETA2_MICROGLOBULIN, "mg/L", 0.2, 150, 0.01),
        (Analyte.ALBUMIN, "g/L", 10, 60, 0.01),
        (Analyte.ALBUMIN, "g/dL", 1, 6, 0.001),
        (Analyte.CREATININE, "umol/L", 10, 2000, 0.01),
        (Analyte.CREATININE, "mg/dL", 0.11, 22.63, 0.001),
        (Analyte.M_PROTEIN, "g/L", 0, 150, 0.01),
        (Analyte.M_PROTEIN, "g/dL", 0, 15, 0.001),
        (Analyte.HAEMOGLOBIN, "g/L", 20, 250, 0.01),
        (Analyte.HAEMOGLOBIN, "g/dL", 2, 25, 0.001),
        (Analyte.HAEMOGLOBIN, "mmol/L", 1.24, 15.52, 0.001),
        (Analyte.CALCIUM, "mmol/L", 1, 6, 0.001),
        (Analyte.CALCIUM, "mg/dL", 4, 24.05, 0.001),
        (Analyte.FREE_LIGHT_CHAIN, "mg/L", 0.1, 100_000, 0.001),
        (Analyte.FREE_LIGHT_CHAIN, "mg/dL", 0.01, 10_000, 0.001),
        (Analyte.LDH, "U/L", 20, 50_000, 0.01),
        (Analyte.WEIGHT, "kg", 30, 250, 0.01),
        (Analyte.WEIGHT, "lb", 66.13, 551.15, 0.001),
        (Analyte.HEIGHT, "cm", 120, 230, 0.01),
        (Analyte.HEIGHT, "in", 47.24, 90.56, 0.001),
    ],
)
def test_plausible_range_in_every_unit_admits_its_bounds_and_refuses_beyond(
    analyte: Analyte, unit: str, low: float, high: float, step: float
) -> None:
    assert lab_value(analyte, low, unit).value == low
    assert lab_value(analyte, high, unit).value == high
    for outside in (low - step, high + step):
        with pytest.raises(InvalidInput) as raised:
            lab_value(analyte, outside, unit)
        assert raised.value.field == analyte.value
        assert f"is not possible for {ANALYTE_LABELS[analyte]}" in raised.value.message
        assert UNIT_LABELS[unit] in raised.value.message


def test_every_quantity_has_a_plausible_range_with_its_basis() -> None:
    assert set(PLAUSIBLE_RANGES) == set(Analyte)
    for analyte, row in PLAUSIBLE_RANGES.items():
        assert row.analyte is analyte
        assert row.unit in ACCEPTED_UNITS[analyte]
        assert row.low < row.high
        assert len(row.basis) > 40


@pytest.mark.parametrize(
    ("analyte", "value", "unit"),
    [
        (Analyte.ALBUMIN, 15, "g/L"),  # nephrotic syndrome, AL amyloidosis
        (Analyte.CREATININE, 25, "umol/L"),  # a frail old woman with little muscle
        (Analyte.CREATININE, 0.28, "mg/dL"),
        (Analyte.HAEMOGLOBIN, 45, "g/L"),  # severe anaemia in myeloma
        (Analyte.HAEMOGLOBIN, 2.8, "mmol/L"),
        (Analyte.CALCIUM, 1.4, "mmol/L"),  # severe hypocalcaemia
        (Analyte.CALCIUM, 18, "mg/dL"),  # hypercalcaemic crisis
        (Analyte.BETA2_MICROGLOBULIN, 60, "mg/L"),  # kidney failure
        (Analyte.CREATININE, 1300, "umol/L"),  # cast nephropathy
        (Analyte.M_PROTEIN, 0, "g/L"),  # no measurable M-protein
        (Analyte.FREE_LIGHT_CHAIN, 0.5, "mg/L"),  # suppressed uninvolved light chain
        (Analyte.LDH, 3500, "U/L"),
    ],
)
def test_low_or_high_but_real_values_pass(analyte: Analyte, value: float, unit: str) -> None:
    assert lab_value(analyte, value, unit).value == value


def test_creatinine_2_5_umol_l_is_a_unit_mix_up_with_the_mg_dl_hint() -> None:
    """Issue 11: it gave CrCl 2,131 mL/min; 2.5 mg/dL × 88.4 = 221 µmol/L (U1)."""
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.CREATININE, 2.5, "µmol/L")
    assert raised.value.field == "creatinine"
    assert raised.value.message.startswith(
        "2.5 µmol/L is not possible for creatinine; did you mean 2.5 mg/dL (221 µmol/L)?"
    )
    assert "10 to 2000 µmol/L (0.11 to 22.63 mg/dL)" in raised.value.message


def test_albumin_3_8_g_l_is_a_unit_mix_up_with_the_g_dl_hint() -> None:
    """Issue 11: it gave ISS II; 3.8 g/dL × 10 = 38 g/L (U2)."""
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.ALBUMIN, 3.8, "g/L")
    assert raised.value.message.startswith(
        "3.8 g/L is not possible for albumin; did you mean 3.8 g/dL (38 g/L)?"
    )


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "hint"),
    [
        (Analyte.CREATININE, 25, "mg/dL", "did you mean 25 µmol/L (0.28 mg/dL)?"),
        (Analyte.HAEMOGLOBIN, 12, "g/L", "did you mean 12 g/dL (120 g/L)?"),
        (Analyte.CALCIUM, 10, "mmol/L", "did you mean 10 mg/dL (2.5 mmol/L)?"),
        (Analyte.WEIGHT, 300, "kg", "did you mean 300 lb (136.08 kg)?"),
        (Analyte.HEIGHT, 65, "cm", "did you mean 65 in (165.1 cm)?"),
    ],
)
def test_the_hint_names_the_other_unit_where_the_number_is_plausible(
    analyte: Analyte, value: float, unit: str, hint: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(analyte, value, unit)
    assert hint in raised.value.message


@pytest.mark.parametrize(
    ("value", "shown"), [(1e-300, "1e-300"), (1e300, "1e+300"), (-0.0, "-0"), (0, "0"), (-5, "-5")]
)
def test_zero_negative_and_absurd_values_are_refused_without_a_hint(
    value: float, shown: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        lab_value(Analyte.CREATININE, value, "mg/dL")
    assert raised.value.message.startswith(f"{shown} mg/dL is not possible for creatinine.")
    assert "did you mean" not in raised.value.message


def test_m_protein_may_be_zero_but_not_negative() -> None:
    assert lab_value(Analyte.M_PROTEIN, 0, "g/L").value == 0
    for value in (-0.1, -0.0):
        with pytest.raises(InvalidInput) as raised:
            lab_value(Analyte.M_PROTEIN, value, "g/dL")
        assert "from 0 to 15 g/dL" in raised.value.message


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
