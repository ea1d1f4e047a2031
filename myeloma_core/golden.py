"""Golden cases: worked examples stored with regimen content that a new version must still pass.

A case gives a patient, a start date, a number of cycles and expected administrations (date,
drug, dose in mg), copied by hand from the source (e.g. domain-reference §18.3). Publishing a
regimen version runs them (architecture §2: "golden cases still pass").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from myeloma_core.body import Sex
from myeloma_core.dosing import DosingSettings, Patient
from myeloma_core.errors import InvalidInput
from myeloma_core.regimen import RegimenContentError, RegimenSpec
from myeloma_core.schedule import expand
from myeloma_core.units import Analyte, lab_value

DOSE_TOLERANCE_MG = 0.05  # doses are printed to 0.1 mg


def _patient(data: Mapping[str, Any]) -> Patient:
    creatinine = data["creatinine"]
    return Patient(
        age_years=int(data["age_years"]),
        sex=Sex(data["sex"]),
        weight_kg=float(data["weight_kg"]),
        height_cm=float(data["height_cm"]),
        creatinine_mg_dl=lab_value(
            Analyte.CREATININE, float(creatinine["value"]), str(creatinine["unit"])
        ).in_unit("mg/dL"),
        on_dialysis=bool(data.get("on_dialysis", False)),
    )


def golden_case_failures(
    spec: RegimenSpec, cases: Sequence[Mapping[str, Any]], settings: DosingSettings
) -> tuple[str, ...]:
    """Plain-language failures; empty when every expected administration is reproduced."""
    failures: list[str] = []
    for case in cases:
        name = str(case.get("name", "unnamed case"))
        try:
            schedule = expand(
                spec,
                patient=_patient(case["patient"]),
                start_date=dt.date.fromisoformat(str(case["start_date"])),
                cycles=int(case["cycles"]),
                settings=settings,
            )
        except (InvalidInput, RegimenContentError, KeyError, ValueError) as error:
            failures.append(f"{name}: the calendar could not be computed ({error}).")
            continue
        given = {(a.date.isoformat(), a.drug): a.dose.value for a in schedule.administrations}
        for expected in case.get("expect", []):
            key = (str(expected["date"]), str(expected["drug"]))
            dose = given.get(key)
            if dose is None:
                failures.append(f"{name}: no {key[1]} on {key[0]}.")
            elif abs(float(dose) - float(expected["dose_mg"])) > DOSE_TOLERANCE_MG:
                failures.append(
                    f"{name}: {key[1]} on {key[0]} is {dose} mg, expected {expected['dose_mg']} mg."
                )
    return tuple(failures)
