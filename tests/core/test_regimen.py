"""RegimenSpec reading, validation paths and round trip (architecture §2; reference §14–§16)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from myeloma_core.regimen import (
    AgeOperator,
    DoseBasis,
    Frequency,
    InfusionStep,
    Jurisdiction,
    NumberRange,
    RegimenContentError,
    RegimenSpec,
    Route,
    infusion_minutes,
)
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.regimen_serialise import regimen_spec_to_dict
from myeloma_core.vocabulary import Verification


def minimal() -> dict[str, Any]:
    """A small, valid two-drug regimen written for these tests (not shipped content)."""
    return {
        "slug": "test-regimen",
        "name": "Test regimen",
        "indication": "tests only",
        "source": "test",
        "author": "tests",
        "checker": None,
        "verification": "verified",
        "cycle_rules": [
            {"cycles": [1, 4], "length_days": 42},
            {"cycles": [5, None], "length_days": 28},
        ],
        "max_cycles": None,
        "components": [
            {
                "drug": "isatuximab",
                "route": "iv",
                "dose": {"basis": "mg_per_kg", "amount": 10},
                "schedule": [
                    {"cycles": [1, 1], "days": [1, 8, 15, 22, 29]},
                    {"cycles": [2, None], "days": [1, 15]},
                ],
                "patient_instructions": "drip",
                "source": "X10",
                "verification": "verified",
            },
            {
                "drug": "dexamethasone",
                "route": {"default": "po", "on_days_with": ["isatuximab"], "route": "iv"},
                "dose": {"basis": "fixed_mg", "amount": 40},
                "schedule": [{"cycles": [1, None], "days": ["1-4", 8]}],
                "age_rule": {
                    "operator": ">=",
                    "years": 75,
                    "amount": 20,
                    "source": "X12",
                    "verification": "verified",
                },
                "patient_instructions": "tablets",
                "source": "X12",
                "verification": "verified",
            },
        ],
    }


def bortezomib_component(days: list[Any]) -> dict[str, Any]:
    return {
        "drug": "bortezomib",
        "route": "sc",
        "dose": {"basis": "mg_per_m2", "amount": 1.3},
        "schedule": [{"cycles": [1, None], "days": days}],
        "min_interval_hours": 72,
        "patient_instructions": "injection",
        "source": "V1",
        "verification": "verified",
    }


def renal_rule() -> dict[str, Any]:
    bands = [
        {"crcl_min": 50, "crcl_max": None, "amount": 25, "text": "25 mg"},
        {"crcl_min": 30, "crcl_max": 50, "amount": 10, "text": "10 mg"},
        {
            "crcl_min": None,
            "crcl_max": 30,
            "amount": 15,
            "frequency": "every_other_day",
            "text": "15 mg every other day",
        },
        {"dialysis": True, "amount": 5, "text": "5 mg", "note": "after dialysis"},
    ]
    return {
        "rule": "L2/L3",
        "jurisdictions": {
            "eu": {
                "label": "EU",
                "source": "L2",
                "verification": "verified",
                "bands": copy.deepcopy(bands),
            },
            "us": {
                "label": "US",
                "source": "L3",
                "verification": "verified",
                "bands": copy.deepcopy(bands),
            },
        },
    }


def lenalidomide_component() -> dict[str, Any]:
    return {
        "drug": "lenalidomide",
        "route": "po",
        "dose": {"basis": "fixed_mg", "amount": 25},
        "schedule": [{"cycles": [1, None], "days": ["1-14", "22-28"]}],
        "renal_rule": renal_rule(),
        "patient_instructions": "capsules",
        "source": "L1",
        "verification": "verified",
    }


def expect_error(data: dict[str, Any], path: str, fragment: str = "") -> RegimenContentError:
    with pytest.raises(RegimenContentError) as info:
        regimen_spec_from_dict(data)
    assert info.value.path == path, str(info.value)
    assert fragment in info.value.message
    return info.value


class TestReading:
    def test_minimal_spec(self) -> None:
        spec = regimen_spec_from_dict(minimal())
        assert isinstance(spec, RegimenSpec)
        assert spec.drugs == ("isatuximab", "dexamethasone")
        assert spec.cycle_length(1) == 42
        assert spec.cycle_length(4) == 42
        assert spec.cycle_length(5) == 28
        assert spec.cycle_length(60) == 28
        isa = spec.component("isatuximab")
        assert isa.days_for_cycle(1) == (1, 8, 15, 22, 29)
        assert isa.days_for_cycle(2) == (1, 15)
        assert isa.dose.basis is DoseBasis.MG_PER_KG
        dex = spec.component("dexamethasone")
        assert dex.days_for_cycle(3) == (1, 2, 3, 4, 8)
        assert dex.route is Route.PO
        assert dex.route_rule is not None and dex.route_rule.route is Route.IV
        assert dex.age_rule is not None and dex.age_rule.operator is AgeOperator.GE

    def test_day_ranges_accept_en_dash(self) -> None:
        data = minimal()
        data["components"][1]["schedule"][0]["days"] = ["1–21"]
        spec = regimen_spec_from_dict(data)
        assert spec.component("dexamethasone").days_for_cycle(1) == tuple(range(1, 22))

    def test_renal_rule_reads_both_jurisdictions(self) -> None:
        data = minimal()
        data["components"].append(lenalidomide_component())
        rule = regimen_spec_from_dict(data).component("lenalidomide").renal_rule
        assert rule is not None
        eu = rule.for_jurisdiction(Jurisdiction.EU)
        band = eu.band_for(crcl_ml_min=29.9, on_dialysis=False)
        assert band.amount == 15 and band.frequency is Frequency.EVERY_OTHER_DAY
        assert eu.band_for(crcl_ml_min=30, on_dialysis=False).amount == 10
        assert eu.band_for(crcl_ml_min=50, on_dialysis=False).amount == 25
        assert eu.band_for(crcl_ml_min=80, on_dialysis=True).amount == 5

    def test_number_range(self) -> None:
        assert NumberRange(first=2, last=4).contains(4)
        assert not NumberRange(first=2, last=4).contains(5)
        assert NumberRange(first=18, last=None).contains(400)
        assert NumberRange(first=5, last=17).label == "C5–17"
        assert NumberRange(first=18, last=None).label == "C18+"
        assert NumberRange(first=1, last=1).label == "C1"


class TestRoundTrip:
    def test_round_trip(self) -> None:
        data = minimal()
        data["components"].append(lenalidomide_component())
        data["components"].append(bortezomib_component([1, 4, 8, 11]))
        spec = regimen_spec_from_dict(data)
        out = regimen_spec_to_dict(spec)
        assert regimen_spec_from_dict(out) == spec
        assert regimen_spec_to_dict(regimen_spec_from_dict(out)) == out
        json.dumps(out)  # JSON-ready for RegimenVersion.definition

    def test_days_written_canonically(self) -> None:
        data = minimal()
        data["components"][1]["schedule"][0]["days"] = [8, 1, 2, 3, 4, 10, 11]
        out = regimen_spec_to_dict(regimen_spec_from_dict(data))
        assert out["components"][1]["schedule"][0]["days"] == ["1-4", 8, 10, 11]

    def test_integers_stay_integers(self) -> None:
        data = minimal()
        data["components"][0]["dose"]["amount"] = 10.0
        out = regimen_spec_to_dict(regimen_spec_from_dict(data))
        assert out["components"][0]["dose"]["amount"] == 10
        assert isinstance(out["components"][0]["dose"]["amount"], int)


Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


class TestValidation:
    @pytest.mark.parametrize(
        "mutate,path,fragment",
        [
            (_set(["slug"], "Isa PD"), "slug", "lower-case"),
            (_set(["verification"], "checked"), "verification", '"verified"'),
            (_set(["components", 0, "route"], "oral"), "components[0].route", '"po"'),
            (
                _set(["components", 1, "schedule", 0, "cycles"], [3, 1]),
                "components[1].schedule[0].cycles",
                "before first",
            ),
            (
                _set(["components", 0, "schedule", 1, "cycles"], [1, None]),
                "components[0].schedule[1].cycles",
                "overlaps",
            ),
            (
                _set(["components", 0, "schedule", 1, "days"], [1, 29]),
                "components[0].schedule[1].days",
                "beyond the cycle length (28 days)",
            ),
            (
                _set(["components", 1, "schedule", 0, "days"], [1, 2, 2]),
                "components[1].schedule[0].days",
                "listed twice",
            ),
            (
                _set(["components", 1, "schedule", 0, "days"], ["21-1"]),
                "components[1].schedule[0].days[0]",
                "invalid day range",
            ),
            (
                _set(["components", 1, "drug"], "Dexamethasone"),
                "components[1].drug",
                "lower-case INN",
            ),
            (_set(["components", 1, "drug"], "isatuximab"), "components[1].drug", "listed twice"),
            (_set(["components", 0, "colour"], "red"), "components[0]", "unknown key(s): colour"),
            (
                _set(["cycle_rules", 1, "cycles"], [6, None]),
                "cycle_rules[1].cycles",
                "contiguous",
            ),
            (
                _set(["cycle_rules", 1, "cycles"], [5, 10]),
                "max_cycles",
                "must be set",
            ),
            (
                _set(["components", 1, "verification"], "pending"),
                "components[1].verification_note",
                "required when verification is pending",
            ),
            (
                _set(["components", 0, "dose", "amount"], 0),
                "components[0].dose.amount",
                "> 0",
            ),
            (
                _set(["components", 1, "route", "on_days_with"], ["carfilzomib"]),
                "components[1].route.on_days_with",
                "carfilzomib",
            ),
            (
                _set(
                    ["order_on_shared_days"],
                    {
                        "drugs": ["dexamethasone", "carfilzomib"],
                        "source": "x",
                        "verification": "verified",
                    },
                ),
                "order_on_shared_days.drugs",
                "distinct drugs of this regimen",
            ),
            (
                _set(
                    ["milestones"],
                    [{"after_cycle": 0, "label": "x", "source": "x", "verification": "verified"}],
                ),
                "milestones[0].after_cycle",
                "≥ 1",
            ),
            (
                _set(["components", 1, "age_rule", "operator"], "=>"),
                "components[1].age_rule.operator",
                '">="',
            ),
        ],
    )
    def test_error_paths(self, mutate: Mutation, path: str, fragment: str) -> None:
        data = minimal()
        mutate(data)
        expect_error(data, path, fragment)

    def test_not_a_mapping(self) -> None:
        with pytest.raises(RegimenContentError):
            regimen_spec_from_dict([])  # type: ignore[arg-type]

    def test_verified_regimen_cannot_hold_pending_component(self) -> None:
        data = minimal()
        data["components"][1]["verification"] = "pending"
        data["components"][1]["verification_note"] = "days unconfirmed"
        expect_error(data, "components[1].verification", "pending component")
        data["verification"] = "pending"
        data["verification_note"] = "partner drugs pending"
        assert regimen_spec_from_dict(data).verification is Verification.PENDING

    def test_fixed_length_regimen(self) -> None:
        data = minimal()
        data["cycle_rules"] = [{"cycles": [1, 3], "length_days": 42}]
        data["max_cycles"] = 3
        data["components"][0]["schedule"][1]["cycles"] = [2, 3]
        assert regimen_spec_from_dict(data).max_cycles == 3
        data["components"][0]["schedule"].append({"cycles": [4, None], "days": [1]})
        expect_error(data, "components[0].schedule[2].cycles", "after the last cycle")

    def test_dose_override_must_hit_dosing_days(self) -> None:
        data = minimal()
        data["components"][0]["dose_overrides"] = [
            {"cycles": [1, 1], "days": [2], "amount": 5, "label": "priming"}
        ]
        expect_error(data, "components[0].dose_overrides[0].days", "not dosing days")

    def test_age_rule_and_override_cannot_be_combined(self) -> None:
        data = minimal()
        data["components"][1]["dose_overrides"] = [
            {"cycles": [1, 1], "days": [1], "amount": 20, "label": "x"}
        ]
        expect_error(data, "components[1]", "cannot be combined")

    def test_bortezomib_needs_72_hours(self) -> None:
        data = minimal()
        component = bortezomib_component([1, 4, 8, 11])
        del component["min_interval_hours"]
        data["components"].append(component)
        expect_error(data, "components[2].min_interval_hours", "72")

    def test_bortezomib_days_too_close(self) -> None:
        data = minimal()
        data["components"].append(bortezomib_component([1, 3, 8]))
        expect_error(data, "components[2].schedule[0].days", "72 h")

    def test_renal_bands_must_be_contiguous(self) -> None:
        data = minimal()
        component = lenalidomide_component()
        component["renal_rule"]["jurisdictions"]["us"]["bands"][1]["crcl_min"] = 35
        data["components"].append(component)
        expect_error(data, "components[2].renal_rule.jurisdictions.us.bands", "contiguous")

    def test_renal_rule_needs_dialysis_band(self) -> None:
        data = minimal()
        component = lenalidomide_component()
        del component["renal_rule"]["jurisdictions"]["eu"]["bands"][3]
        data["components"].append(component)
        expect_error(data, "components[2].renal_rule.jurisdictions.eu.bands", "dialysis")

    def test_renal_rule_needs_every_jurisdiction(self) -> None:
        data = minimal()
        component = lenalidomide_component()
        del component["renal_rule"]["jurisdictions"]["us"]
        data["components"].append(component)
        expect_error(data, "components[2].renal_rule.jurisdictions.us", "required")

    def test_renal_amount_above_standard_dose(self) -> None:
        data = minimal()
        component = lenalidomide_component()
        component["renal_rule"]["jurisdictions"]["eu"]["bands"][1]["amount"] = 30
        data["components"].append(component)
        expect_error(
            data, "components[2].renal_rule.jurisdictions.eu.bands[1].amount", "above the standard"
        )

    def test_bsa_cap_needs_mg_per_m2(self) -> None:
        data = minimal()
        data["components"][0]["bsa_cap"] = {"m2": 2.2, "source": "B4", "verification": "verified"}
        expect_error(data, "components[0].bsa_cap", "mg_per_m2")

    def test_presentations_must_match_concentration(self) -> None:
        data = minimal()
        data["components"][0]["concentration_mg_ml"] = 20
        data["components"][0]["presentations"] = {
            "form": "vial",
            "strengths": [{"mg": 500, "ml": 25}, {"mg": 100, "ml": 10}],
            "source": "X1",
            "verification": "verified",
        }
        expect_error(data, "components[0].presentations.strengths[1]", "concentration")

    def test_infusion_steps_must_give_the_total(self) -> None:
        data = minimal()
        data["components"][0]["number_infusions"] = True
        data["components"][0]["infusion"] = {
            "volume_ml": 250,
            "diluent": "saline",
            "source": "X22",
            "verification": "verified",
            "steps_source": "X23",
            "steps_verification": "pending",
            "by_infusion": [
                {
                    "infusions": [1, None],
                    "total_minutes": 60,
                    "steps": [{"rate_ml_h": 200, "minutes": None}],
                }
            ],
        }
        expect_error(data, "components[0].infusion.by_infusion[0].steps", "75.00 min")

    def test_backbone_steroid_must_be_in_regimen(self) -> None:
        data = minimal()
        data["components"][0]["premedication"] = {
            "timing": "before",
            "backbone_steroid": "prednisolone",
            "source": "X12",
            "verification": "verified",
            "items": [],
        }
        expect_error(data, "components[0].premedication.backbone_steroid", "prednisolone")


class TestInfusionArithmetic:
    """§18.3 infusion-time check: X23 steps give the X22 totals for 250 mL."""

    def test_first_infusion_200_minutes(self) -> None:
        steps = [
            InfusionStep(rate_ml_h=25, minutes=60),
            InfusionStep(rate_ml_h=50, minutes=30),
            InfusionStep(rate_ml_h=75, minutes=30),
            InfusionStep(rate_ml_h=100, minutes=30),
            InfusionStep(rate_ml_h=125, minutes=30),
            InfusionStep(rate_ml_h=150, minutes=None),
        ]
        assert infusion_minutes(volume_ml=250, steps=steps) == pytest.approx(200)

    def test_second_infusion_112_5_minutes(self) -> None:
        steps = [
            InfusionStep(rate_ml_h=50, minutes=30),
            InfusionStep(rate_ml_h=100, minutes=30),
            InfusionStep(rate_ml_h=200, minutes=None),
        ]
        assert infusion_minutes(volume_ml=250, steps=steps) == pytest.approx(112.5)

    def test_later_infusions_75_minutes(self) -> None:
        steps = [InfusionStep(rate_ml_h=200, minutes=None)]
        assert infusion_minutes(volume_ml=250, steps=steps) == pytest.approx(75)


class TestIssue11Schema:
    """Premedication after the infusion, an age-specific schedule, settings and supportive care."""

    def _premed(self, **changes: Any) -> dict[str, Any]:
        premed = {
            "timing": "1–3 hours before every infusion",
            "before_minutes": [60, 180],
            "timing_after": "the day after the infusion",
            "backbone_steroid": "dexamethasone",
            "source": "DARZALEX SmPC section 4.2",
            "verification": "pending",
            "verification_note": "not retrieved",
            "items": [
                {"name": "antihistamine", "dose": "x", "route": "PO", "rule": "r", "text": "t"},
                {
                    "name": "corticosteroid after the infusion",
                    "dose": "y",
                    "route": "PO",
                    "rule": "r",
                    "text": "t",
                    "when": "after",
                },
            ],
        }
        premed.update(changes)
        data = minimal()
        data["verification"] = "pending"
        data["verification_note"] = "premedication not retrieved"
        data["components"][0]["premedication"] = premed
        return data

    def test_before_and_after_items_round_trip(self) -> None:
        spec = regimen_spec_from_dict(self._premed())
        premed = spec.components[0].premedication
        assert premed is not None
        assert [i.when.value for i in premed.items] == ["before", "after"]
        assert (premed.before_minutes.first, premed.before_minutes.last) == (60, 180)  # type: ignore[union-attr]
        assert regimen_spec_from_dict(regimen_spec_to_dict(spec)) == spec

    def test_after_item_needs_timing_after(self) -> None:
        data = self._premed(timing_after="")
        expect_error(data, "components[0].premedication.timing_after", "after the infusion")

    def test_before_window_needs_an_upper_bound(self) -> None:
        data = self._premed(before_minutes=[60, None])
        expect_error(data, "components[0].premedication.before_minutes", "upper bound")

    def test_unknown_timing_is_refused(self) -> None:
        data = self._premed()
        data["components"][0]["premedication"]["items"][1]["when"] = "during"
        expect_error(data, "components[0].premedication.items[1].when", "during")

    def test_age_schedule_replaces_days_from_its_start(self) -> None:
        data = minimal()
        dex = data["components"][1]
        dex["schedule"] = [{"cycles": [1, None], "days": [1, 2, 8, 9, 22]}]
        dex["dose_overrides"] = [{"cycles": [1, None], "days": [22], "amount": 60, "label": "d22"}]
        dex["age_rule"].update(
            {
                "from": {"cycle": 1, "day": 8},
                "schedule": [{"cycles": [1, None], "days": [1, 8, 22]}],
            }
        )
        spec = regimen_spec_from_dict(data)
        component = spec.components[1]
        assert component.days_for(1, age_years=74) == (1, 2, 8, 9, 22)
        assert component.days_for(1, age_years=75) == (1, 2, 8, 22)  # D1–2 before day 8 kept
        assert component.days_for(2, age_years=80) == (1, 8, 22)
        assert regimen_spec_from_dict(regimen_spec_to_dict(spec)) == spec

    def test_age_schedule_must_cover_its_first_cycle(self) -> None:
        data = minimal()
        data["components"][1]["age_rule"].update(
            {"from": {"cycle": 2, "day": 1}, "schedule": [{"cycles": [3, None], "days": [1]}]}
        )
        expect_error(data, "components[1].age_rule.schedule", "does not cover cycle 2")

    def test_age_rule_without_schedule_still_cannot_sit_beside_overrides(self) -> None:
        data = minimal()
        data["components"][1]["dose_overrides"] = [
            {"cycles": [1, 1], "days": [1], "amount": 20, "label": "x"}
        ]
        expect_error(data, "components[1]", "cannot be combined")

    def test_settings_and_supportive_care_round_trip(self) -> None:
        data = minimal()
        data["settings"] = ["ndmm", "rrmm"]
        data["supportive_care"] = [
            {"text": "consider zoster prophylaxis", "source": "s", "verification": "verified"}
        ]
        spec = regimen_spec_from_dict(data)
        assert [s.value for s in spec.settings] == ["ndmm", "rrmm"]
        assert spec.supportive_care[0].text == "consider zoster prophylaxis"
        assert regimen_spec_from_dict(regimen_spec_to_dict(spec)) == spec

    @pytest.mark.parametrize(
        ("values", "message"), [(["mgus"], "mgus"), (["rrmm", "rrmm"], "twice")]
    )
    def test_bad_settings_are_refused(self, values: list[str], message: str) -> None:
        data = minimal()
        data["settings"] = values
        expect_error(data, f"settings[{len(values) - 1}]", message)
