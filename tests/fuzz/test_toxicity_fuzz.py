"""Hypothesis against the toxicity endpoints: never a 5xx; every 422 names a field and says why."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import FUZZ_SETTINGS, body, lab, nasty_numbers
from tests.fuzz.test_api_fuzz import _check, _encode, _saved_plan

pytestmark = pytest.mark.django_db

COUNT_UNITS = ["10^9/L", "/uL", "/µL", "g/L", "g/dL", "mmol/L", "mg/dL"]
GRADE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "ctcae_version": st.sampled_from(["5.0", "6.0", "4.03", ""]),
    "neutrophils": lab(COUNT_UNITS),
    "platelets": lab(COUNT_UNITS),
    "haemoglobin": lab(COUNT_UNITS),
    "lower_limits": body(
        {"neutrophils": lab(COUNT_UNITS), "platelets": lab(COUNT_UNITS), "haemoglobin": lab()}
    ),
    "temperature_celsius": nasty_numbers,
    "fever_sustained_over_one_hour": st.booleans(),
}
CRS = body(
    {
        "temperature_celsius": nasty_numbers,
        "fever_masked_by_treatment": st.booleans(),
        "hypotension": st.sampled_from(
            ["none", "no_vasopressor", "one_vasopressor", "multiple_vasopressors", "x"]
        ),
        "vasopressors": st.lists(st.sampled_from(["vasopressin", "norepinephrine", " ", ""])),
        "hypoxia": st.sampled_from(["none", "low_flow", "high_flow", "positive_pressure", "x"]),
    }
)
ICE = body({name: nasty_numbers for name in ("orientation", "naming", "commands", "writing")})
ICANS = body(
    {
        "ice": ICE,
        "unable_to_perform_ice": st.booleans(),
        "consciousness": st.sampled_from(["normal", "unarousable", "x"]),
        "seizure": st.sampled_from(["none", "prolonged", "x"]),
        "motor_weakness": st.sampled_from(["none", "focal", "x"]),
        "cerebral_oedema": st.sampled_from(["none", "diffuse", "x"]),
    }
)
KVA = body(
    {
        "corneal_exam": st.sampled_from(["normal", "epithelial_defect", "x"]),
        "bcva_lines_decline": nasty_numbers,
        "snellen_worse_than_20_200": st.booleans(),
    }
)
DOSE_CHECK = body(
    {
        **GRADE_FIELDS,
        "date": st.sampled_from(["2026-01-05", "2026-01-06", "2027-01-01", "2026-02-30", "x"]),
        "febrile_neutropenia": st.booleans(),
        "neutropenic_infection": st.booleans(),
        "infusion_reaction": body(
            {
                "grade": nasty_numbers,
                "improved_to_grade_1_or_less": st.booleans(),
                "hospitalisation": st.booleans(),
            }
        ),
    }
)


@pytest.mark.parametrize(
    ("path", "strategy"),
    [
        ("/api/v1/toxicity/grade", body(GRADE_FIELDS)),
        ("/api/v1/toxicity/crs", CRS),
        ("/api/v1/toxicity/icans", ICANS),
        ("/api/v1/toxicity/kva", KVA),
    ],
)
def test_toxicity_calculators_survive_hostile_json(
    fuzz_client: Client, path: str, strategy: st.SearchStrategy[Any]
) -> None:
    @FUZZ_SETTINGS
    @given(payload=strategy)
    def run(payload: Any) -> None:
        response = fuzz_client.post(path, _encode(payload), content_type="application/json")
        _check(path, payload, response.status_code, response.content)

    run()


def test_dose_check_survives_hostile_json(fuzz_client: Client) -> None:
    path = f"/api/v1/plans/{_saved_plan(fuzz_client)}/dose-check"

    @FUZZ_SETTINGS
    @given(payload=DOSE_CHECK)
    def run(payload: Any) -> None:
        response = fuzz_client.post(path, _encode(payload), content_type="application/json")
        _check(path, payload, response.status_code, response.content)

    run()
