"""The JSON form of a schedule (api-v1 ``schedule``) carries every value of the schedule it was
made from, under the documented keys (issue 18: the serialiser's mutants survived tests/core)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from myeloma_core.body import Sex
from myeloma_core.dosing import DosingInputError, Patient
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.schedule import Administration, Schedule, expand, schedule_to_dict

REGIMENS = Path(__file__).resolve().parents[2] / "content" / "regimens"
SLUGS = sorted(p.stem for p in REGIMENS.glob("*.yaml"))
# 76 years: age rules apply; CrCl (Cockcroft–Gault, 55 kg, creatinine 1.4 mg/dL) ≈ 28 mL/min,
# so renal bands apply; 160 cm × 55 kg.
PATIENT = Patient(age_years=76, sex=Sex.FEMALE, weight_kg=55, height_cm=160, creatinine_mg_dl=1.4)


def schedule_for(slug: str) -> Schedule:
    spec = regimen_spec_from_dict(yaml.safe_load((REGIMENS / f"{slug}.yaml").read_text("utf-8")))
    cycles = 2 if spec.max_cycles is None else spec.max_cycles  # milestones follow the last
    return expand(spec, patient=PATIENT, start_date=dt.date(2026, 1, 5), cycles=cycles)


def expected_administration(adm: Administration) -> dict[str, Any]:
    dose = adm.dose
    out: dict[str, Any] = {
        "date": adm.date.isoformat(),
        "planned_date": adm.planned_date.isoformat(),
        "cycle": adm.cycle,
        "day": adm.day,
        "drug": adm.drug,
        "dose": {"value": dose.value, "unit": dose.unit},
        "route": str(adm.route),
        "calculation": dose.calculation,
        "rule_applied": dose.rule_applied,
        "inputs": [{"name": name, "value": value} for name, value in dose.inputs],
        "status": str(adm.status),
        "order": adm.order,
        "warnings": list(dose.warnings),
    }
    if dose.volume_ml is not None:
        out["volume_ml"] = dose.volume_ml
    if dose.vials is not None:
        out["vials"] = [{"strength_mg": v.strength_mg, "count": v.count} for v in dose.vials.vials]
        out["vials_total_mg"] = dose.vials.total_mg
        out["vials_waste_mg"] = dose.vials.waste_mg
    if adm.infusion_number is not None:
        out["infusion_number"] = adm.infusion_number
        out["infusion_minutes"] = adm.infusion_minutes
    premedication = adm.component.premedication
    if adm.premedication and premedication is not None:
        out["premedication"] = [
            {
                "name": item.name,
                "dose": item.dose,
                "route": item.route,
                "rule": item.rule,
                "text": item.text,
                "when": str(item.when),
            }
            for item in adm.premedication
        ]
        window = premedication.before_minutes
        out["premedication_timing"] = {
            "before": premedication.timing,
            "before_minutes": None if window is None else [window.first, window.last],
            "after": premedication.timing_after,
            "source": premedication.source,
            "verification": str(premedication.verification),
        }
    return out


@pytest.mark.parametrize("slug", SLUGS)
def test_schedule_json_carries_every_value(slug: str) -> None:
    schedule = schedule_for(slug)
    assert schedule_to_dict(schedule) == {
        "patient": {
            "bsa_m2": schedule.patient_bsa_m2,
            "bsa_formula": str(schedule.bsa_formula),
            "creatinine_clearance_ml_min": schedule.crcl.ml_min_rounded,
            "creatinine_clearance_formula": "cockcroft-gault",
            "creatinine_clearance_weight_basis": str(schedule.crcl.weight_basis),
            "creatinine_clearance_explanation": schedule.crcl.explanation,
        },
        "cycles": [
            {
                "number": c.number,
                "start_date": c.start_date.isoformat(),
                "length_days": c.length_days,
            }
            for c in schedule.cycles
        ],
        "administrations": [expected_administration(a) for a in schedule.administrations],
        "milestones": [
            {
                "date": m.date.isoformat(),
                "after_cycle": m.after_cycle,
                "label": m.label,
                "source": m.source,
                "verification": str(m.verification),
            }
            for m in schedule.milestones
        ],
        "supportive_care": [
            {
                "text": n.text,
                "patient_note": None if n.patient_note is None else str(n.patient_note),
                "source": n.source,
                "verification": str(n.verification),
                "verification_note": n.verification_note,
            }
            for n in schedule.supportive_care
        ],
        "warnings": list(schedule.warnings),
        "notes": list(schedule.notes),
    }


def test_the_content_exercises_every_optional_part() -> None:
    """Guards the test above: some administration has each optional key."""
    keys = {
        key
        for slug in SLUGS
        for adm in schedule_to_dict(schedule_for(slug))["administrations"]
        for key in adm
    }
    assert {"volume_ml", "vials", "infusion_number", "premedication"} <= keys
    assert any(schedule_for(slug).milestones for slug in SLUGS)
    assert any(schedule_for(slug).supportive_care for slug in SLUGS)


def test_sixty_cycles_is_the_upper_limit() -> None:
    spec = regimen_spec_from_dict(yaml.safe_load((REGIMENS / "isa-pd.yaml").read_text("utf-8")))
    schedule = expand(spec, patient=PATIENT, start_date=dt.date(2026, 1, 5), cycles=60)
    assert schedule.cycles[-1].number == 60
    for refused in (61, True):
        with pytest.raises(DosingInputError) as error:
            expand(spec, patient=PATIENT, start_date=dt.date(2026, 1, 5), cycles=refused)
        assert error.value.field == "cycles"
