"""Treatment endpoint of the JSON API (docs/api.md). Same selector as the form.

Pydantic checks shapes and JSON types; the domain checks values (setting, prior lines 0–20, the
drug and class vocabulary), so each message comes from one place. Domain errors become HTTP 422
naming the field in ``myeloma_site.api``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from myeloma_core.treatment import HISTORY_ITEMS, Option
from treatment.assessments import treatment_options_assess

router = Router(tags=["treatment"])

StrictWhole = Annotated[int, Field(strict=True)]
StrictBool = Annotated[bool, Field(strict=True)]
_HISTORY_HELP = (
    f"Lower-case INNs or classes: {', '.join(HISTORY_ITEMS)} (daratumumab and isatuximab count "
    "as anti_cd38). A list is complete; null or omitted means unknown."
)


class OptionsIn(Schema):
    setting: Literal["smouldering_high_risk", "ndmm", "rrmm"]
    prior_lines: StrictWhole | None = Field(
        default=None, description="Prior lines of therapy (0–20; at least 1 for rrmm)."
    )
    exposed_to: list[str] | None = Field(default=None, description=_HISTORY_HELP)
    refractory_to: list[str] | None = Field(default=None, description=_HISTORY_HELP)
    transplant_eligible: StrictBool | None = None
    frailty: Literal["fit", "intermediate", "frail"] | None = None


class GuidelineOut(Schema):
    slug: str
    name: str
    version: int
    source: str


class OptionOut(Schema):
    regimen: str | None = Field(description="Regimen slug (GET /api/v1/regimens), or null.")
    name: str
    evidence: str
    grade: str | None = Field(description="Only for a verified guideline recommendation.")
    source: str
    basis: Literal["guideline", "label", "investigational"] = Field(
        description="guideline: a verified EHA-EMN 2025 recommendation (the only basis that may "
        "carry a grade); label: an approved indication (EMA) with its pivotal trial; "
        "investigational: a trial regimen. Unverified content has verification pending."
    )
    pivotal_trial: str | None
    match: Literal["matches", "possible"]
    depends_on: list[str] = Field(description="Unknown inputs that would decide a possible option.")
    verification: Literal["verified", "pending"]
    verification_note: str
    checked_by: str | None = Field(
        description="Verified content only: what or who it was checked against (its "
        "verification record); null when pending."
    )
    date_reviewed: dt.date | None = Field(
        description="Verified content only: the day of that check; null when pending."
    )
    notes: list[str]


class ExcludedOut(Schema):
    key: str = Field(description="The recommendation's key in the guideline content.")
    regimen: str | None
    name: str
    reasons: list[str] = Field(
        description="Why it is not offered, in words, e.g. “refractory to pomalidomide”."
    )


class OptionsOut(Schema):
    guideline: GuidelineOut | None
    options: list[OptionOut]
    investigational: list[OptionOut] = Field(
        description="Trial regimens shown apart: not guideline regimens, not approved indications."
    )
    notes: list[str]
    missing: list[str]
    excluded: list[ExcludedOut] = Field(
        description="Options of the patient's setting that are not offered, one per regimen, "
        "with the reasons of the recommendation closest to matching."
    )


def _option(option: Option) -> dict[str, Any]:
    r = option.recommendation
    return {
        "regimen": r.regimen,
        "name": r.name,
        "evidence": r.evidence,
        "grade": r.grade,
        "source": r.source,
        "basis": r.basis.value,
        "pivotal_trial": r.pivotal_trial,
        "match": option.match.value,
        "depends_on": list(option.depends_on),
        "verification": r.verification.value,
        "verification_note": r.verification_note,
        "checked_by": r.record.checked_by if r.record else None,
        "date_reviewed": r.record.date_reviewed if r.record else None,
        "notes": list(r.notes),
    }


@router.post(
    "/options",
    response=OptionsOut,
    summary="Guideline options and approved indications for a patient's setting (EHA-EMN 2025)",
)
def options(request: HttpRequest, payload: OptionsIn) -> dict[str, Any]:
    assessment = treatment_options_assess(payload.model_dump())
    guideline = assessment.guideline
    result = assessment.result
    return {
        "guideline": None
        if guideline is None
        else {
            "slug": guideline.slug,
            "name": guideline.name,
            "version": guideline.version,
            "source": guideline.source,
        },
        "options": [_option(o) for o in result.options],
        "investigational": [_option(o) for o in result.investigational],
        "notes": list(result.notes),
        "missing": list(result.missing),
        "excluded": [
            {
                "key": item.recommendation.key,
                "regimen": item.recommendation.regimen,
                "name": item.recommendation.name,
                "reasons": list(item.reasons),
            }
            for item in result.excluded
        ],
    }
