"""Doses, vials, age/renal/BSA-cap rules and input validation (reference §9, §14.2, §15, §18.3).

Expected numbers are worked by hand from the reference (D1, D2, D3, L2/L3, B4), never read from the
program's output.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from myeloma_core.body import BsaFormula, CrClWeightBasis, CreatinineClearance, Sex
from myeloma_core.dosing import (
    DosingInputError,
    DosingSettings,
    Jurisdiction,
    Patient,
    VialCount,
    compute_dose,
    patient_validate,
    vial_breakdown,
)
from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import Component, RegimenSpec
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.schedule import expand

REGIMENS = Path(__file__).resolve().parents[2] / "content" / "regimens"
EU = DosingSettings()
US = DosingSettings(jurisdiction=Jurisdiction.US)


@cache
def spec(slug: str) -> RegimenSpec:
    return regimen_spec_from_dict(yaml.safe_load((REGIMENS / f"{slug}.yaml").read_text("utf-8")))


def component(slug: str, drug: str) -> Component:
    return spec(slug).component(drug)


def patient(**changes: object) -> Patient:
    values: dict[str, object] = {
        "age_years": 68,
        "sex": Sex.MALE,
        "weight_kg": 72,
        "height_cm": 178,
        "creatinine_mg_dl": 0.9,
    }
    values.update(changes)
    return Patient(**values)  # type: ignore[arg-type]


D2 = patient(age_years=61, weight_kg=85, height_cm=178, creatinine_mg_dl=0.9)


def crcl(ml_min: float) -> CreatinineClearance:
    return CreatinineClearance(
        ml_min=ml_min,
        weight_basis=CrClWeightBasis.ACTUAL,
        weight_kg_used=70,
        explanation="given",
    )


class TestVials:
    def test_d1_720_mg(self) -> None:
        # 1 × 500 + 3 × 100 = 800 mg, 80 mg discarded (8 × 100 has equal waste, more vials)
        result = vial_breakdown(720, [100, 500])
        assert result.vials == (
            VialCount(strength_mg=500, count=1),
            VialCount(strength_mg=100, count=3),
        )
        assert result.total_mg == 800
        assert result.waste_mg == 80

    def test_d2_850_mg(self) -> None:
        # 1 × 500 + 4 × 100 = 900 mg, 50 mg waste (2 × 500 would waste 150 mg)
        result = vial_breakdown(850, [500, 100])
        assert result.vials == (
            VialCount(strength_mg=500, count=1),
            VialCount(strength_mg=100, count=4),
        )
        assert (result.total_mg, result.waste_mg) == (900, 50)

    @pytest.mark.parametrize(
        "dose,expected",
        [
            (1000, ((500, 2),)),  # same total as 10 × 100: fewest vials wins
            (500, ((500, 1),)),
            (100, ((100, 1),)),
            (99.5, ((100, 1),)),
            (550, ((500, 1), (100, 1))),
            (450, ((500, 1),)),  # 500 wastes 50; 5 × 100 has the same total and more vials
        ],
    )
    def test_choices(self, dose: float, expected: tuple[tuple[int, int], ...]) -> None:
        vials = vial_breakdown(dose, [500, 100]).vials
        assert tuple((v.strength_mg, v.count) for v in vials) == expected

    def test_decimal_dose(self) -> None:
        result = vial_breakdown(723.5, [500, 100])
        assert result.total_mg == 800
        assert result.waste_mg == 76.5

    @pytest.mark.parametrize("dose", [0, -1, math.nan])
    def test_rejects_non_positive_dose(self, dose: float) -> None:
        with pytest.raises(ValueError):
            vial_breakdown(dose, [500, 100])

    @given(dose=st.floats(min_value=0.1, max_value=2500, allow_nan=False))
    def test_properties(self, dose: float) -> None:
        result = vial_breakdown(dose, [500, 100])
        assert result.total_mg >= dose
        assert result.waste_mg < 100  # smaller than the smallest vial
        assert sum(v.strength_mg * v.count for v in result.vials) == result.total_mg
        # least waste: the total is the next multiple of 100 mg; then fewest vials
        assert result.total_mg == math.ceil(round(dose, 6) / 100) * 100
        count = sum(v.count for v in result.vials)
        assert count == result.total_mg // 500 + (result.total_mg % 500) // 100


class TestIsatuximab:
    def test_d1_dose_volume_and_vials(self) -> None:
        dose = compute_dose(
            component("isa-pd", "isatuximab"), patient=patient(), cycle=1, day=1, settings=EU
        )
        assert dose.value == 720
        assert dose.unit == "mg"
        assert dose.calculation == "10 mg/kg × 72 kg"
        assert dose.volume_ml == 36.0
        assert dose.vials is not None
        assert [(v.strength_mg, v.count) for v in dose.vials.vials] == [(500, 1), (100, 3)]
        assert dose.vials.waste_mg == 80
        assert dose.rule_applied is None
        assert dose.warnings == ()
        assert ("weight", "72 kg (actual)") in dose.inputs

    def test_d2_dose_volume_and_vials(self) -> None:
        dose = compute_dose(
            component("isa-kd", "isatuximab"), patient=D2, cycle=1, day=1, settings=EU
        )
        assert dose.value == 850
        assert dose.volume_ml == 42.5
        assert dose.vials is not None
        assert [(v.strength_mg, v.count) for v in dose.vials.vials] == [(500, 1), (100, 4)]
        assert dose.vials.waste_mg == 50

    def test_dose_rounded_to_tenth_of_a_mg(self) -> None:
        # 10 × 72.36 = 723.6 mg; volume 723.6 / 20 = 36.18 → 36.2 mL
        dose = compute_dose(
            component("isa-pd", "isatuximab"),
            patient=patient(weight_kg=72.36),
            cycle=1,
            day=1,
            settings=EU,
        )
        assert dose.value == 723.6
        assert dose.volume_ml == 36.2

    def test_not_a_dosing_day(self) -> None:
        with pytest.raises(DosingInputError) as info:
            compute_dose(
                component("isa-pd", "isatuximab"), patient=patient(), cycle=2, day=8, settings=EU
            )
        assert info.value.field == "day"

    @given(
        weight=st.floats(min_value=30, max_value=249),
        extra=st.floats(min_value=0, max_value=1),
    )
    def test_dose_non_decreasing_in_weight(self, weight: float, extra: float) -> None:
        isa = component("isa-pd", "isatuximab")
        low = compute_dose(isa, patient=patient(weight_kg=weight), cycle=1, day=1, settings=EU)
        high = compute_dose(
            isa, patient=patient(weight_kg=min(weight + extra, 250)), cycle=1, day=1, settings=EU
        )
        assert high.value >= low.value


class TestCarfilzomib:
    @pytest.mark.parametrize(
        "formula,day,expected,calculation",
        [
            (BsaFormula.MOSTELLER, 1, 41.0, "20 mg/m² × 2.05 m² (Mosteller)"),
            (BsaFormula.MOSTELLER, 2, 41.0, "20 mg/m² × 2.05 m² (Mosteller)"),
            (BsaFormula.MOSTELLER, 8, 114.8, "56 mg/m² × 2.05 m² (Mosteller)"),
            (BsaFormula.DUBOIS, 1, 40.6, "20 mg/m² × 2.03 m² (DuBois)"),
            (BsaFormula.DUBOIS, 8, 113.8, "56 mg/m² × 2.03 m² (DuBois)"),
        ],
    )
    def test_worked_example_d2(
        self, formula: BsaFormula, day: int, expected: float, calculation: str
    ) -> None:
        dose = compute_dose(
            component("isa-kd", "carfilzomib"),
            patient=D2,
            cycle=1,
            day=day,
            settings=DosingSettings(bsa_formula=formula),
        )
        assert dose.value == expected
        assert dose.calculation.startswith(calculation)
        assert dose.vials is None and dose.volume_ml is None

    def test_priming_rule_is_named(self) -> None:
        dose = compute_dose(
            component("isa-kd", "carfilzomib"), patient=D2, cycle=1, day=2, settings=EU
        )
        assert dose.rule_applied == "cycle 1 days 1–2 starting dose: 20 mg/m²"
        later = compute_dose(
            component("isa-kd", "carfilzomib"), patient=D2, cycle=2, day=1, settings=EU
        )
        assert later.value == 114.8 and later.rule_applied is None

    def test_bsa_cap_2_2(self) -> None:
        # 200 cm, 120 kg: Mosteller √(24000/3600) = 2.58 m² > 2.2 ⇒ 56 × 2.2 = 123.2 mg
        big = patient(height_cm=200, weight_kg=120)
        dose = compute_dose(
            component("isa-kd", "carfilzomib"), patient=big, cycle=1, day=8, settings=EU
        )
        assert dose.value == 123.2
        assert dose.rule_applied is not None and "dosed on the cap" in dose.rule_applied
        assert dose.calculation == "56 mg/m² × 2.2 m² (BSA cap; Mosteller 2.58 m²)"
        assert any("BSA cap" in w and "Pending verification" in w for w in dose.warnings)
        priming = compute_dose(
            component("isa-kd", "carfilzomib"), patient=big, cycle=1, day=1, settings=EU
        )
        assert priming.value == 44.0  # 20 × 2.2

    @given(
        bsa=st.floats(min_value=1.2, max_value=2.2),
        extra=st.floats(min_value=0, max_value=0.5),
    )
    def test_dose_non_decreasing_in_bsa_and_flat_above_cap(self, bsa: float, extra: float) -> None:
        carfilzomib = component("isa-kd", "carfilzomib")

        def dose_at(value: float) -> float:
            return compute_dose(
                carfilzomib, patient=D2, cycle=1, day=8, settings=EU, bsa=value
            ).value

        assert dose_at(min(bsa + extra, 2.2)) >= dose_at(bsa)
        assert dose_at(2.2 + extra) == 123.2  # 56 × 2.2 at and above the cap


class TestDexamethasoneAge:
    @pytest.mark.parametrize("age,expected", [(68, 40), (74, 40), (75, 20), (76, 20)])
    def test_isa_pd_age_75_inclusive(self, age: int, expected: float) -> None:
        dose = compute_dose(
            component("isa-pd", "dexamethasone"),
            patient=patient(age_years=age),
            cycle=1,
            day=1,
            settings=EU,
        )
        assert dose.value == expected
        if age >= 75:
            assert dose.rule_applied == "age ≥ 75 years: 20 mg"
        else:
            assert dose.rule_applied is None

    @pytest.mark.parametrize("age", [61, 75, 85])
    def test_isa_kd_20_mg_at_any_age(self, age: int) -> None:
        dose = compute_dose(
            component("isa-kd", "dexamethasone"),
            patient=patient(age_years=age),
            cycle=1,
            day=1,
            settings=EU,
        )
        assert dose.value == 20 and dose.rule_applied is None

    @staticmethod
    def _dkd_dexamethasone(age: int) -> dict[tuple[int, int], float]:
        """(cycle, day) → mg of dexamethasone in the first two DKd cycles."""
        plan = expand(
            spec("dkd"), patient=patient(age_years=age), start_date=dt.date(2026, 1, 5), cycles=2
        )
        return {
            (a.cycle, a.day): a.dose.value
            for a in plan.administrations
            if a.drug == "dexamethasone"
        }

    def test_dkd_split_over_carfilzomib_days_below_75(self) -> None:
        """CANDOR/KYPROLIS: 40 mg a week — 20 mg on each carfilzomib day (D1, 2, 8, 9, 15, 16),
        40 mg on D22 (no carfilzomib); weekly totals 20 + 20 = 40 mg (P23f)."""
        expected = {}
        for cycle in (1, 2):
            expected.update({(cycle, day): 20 for day in (1, 2, 8, 9, 15, 16)})
            expected[(cycle, 22)] = 40
        assert self._dkd_dexamethasone(60) == expected

    @pytest.mark.parametrize("age", [75, 80])
    def test_dkd_20_mg_weekly_from_week_two_at_75_and_over(self, age: int) -> None:
        """§15.5 (P23f): from week 2, 20 mg once a week; week 1 keeps the 20 + 20 mg split."""
        expected = {
            (1, 1): 20,
            (1, 2): 20,
            (1, 8): 20,
            (1, 15): 20,
            (1, 22): 20,
            (2, 1): 20,
            (2, 8): 20,
            (2, 15): 20,
            (2, 22): 20,
        }
        assert self._dkd_dexamethasone(age) == expected

    def test_dkd_age_rule_is_shown_and_pending(self) -> None:
        dex = component("dkd", "dexamethasone")
        older = compute_dose(dex, patient=patient(age_years=80), cycle=1, day=22, settings=EU)
        assert older.rule_applied == "age ≥ 75 years: 20 mg"
        assert any("dexamethasone age rule" in w for w in older.warnings)
        younger = compute_dose(dex, patient=patient(age_years=60), cycle=1, day=22, settings=EU)
        assert (
            younger.rule_applied
            == "day 22 (no carfilzomib that day), the whole weekly 40 mg: 40 mg"
        )
        with pytest.raises(DosingInputError, match="not given on cycle 2 day 2"):
            compute_dose(dex, patient=patient(age_years=80), cycle=2, day=2, settings=EU)

    def test_strictly_greater_operator_is_stored_per_regimen(self) -> None:
        dex = component("drd", "dexamethasone")  # "> 75" (pending), unlike Isa-Pd's "≥ 75"
        assert (
            compute_dose(dex, patient=patient(age_years=75), cycle=1, day=1, settings=EU).value
            == 40
        )
        older = compute_dose(dex, patient=patient(age_years=76), cycle=1, day=1, settings=EU)
        assert older.value == 20
        assert older.rule_applied == "age > 75 years: 20 mg"
        assert any("Pending verification" in w for w in older.warnings)


class TestLenalidomideRenal:
    """L2 (EU) and L3 (US) bands, compared at the shown CrCl (0.1 mL/min)."""

    @pytest.mark.parametrize(
        "ml_min,eu,us",
        [
            (96.3, 25, 25),
            (60.0, 25, 25),
            (59.9, 25, 10),  # 50–60: the EU/US contradiction (§17 #3)
            (55.0, 25, 10),
            (50.0, 25, 10),
            (49.96, 25, 10),  # shown 50.0 ⇒ the ≥ 50 band
            (49.9, 10, 10),
            (30.0, 10, 10),
            (29.9, 15, 15),
            (10.0, 15, 15),
        ],
    )
    def test_bands(self, ml_min: float, eu: float, us: float) -> None:
        len_ = component("isa-vrd-gmmg-hd7", "lenalidomide")
        for settings, expected in ((EU, eu), (US, us)):
            dose = compute_dose(
                len_, patient=patient(), cycle=1, day=1, settings=settings, crcl=crcl(ml_min)
            )
            assert dose.value == expected, (settings.jurisdiction, ml_min)

    def test_warning_text_eu_moderate(self) -> None:
        dose = compute_dose(
            component("isa-vrd-gmmg-hd7", "lenalidomide"),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            crcl=crcl(45),
        )
        text = (
            "CrCl 45 mL/min (Cockcroft–Gault, actual weight):"
            " lenalidomide 10 mg once daily (EU SmPC)"
        )
        assert text in dose.warnings
        assert dose.rule_applied is not None
        assert dose.rule_applied.startswith(text)
        assert "may be increased to 15 mg after 2 cycles" in dose.rule_applied

    def test_below_30_not_on_dialysis(self) -> None:
        eu = compute_dose(
            component("isa-vrd-gmmg-hd7", "lenalidomide"),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            crcl=crcl(25),
        )
        us = compute_dose(
            component("isa-vrd-gmmg-hd7", "lenalidomide"),
            patient=patient(),
            cycle=1,
            day=1,
            settings=US,
            crcl=crcl(25),
        )
        assert eu.value == us.value == 15
        assert eu.rule_applied is not None and "15 mg every other day" in eu.rule_applied
        assert us.rule_applied is not None and "15 mg every 48 hours (US label)" in us.rule_applied

    # Not named "settings": that is pytest-django's fixture.
    @pytest.mark.parametrize("dosing_settings", [EU, US])
    @pytest.mark.parametrize("ml_min", [8.0, 45.0])
    def test_dialysis_5_mg_whatever_the_estimate(
        self, dosing_settings: DosingSettings, ml_min: float
    ) -> None:
        dose = compute_dose(
            component("isa-vrd-gmmg-hd7", "lenalidomide"),
            patient=patient(on_dialysis=True),
            cycle=1,
            day=1,
            settings=dosing_settings,
            crcl=crcl(ml_min),
        )
        assert dose.value == 5
        assert dose.rule_applied is not None
        assert dose.rule_applied.startswith("On dialysis: lenalidomide 5 mg once daily")
        assert "after dialysis" in dose.rule_applied

    def test_worked_example_d3_weight_basis_changes_the_eu_dose(self) -> None:
        # 70 y man, 175 cm, 85 kg, creatinine 1.5 mg/dL: actual weight → 55.1 mL/min → 25 mg;
        # ideal body weight → 45.7 mL/min → 10 mg (EU). US: 10 mg either way (30–60 band).
        d3 = patient(age_years=70, height_cm=175, weight_kg=85, creatinine_mg_dl=1.5)
        len_ = component("isa-vrd-gmmg-hd7", "lenalidomide")

        def dose(basis: CrClWeightBasis, jurisdiction: Jurisdiction) -> float:
            settings = DosingSettings(crcl_weight_basis=basis, jurisdiction=jurisdiction)
            return compute_dose(len_, patient=d3, cycle=1, day=1, settings=settings).value

        assert dose(CrClWeightBasis.ACTUAL, Jurisdiction.EU) == 25
        assert dose(CrClWeightBasis.IDEAL, Jurisdiction.EU) == 10
        assert dose(CrClWeightBasis.ACTUAL, Jurisdiction.US) == 10
        assert dose(CrClWeightBasis.IDEAL, Jurisdiction.US) == 10
        ideal = compute_dose(
            len_,
            patient=d3,
            cycle=1,
            day=1,
            settings=DosingSettings(crcl_weight_basis=CrClWeightBasis.IDEAL),
        )
        assert ideal.rule_applied is not None
        assert ideal.rule_applied.startswith(
            "CrCl 45.7 mL/min (Cockcroft–Gault, ideal body weight): lenalidomide 10 mg once daily"
        )


class TestPatientValidation:
    def test_valid_patient(self) -> None:
        patient_validate(patient())
        patient_validate(patient(age_years=18, weight_kg=30, height_cm=120, creatinine_mg_dl=22.6))
        patient_validate(patient(age_years=110, weight_kg=250, height_cm=230))

    @pytest.mark.parametrize(
        "changes,field,fragments",
        [
            ({"age_years": 17}, "age_years", ("18", "110")),
            ({"age_years": 111}, "age_years", ("18", "110")),
            ({"age_years": 70.5}, "age_years", ("whole number",)),
            ({"weight_kg": 29.9}, "weight_kg", ("30", "250", "kg")),
            ({"weight_kg": 251}, "weight_kg", ("30", "250", "kg")),
            ({"weight_kg": math.nan}, "weight_kg", ("kg",)),
            ({"height_cm": 119}, "height_cm", ("120", "230", "cm")),
            ({"height_cm": 231}, "height_cm", ("120", "230", "cm")),
            ({"creatinine_mg_dl": 0}, "creatinine", ("0.11", "22.63", "mg/dL")),
            ({"creatinine_mg_dl": 22.7}, "creatinine", ("0.11", "22.63", "mg/dL")),
            ({"creatinine_mg_dl": 1e-300}, "creatinine", ("1e-300 mg/dL", "10 to 2000 µmol/L")),
            ({"sex": "unknown"}, "sex", ("male", "female")),
        ],
    )
    def test_invalid(
        self, changes: dict[str, object], field: str, fragments: tuple[str, ...]
    ) -> None:
        with pytest.raises(DosingInputError) as info:
            patient_validate(patient(**changes))
        error = info.value
        assert error.field == field
        assert isinstance(error, ValueError) and isinstance(error, InvalidInput)
        for fragment in fragments:
            assert fragment in error.message
        assert field.split("_")[0] in error.message.lower()
