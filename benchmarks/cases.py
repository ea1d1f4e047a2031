"""Named benchmark cases. Each feature adds its own; targets are median ratios to the bare view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    name: str
    method: str
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    json_body: bool = False
    htmx: bool = False
    target_ratio: float | None = None
    # Builds what the case needs (e.g. a saved plan) for the benchmark user; returns the path.
    prepare: Callable[[Any], str] | None = field(default=None, repr=False)


# The plan every load-test visit previews and saves (D1 patient, §18.3), and the burst too.
PREVIEW: dict[str, Any] = {
    "regimen": "isa-pd",
    "start_date": "2026-01-05",
    "cycles": 2,
    "patient": {
        "age_years": 68,
        "sex": "male",
        "weight_kg": 72,
        "height_cm": 178,
        "creatinine": {"value": 0.9, "unit": "mg/dL"},
    },
}

# §18.1 Case 3 as the staging form posts it.
STAGING_FORM = {
    "beta2_microglobulin_value": "6.1",
    "beta2_microglobulin_unit": "mg/L",
    "albumin_value": "3.0",
    "albumin_unit": "g/dL",
    "creatinine_value": "1.0",
    "creatinine_unit": "mg/dL",
    "ldh_status": "high",
    "del_17p": "present",
    "del_17p_clonal_fraction_percent": "35",
    "tp53_mutation": "absent",
    "t_4_14": "absent",
    "t_14_16": "unknown",
    "t_14_20": "unknown",
    "gain_1q": "unknown",
    "del_1p32": "unknown",
}

CASES: list[Case] = [
    Case(name="home page", method="GET", path="/"),
    Case(
        name="staging HTMX results partial",
        method="POST",
        path="/staging/",
        data=STAGING_FORM,
        htmx=True,
        target_ratio=20,
    ),
]

# The longest common API calendar: Isa-VRd (IMROZ) for 18 cycles (42-day C1–4, 28-day C5+).
CASES.append(
    Case(
        name="dosing preview IMROZ 18 cycles",
        method="POST",
        path="/api/v1/dosing/preview",
        data={
            "regimen": "isa-vrd-imroz",
            "start_date": "2026-01-05",
            "cycles": 18,
            "patient": {
                "age_years": 72,
                "sex": "female",
                "weight_kg": 64,
                "height_cm": 165,
                "creatinine": {"value": 80, "unit": "umol/L"},
            },
        },
        json_body=True,
        target_ratio=30,
    )
)

# The seed's one-prior-line example (domain-reference §12.5) as the treatment form posts it.
CASES.append(
    Case(
        name="treatment HTMX results partial",
        method="POST",
        path="/treatment/",
        data={
            "setting": "rrmm",
            "transplant_eligible": "unknown",
            "frailty": "unknown",
            "prior_lines": "1",
            "exposed_to": ["bortezomib"],
            "refractory_to": ["bortezomib"],
        },
        htmx=True,
        target_ratio=20,
    )
)


def _saved_d1_plan(user: Any) -> str:
    """A saved 12-cycle Isa-Pd plan (patient of domain-reference §18.3 D1); its page path."""
    import datetime as dt

    from dosing.selectors import regimen_version_published
    from dosing.services import plan_create

    plan = plan_create(
        user=user,
        version=regimen_version_published(slug="isa-pd"),
        patient={
            "age_years": 68,
            "sex": "male",
            "weight_kg": 72,
            "height_cm": 178,
            "creatinine": {"value": 0.9, "unit": "mg/dL"},
        },
        start_date=dt.date(2026, 1, 5),
        cycles=12,
        patient_reference="BENCH-1",
    )
    return f"/plans/{plan.pk}/"


CASES.append(
    Case(name="plan page (Isa-Pd, 12 cycles)", method="GET", path="", prepare=_saved_d1_plan)
)


def _saved_imroz_plan(user: Any) -> str:
    """A saved 18-cycle Isa-VRd (IMROZ) plan, the longest common calendar; its page path."""
    import datetime as dt

    from dosing.selectors import regimen_version_published
    from dosing.services import plan_create

    plan = plan_create(
        user=user,
        version=regimen_version_published(slug="isa-vrd-imroz"),
        patient={
            "age_years": 72,
            "sex": "female",
            "weight_kg": 64,
            "height_cm": 165,
            "creatinine": {"value": 80, "unit": "umol/L"},
        },
        start_date=dt.date(2026, 1, 5),
        cycles=18,
        patient_reference="BENCH-IMROZ",
    )
    return f"/plans/{plan.pk}/"


CASES.append(
    Case(
        name="plan page (IMROZ, 18 cycles)",
        method="GET",
        path="",
        prepare=_saved_imroz_plan,
        target_ratio=40,
    )
)
