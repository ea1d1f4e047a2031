"""Body size and renal function (reference §9: B1, B2, K1–K3). Expected values worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myeloma_core.body import (
    BsaFormula,
    CrClWeightBasis,
    CreatinineClearance,
    Sex,
    adjusted_body_weight_kg,
    bsa_m2,
    cockcroft_gault,
    format_number,
    ideal_body_weight_kg,
    round_half_up,
)


class TestBsa:
    def test_mosteller_worked_example_d2(self) -> None:
        # D2: √(178 × 85 / 3600) = √4.2028 = 2.05 m²
        value = bsa_m2(height_cm=178, weight_kg=85, formula=BsaFormula.MOSTELLER)
        assert value == pytest.approx(math.sqrt(178 * 85 / 3600))
        assert round_half_up(value, 2) == 2.05

    def test_dubois_worked_example_d2(self) -> None:
        # D2: DuBois 2.03 m²
        value = bsa_m2(height_cm=178, weight_kg=85, formula=BsaFormula.DUBOIS)
        assert value == pytest.approx(0.007184 * 178**0.725 * 85**0.425)
        assert round_half_up(value, 2) == 2.03

    def test_formula_accepts_plain_string_value(self) -> None:
        assert bsa_m2(height_cm=178, weight_kg=85, formula="mosteller") == pytest.approx(  # type: ignore[arg-type]
            2.0500677, abs=1e-6
        )

    @pytest.mark.parametrize("height,weight", [(0, 70), (170, 0), (170, -5), (math.nan, 70)])
    def test_rejects_non_positive_inputs(self, height: float, weight: float) -> None:
        with pytest.raises(ValueError):
            bsa_m2(height_cm=height, weight_kg=weight, formula=BsaFormula.MOSTELLER)

    @given(
        height=st.floats(min_value=120, max_value=230),
        weight=st.floats(min_value=30, max_value=249),
        extra=st.floats(min_value=0.01, max_value=1),
        formula=st.sampled_from(list(BsaFormula)),
    )
    def test_bsa_increases_with_weight(
        self, height: float, weight: float, extra: float, formula: BsaFormula
    ) -> None:
        assert bsa_m2(height_cm=height, weight_kg=weight + extra, formula=formula) > bsa_m2(
            height_cm=height, weight_kg=weight, formula=formula
        )


class TestIdealAndAdjustedWeight:
    def test_devine_male(self) -> None:
        # 178 cm = 70.079 in; 50 + 2.3 × 10.079 = 73.18 kg
        assert ideal_body_weight_kg(height_cm=178, sex=Sex.MALE) == pytest.approx(73.18, abs=0.01)

    def test_devine_female(self) -> None:
        # 165 cm = 64.961 in; 45.5 + 2.3 × 4.961 = 56.91 kg
        assert ideal_body_weight_kg(height_cm=165, sex=Sex.FEMALE) == pytest.approx(56.91, abs=0.01)

    def test_devine_at_60_inches(self) -> None:
        assert ideal_body_weight_kg(height_cm=60 * 2.54, sex=Sex.MALE) == pytest.approx(50.0)
        assert ideal_body_weight_kg(height_cm=60 * 2.54, sex=Sex.FEMALE) == pytest.approx(45.5)

    def test_adjusted_weight(self) -> None:
        # IBW 73.18 + 0.4 × (100 − 73.18) = 83.91 kg
        value = adjusted_body_weight_kg(height_cm=178, sex=Sex.MALE, weight_kg=100)
        assert value == pytest.approx(83.91, abs=0.01)


class TestCockcroftGault:
    def test_case_5(self) -> None:
        # Case 5: (140 − 75) × 78 / (72 × 2.4) = 5070 / 172.8 = 29.3 mL/min
        crcl = cockcroft_gault(
            age_years=75,
            sex=Sex.MALE,
            weight_kg=78,
            height_cm=175,
            creatinine_mg_dl=2.4,
            weight_basis=CrClWeightBasis.ACTUAL,
        )
        assert crcl.ml_min == pytest.approx(5070 / 172.8)
        assert crcl.ml_min_rounded == 29.3
        assert crcl.formula == "cockcroft-gault"
        assert crcl.weight_basis is CrClWeightBasis.ACTUAL
        assert crcl.weight_kg_used == 78
        assert "(140 − 75) × 78 kg (actual weight) / (72 × 2.4 mg/dL)" in crcl.explanation
        assert crcl.explanation.endswith("= 29.3 mL/min")

    def test_female_factor(self) -> None:
        # (140 − 66) × 60 / (72 × 0.85) = 72.55; × 0.85 = 61.67 mL/min
        crcl = cockcroft_gault(
            age_years=66,
            sex=Sex.FEMALE,
            weight_kg=60,
            height_cm=160,
            creatinine_mg_dl=0.85,
            weight_basis=CrClWeightBasis.ACTUAL,
        )
        assert crcl.ml_min == pytest.approx(61.67, abs=0.01)
        assert "× 0.85 (female)" in crcl.explanation

    def test_worked_example_d3_actual_vs_ideal_weight(self) -> None:
        # D3 idea: 70 y man, 175 cm, 85 kg, creatinine 1.5 mg/dL.
        # Actual: 70 × 85 / 108 = 55.1 mL/min. IBW = 50 + 2.3 × (68.898 − 60) = 70.46 kg:
        # 70 × 70.46 / 108 = 45.7 mL/min.
        def d3(basis: CrClWeightBasis) -> CreatinineClearance:
            return cockcroft_gault(
                age_years=70,
                sex=Sex.MALE,
                weight_kg=85,
                height_cm=175,
                creatinine_mg_dl=1.5,
                weight_basis=basis,
            )

        actual = d3(CrClWeightBasis.ACTUAL)
        ideal = d3(CrClWeightBasis.IDEAL)
        assert actual.ml_min_rounded == 55.1
        assert ideal.ml_min_rounded == 45.7
        assert ideal.weight_kg_used == pytest.approx(70.46, abs=0.01)
        assert "ideal body weight" in ideal.explanation

    def test_lower_of_actual_and_ideal(self) -> None:
        heavy = cockcroft_gault(
            age_years=70,
            sex=Sex.MALE,
            weight_kg=85,
            height_cm=175,
            creatinine_mg_dl=1.5,
            weight_basis=CrClWeightBasis.LOWER_OF_ACTUAL_AND_IDEAL,
        )
        light = cockcroft_gault(
            age_years=70,
            sex=Sex.MALE,
            weight_kg=55,
            height_cm=175,
            creatinine_mg_dl=1.5,
            weight_basis=CrClWeightBasis.LOWER_OF_ACTUAL_AND_IDEAL,
        )
        assert heavy.weight_kg_used == pytest.approx(70.46, abs=0.01)
        assert light.weight_kg_used == 55

    def test_adjusted_weight_basis(self) -> None:
        crcl = cockcroft_gault(
            age_years=70,
            sex=Sex.MALE,
            weight_kg=100,
            height_cm=178,
            creatinine_mg_dl=1.0,
            weight_basis=CrClWeightBasis.ADJUSTED,
        )
        # 70 × 83.91 / 72 = 81.6 mL/min
        assert crcl.weight_kg_used == pytest.approx(83.91, abs=0.01)
        assert crcl.ml_min == pytest.approx(81.58, abs=0.02)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"creatinine_mg_dl": 0},
            {"creatinine_mg_dl": -1},
            {"weight_kg": 0},
            {"age_years": 140},
            {"age_years": math.inf},
        ],
    )
    def test_rejects_impossible_inputs(self, kwargs: dict[str, float]) -> None:
        base: dict[str, float] = {
            "age_years": 60,
            "weight_kg": 70,
            "height_cm": 170,
            "creatinine_mg_dl": 1.0,
        }
        base.update(kwargs)
        with pytest.raises(ValueError):
            cockcroft_gault(sex=Sex.MALE, weight_basis=CrClWeightBasis.ACTUAL, **base)


class TestRounding:
    @pytest.mark.parametrize(
        "value,places,expected",
        [(2.675, 2, 2.68), (41.05, 1, 41.1), (113.75, 1, 113.8), (29.34, 1, 29.3), (0.05, 1, 0.1)],
    )
    def test_round_half_up_on_the_written_number(
        self, value: float, places: int, expected: float
    ) -> None:
        assert round_half_up(value, places) == expected

    @pytest.mark.parametrize(
        "value,expected", [(720.0, "720"), (114.8, "114.8"), (2.05, "2.05"), (0, "0"), (7.5, "7.5")]
    )
    def test_format_number(self, value: float, expected: str) -> None:
        assert format_number(value) == expected
