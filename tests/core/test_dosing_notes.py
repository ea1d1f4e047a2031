"""Dosing texts a clinician reads that a mutant could invert (issue 18): the pending-verification
warnings of age and renal rules, the unrounded-BSA note, and vial breakdowns from three strengths.
Numbers are worked by hand from domain reference §8 (C6, X6, B3, L2, §15.5)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from myeloma_core.body import CrClWeightBasis, CreatinineClearance, Sex
from myeloma_core.dosing import (
    DosingInputError,
    DosingSettings,
    Patient,
    VialCount,
    compute_dose,
    creatinine_age_warning,
    creatinine_measured_on_check,
    patient_validate,
    vial_breakdown,
)
from myeloma_core.regimen import Component, DoseBasis
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.vocabulary import Verification

REGIMENS = Path(__file__).resolve().parents[2] / "content" / "regimens"
EU = DosingSettings()
NOTE = "recalled, not verified"


def component(slug: str, drug: str) -> Component:
    data = yaml.safe_load((REGIMENS / f"{slug}.yaml").read_text("utf-8"))
    return regimen_spec_from_dict(data).component(drug)


def patient(age_years: int = 68) -> Patient:
    return Patient(
        age_years=age_years, sex=Sex.MALE, weight_kg=72, height_cm=178, creatinine_mg_dl=0.9
    )


def crcl(ml_min: float) -> CreatinineClearance:
    return CreatinineClearance(
        ml_min=ml_min, weight_basis=CrClWeightBasis.ACTUAL, weight_kg_used=72, explanation="given"
    )


def with_age_rule(verification: Verification) -> Component:
    """Isa-Pd dexamethasone: 40 mg, 20 mg from 75 years (X12, §15.5)."""
    dex = component("isa-pd", "dexamethasone")
    assert dex.age_rule is not None
    return replace(
        dex, age_rule=replace(dex.age_rule, verification=verification, verification_note=NOTE)
    )


def with_renal_rule(verification: Verification) -> Component:
    """DRd lenalidomide: 25 mg, 10 mg once daily for CrCl 30–< 50 mL/min (EU, L2)."""
    lenalidomide = component("drd", "lenalidomide")
    assert lenalidomide.renal_rule is not None
    rule = lenalidomide.renal_rule
    jurisdictions = tuple(
        replace(item, verification=verification, verification_note=NOTE)
        for item in rule.jurisdictions
    )
    return replace(
        lenalidomide,
        verification=Verification.VERIFIED,
        renal_rule=replace(rule, jurisdictions=jurisdictions),
    )


def pending_warnings(warnings: tuple[str, ...]) -> list[str]:
    return [warning for warning in warnings if warning.startswith("Pending verification")]


class TestAgeRuleVerification:
    def test_pending_age_rule_that_applies_is_labelled(self) -> None:
        dose = compute_dose(
            with_age_rule(Verification.PENDING), patient=patient(76), cycle=1, day=1, settings=EU
        )
        assert dose.value == 20
        assert f"Pending verification — dexamethasone age rule: {NOTE}" in dose.warnings

    def test_verified_age_rule_is_not_labelled(self) -> None:
        dose = compute_dose(
            with_age_rule(Verification.VERIFIED), patient=patient(76), cycle=1, day=1, settings=EU
        )
        assert dose.value == 20
        assert not any("age rule" in warning for warning in pending_warnings(dose.warnings))

    def test_pending_age_rule_that_does_not_apply_is_not_labelled(self) -> None:
        dose = compute_dose(
            with_age_rule(Verification.PENDING), patient=patient(60), cycle=1, day=1, settings=EU
        )
        assert dose.value == 40
        assert not any("age rule" in warning for warning in pending_warnings(dose.warnings))


class TestRenalRuleVerification:
    def test_pending_renal_rule_that_adjusts_is_labelled(self) -> None:
        dose = compute_dose(
            with_renal_rule(Verification.PENDING),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            crcl=crcl(40),
        )
        assert dose.value == 10
        assert pending_warnings(dose.warnings) == [
            f"Pending verification — lenalidomide renal rule: {NOTE}"
        ]

    def test_verified_renal_rule_is_not_labelled(self) -> None:
        dose = compute_dose(
            with_renal_rule(Verification.VERIFIED),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            crcl=crcl(40),
        )
        assert dose.value == 10
        assert pending_warnings(dose.warnings) == []


class TestUnroundedBsaNote:
    """Bortezomib 1.3 mg/m² (PVd), dose to 0.1 mg, BSA shown to 0.01 m² (B3, C6)."""

    def test_note_when_the_shown_bsa_would_give_another_dose(self) -> None:
        # 1.3 × 1.9618 = 2.550 → 2.6 mg; 1.3 × 1.96 (shown) = 2.548 → 2.5 mg.
        dose = compute_dose(
            component("pvd", "bortezomib"),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            bsa=1.9618,
        )
        assert dose.value == 2.6
        assert dose.calculation.startswith("1.3 mg/m² × 1.96 m² (")
        assert dose.calculation.endswith(") — unrounded BSA 1.9618 m² used")

    def test_no_note_when_the_shown_bsa_gives_the_same_dose(self) -> None:
        # 1.3 × 1.96 = 2.548 → 2.5 mg either way.
        dose = compute_dose(
            component("pvd", "bortezomib"), patient=patient(), cycle=1, day=1, settings=EU, bsa=1.96
        )
        assert dose.value == 2.5
        assert "unrounded" not in dose.calculation


class TestThreeVialStrengths:
    def test_smallest_strength_tops_up(self) -> None:
        # 530 mg from 500/100/20 mg: totals are multiples of 20, so 540 mg is the least; of the
        # ways to make 540, 1 × 500 + 2 × 20 uses the fewest vials (3); 10 mg discarded.
        result = vial_breakdown(530, [100, 20, 500])
        assert result.vials == (
            VialCount(strength_mg=500, count=1),
            VialCount(strength_mg=20, count=2),
        )
        assert (result.total_mg, result.waste_mg) == (540, 10)

    def test_exact_total_with_the_fewest_vials(self) -> None:
        # 620 mg from 500/100/40 mg: 1 × 500 + 3 × 40 = 620 mg exactly (4 vials; 5 × 100 + 3 × 40
        # is also exact but takes 8), so nothing is discarded.
        result = vial_breakdown(620, [500, 100, 40])
        assert result.vials == (
            VialCount(strength_mg=500, count=1),
            VialCount(strength_mg=40, count=3),
        )
        assert (result.total_mg, result.waste_mg) == (620, 0)


class TestCreatinineDate:
    """K1: the creatinine that sets renal bands must be recent at cycle 1 day 1 (site limit)."""

    def test_a_future_measurement_date_is_refused(self) -> None:
        with pytest.raises(DosingInputError) as refused:
            creatinine_measured_on_check(dt.date(2026, 3, 2), today=dt.date(2026, 3, 1))
        assert refused.value.field == "measured_on"
        assert refused.value.message == (
            "The creatinine measurement date 2026-03-02 is in the future (today is 2026-03-01); "
            "enter the date the blood was taken."
        )

    def test_today_is_accepted(self) -> None:
        today = dt.date(2026, 3, 1)
        assert creatinine_measured_on_check(today, today=today) == today

    def test_unknown_date_is_never_taken_as_recent(self) -> None:
        assert creatinine_age_warning(None, first_dose=dt.date(2026, 3, 1), max_age_days=14) == (
            "The date the creatinine was measured is not given: check that it is no older than "
            "14 days at cycle 1 day 1 before using the creatinine clearance."
        )

    def test_exactly_at_the_limit_is_recent(self) -> None:
        # 2026-02-15 → 2026-03-01 is 14 days (February 2026 has 28 days).
        warning = creatinine_age_warning(
            dt.date(2026, 2, 15), first_dose=dt.date(2026, 3, 1), max_age_days=14
        )
        assert warning is None

    def test_one_day_over_the_limit_warns_with_the_dates(self) -> None:
        # 2026-02-14 → 2026-03-01 is 15 days.
        warning = creatinine_age_warning(
            dt.date(2026, 2, 14), first_dose=dt.date(2026, 3, 1), max_age_days=14
        )
        assert warning == (
            "The creatinine was measured on 2026-02-14, 15 days before cycle 1 day 1 (2026-03-01): "
            "older than this site's limit of 14 days. Repeat it before dosing — the creatinine "
            "clearance and the doses that depend on it may no longer hold."
        )


class TestVialInputs:
    """X6 vial arithmetic refuses inputs content validation should never let through."""

    def test_a_1_mg_strength_is_a_valid_strength(self) -> None:
        # 3 mg from 1 mg units: 3 × 1, nothing discarded.
        result = vial_breakdown(3, [1])
        assert result.vials == (VialCount(strength_mg=1, count=3),)
        assert (result.total_mg, result.waste_mg) == (3, 0)

    @pytest.mark.parametrize("dose", [0, -5])
    def test_a_dose_that_is_not_positive_is_refused(self, dose: float) -> None:
        with pytest.raises(ValueError, match=r"^dose_mg must be a positive number \(got "):
            vial_breakdown(dose, [100])

    @pytest.mark.parametrize("strengths", [[], [0], [100, 0], [100, -20]])
    def test_strengths_must_be_listed_and_positive(self, strengths: list[float]) -> None:
        with pytest.raises(ValueError, match=r"^strengths_mg must list positive vial strengths$"):
            vial_breakdown(100, strengths)

    @pytest.mark.parametrize("dose", [True, math.nan, math.inf])
    def test_a_dose_that_is_not_a_finite_number_is_refused(self, dose: float) -> None:
        with pytest.raises(ValueError, match=r"^dose_mg must be a positive number"):
            vial_breakdown(dose, [100])

    def test_whole_milligrams_stay_whole_numbers(self) -> None:
        # 720 mg from 500/100 mg (X6, D1): 800 mg, 80 mg discarded, as whole numbers in the API.
        result = vial_breakdown(720, [500, 100])
        assert (result.total_mg, result.waste_mg) == (800, 80)
        assert (type(result.total_mg), type(result.waste_mg)) == (int, int)


def test_on_dialysis_must_be_true_or_false() -> None:
    undecided = replace(patient(), on_dialysis="yes")  # type: ignore[arg-type]
    with pytest.raises(DosingInputError) as refused:
        patient_validate(undecided)
    assert (refused.value.field, refused.value.message) == (
        "on_dialysis",
        "on_dialysis must be true or false",
    )


def test_pending_rule_without_a_note_is_still_labelled() -> None:
    dex = with_age_rule(Verification.PENDING)
    assert dex.age_rule is not None
    silent = replace(dex, age_rule=replace(dex.age_rule, verification_note=""))
    dose = compute_dose(silent, patient=patient(76), cycle=1, day=1, settings=EU)
    assert "Pending verification — dexamethasone age rule" in dose.warnings


class TestWhatTheClinicianReads:
    """The inputs, calculation and warnings shown beside a dose (C6), worked by hand."""

    def test_fixed_dose_names_its_inputs_and_calculation(self) -> None:
        # Isa-Pd dexamethasone 40 mg at 68 years: the age rule (≥ 75) is read but does not apply.
        dose = compute_dose(
            component("isa-pd", "dexamethasone"), patient=patient(68), cycle=1, day=1, settings=EU
        )
        assert (dose.drug, dose.basis, dose.amount, dose.value) == (
            "dexamethasone",
            DoseBasis.FIXED_MG,
            40,
            40,
        )
        assert dose.calculation == "40 mg (fixed dose)"
        assert dose.inputs == (("age", "68 years"),)

    def test_mg_per_m2_names_height_weight_and_bsa(self) -> None:
        # Bortezomib 1.3 mg/m² × 1.96 m² = 2.548 → 2.5 mg.
        dose = compute_dose(
            component("pvd", "bortezomib"), patient=patient(), cycle=1, day=1, settings=EU, bsa=1.96
        )
        assert dose.inputs == (
            ("height", "178 cm"),
            ("weight", "72 kg"),
            ("BSA", "1.96 m² (Mosteller)"),
        )
        assert dose.calculation == "1.3 mg/m² × 1.96 m² (Mosteller)"

    def test_bsa_exactly_at_the_cap_is_not_capped(self) -> None:
        # Isa-Kd carfilzomib C1D1 20 mg/m², cap 2.2 m² (B4): 20 × 2.2 = 44 mg, no cap note.
        dose = compute_dose(
            component("isa-kd", "carfilzomib"),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            bsa=2.2,
        )
        assert dose.value == 44
        assert not any("cap" in warning for warning in dose.warnings)

    def test_bsa_above_the_cap_is_dosed_on_the_cap_and_the_pending_cap_labelled(self) -> None:
        dose = compute_dose(
            component("isa-kd", "carfilzomib"),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            bsa=2.21,
        )
        assert dose.value == 44
        assert "carfilzomib: BSA 2.21 m² above 2.2 m²: dosed on the cap (B4)" in dose.warnings
        cap_notes = [
            w for w in dose.warnings if w.startswith("Pending verification — carfilzomib BSA cap")
        ]
        assert len(cap_notes) == 1
        assert cap_notes[0].startswith("Pending verification — carfilzomib BSA cap: ")

    def test_dialysis_band_names_renal_function_and_the_pending_component(self) -> None:
        # DRd lenalidomide on dialysis: 5 mg once daily, after dialysis on dialysis days (L2).
        dose = compute_dose(
            component("drd", "lenalidomide"),
            patient=replace(patient(), on_dialysis=True),
            cycle=1,
            day=1,
            settings=EU,
            crcl=crcl(10),
        )
        assert dose.value == 5
        assert ("renal function", "on dialysis") in dose.inputs
        assert dose.rule_applied is not None
        assert "lenalidomide 5 mg once daily" in dose.rule_applied
        assert dose.rule_applied.endswith(" — on dialysis days give the dose after dialysis")
        assert any(
            w.startswith("Pending verification — lenalidomide: ") and "not confirmed" in w
            for w in dose.warnings
        )

    def test_crcl_is_named_with_its_formula(self) -> None:
        dose = compute_dose(
            with_renal_rule(Verification.VERIFIED),
            patient=patient(),
            cycle=1,
            day=1,
            settings=EU,
            crcl=crcl(40),
        )
        assert ("CrCl", "40 mL/min (Cockcroft–Gault)") in dose.inputs
