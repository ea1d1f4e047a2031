"""Response assessment for the API and the plan page: plain data in, plain data out.

The one translation between JSON-shaped data (api-v1 "POST /api/v1/response/assess") and
``myeloma_core.response_*``; the forms, the stored assessments and the API all come through here,
so every message and every field name comes from one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from myeloma_core.errors import InvalidInput
from myeloma_core.response_mrd import LANDMARK_WINDOW_DAYS
from myeloma_core.response_series import assess_response, summary_line
from myeloma_core.response_types import (
    AntiCd38,
    Assessment,
    HeavyChain,
    Isotype,
    LightChain,
    MrdMethod,
    MrdResult,
    ResponseAssessment,
    assessment,
)

QUANTITY_FIELDS = ("serum_m_protein", "urine_m_protein", "involved_flc", "uninvolved_flc")
FINDING_FIELDS = (
    "serum_ife",
    "urine_ife",
    "bone_marrow_clonality",
    "plasmacytoma",
    "new_bone_lesions",
    "pet_ct",
    "ife_shift_assay",
)


def landmark_window_days() -> int:
    """The I2TEAMM landmark window after month 9 and 12: a site setting, pending verification."""
    days = getattr(settings, "I2TEAMM_LANDMARK_WINDOW_DAYS", LANDMARK_WINDOW_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 92:
        raise ImproperlyConfigured("I2TEAMM_LANDMARK_WINDOW_DAYS must be a whole number, 0 to 92.")
    return days


def assessment_from_data(data: Mapping[str, Any], *, index: int | None = None) -> Assessment:
    """One assessment from api-v1 fields (quantities as ``{"value", "unit"}``)."""
    values: dict[str, Any] = {}
    for name in QUANTITY_FIELDS:
        lab = data.get(name)
        if lab is not None:
            values[name] = (lab["value"], lab["unit"])
    for name in (*FINDING_FIELDS, "bone_marrow_plasma_cells_percent", "mrd"):
        if data.get(name) is not None:
            values[name] = data[name]
    return assessment(index=index, date=data["date"], baseline=bool(data.get("baseline")), **values)


def isotype_from_data(data: Mapping[str, Any] | None) -> Isotype | None:
    if not data:
        return None
    try:
        return Isotype(
            heavy_chain=HeavyChain(str(data.get("heavy_chain"))),
            light_chain=LightChain(str(data.get("light_chain"))),
        )
    except ValueError:
        raise InvalidInput(
            "isotype",
            "The isotype needs a heavy chain (IgG, IgA, IgM, IgD, IgE or none for light-chain "
            "myeloma) and a light chain (kappa or lambda).",
        ) from None


def response_assess(
    *,
    assessments: Sequence[Mapping[str, Any]],
    treatment_start: dt.date,
    isotype: Mapping[str, Any] | None,
    anti_cd38: str | None,
) -> ResponseAssessment:
    """The series assessed (raises ``InvalidInput`` naming ``assessments.<i>.<field>``)."""
    return assess_response(
        assessments=[assessment_from_data(a, index=i) for i, a in enumerate(assessments)],
        treatment_start=treatment_start,
        isotype=isotype_from_data(isotype),
        anti_cd38=AntiCd38(anti_cd38) if anti_cd38 else None,
        landmark_window_days=landmark_window_days(),
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _method(method: MrdMethod | None) -> str | None:
    return None if method is None else method.value


def _mrd_data(mrd: MrdResult | None) -> dict[str, Any] | None:
    if mrd is None:
        return None
    return {
        "category": mrd.category.value,
        "method": mrd.method.value,
        "sensitivity": _number(mrd.sensitivity),
        "reasons": list(mrd.reasons),
        "source": mrd.source,
    }


def response_data(result: ResponseAssessment) -> dict[str, Any]:
    """The api-v1 response body (field names fixed by the contract; more fields allowed)."""
    disease = result.measurable_disease
    return {
        "measurable_disease": {
            "measurable": disease.measurable,
            "by": list(disease.by),
            "track": disease.track.value,
            "reasons": list(disease.reasons),
            "missing": list(disease.missing),
            "source": disease.source,
        },
        "assessments": [
            {
                "date": item.date,
                "baseline": item.baseline,
                "category": item.category.value if item.category else None,
                "confirmed": item.confirmed,
                "reasons": list(item.reasons),
                "missing": list(item.missing),
                "mrd": _mrd_data(item.mrd),
                "notes": list(item.notes),
                "progression_criteria": list(item.progression_criteria),
                "tracked_value": _number(item.tracked_value),
                "sources": list(item.sources),
            }
            for item in result.assessments
        ],
        "best_confirmed_response": (
            result.best_confirmed_response.value if result.best_confirmed_response else None
        ),
        "best_confirmed_response_date": result.best_confirmed_response_date,
        "progression": {
            "progressed": result.progression.progressed,
            "date": result.progression.date,
            "criteria": list(result.progression.criteria),
            "reasons": list(result.progression.reasons),
            "source": result.progression.source,
        },
        "mrd_cr": {
            "month_9": result.mrd_cr.month_9,
            "month_12": result.mrd_cr.month_12,
            "month_9_method": _method(result.mrd_cr.month_9_method),
            "month_12_method": _method(result.mrd_cr.month_12_method),
            "window_days": result.mrd_cr.window_days,
            "window_status": result.mrd_cr.window_status,
            "reasons": list(result.mrd_cr.reasons),
            "source": result.mrd_cr.source,
        },
        "tracked": {
            "quantity": result.tracked_quantity,
            "unit": result.tracked_unit,
            "nadir": (
                {
                    "date": result.nadir.date,
                    "value": float(result.nadir.value),
                    "unit": result.nadir.unit,
                }
                if result.nadir
                else None
            ),
        },
        "summary": summary_line(result),
        "warnings": list(result.warnings),
        "source": result.source,
    }
