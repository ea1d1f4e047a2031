"""Named benchmark cases. Each feature adds its own; targets are median ratios to the bare view."""

from __future__ import annotations

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
