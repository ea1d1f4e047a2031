"""Reads for treatment options: the published guideline content, mapped to the domain.

One query loads every published recommendation with its guideline; the domain does the matching.
The form and the JSON API both call :func:`treatment_options_assess` with the API-shaped dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from governance.kinds import kind_named
from governance.models import ContentStatus
from myeloma_core import treatment as domain
from myeloma_core.regimen import RegimenSpec
from treatment.models import Guideline, Recommendation


@dataclass(frozen=True, slots=True, kw_only=True)
class GuidelineContent:
    guideline: domain.Guideline | None
    recommendations: tuple[domain.Recommendation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentAssessment:
    guideline: domain.Guideline | None
    result: domain.OptionsResult
    regimens_published: dict[str, RegimenSpec]  # regimens a plan can be started with


def guideline_content_published() -> GuidelineContent:
    """The published guideline (the first by slug) and its recommendations, validated."""
    rows = list(
        Recommendation.objects.filter(guideline__status=ContentStatus.PUBLISHED)
        .select_related("guideline")
        .order_by("guideline__slug", "rank", "key")
    )
    if not rows:
        guideline = Guideline.objects.filter(status=ContentStatus.PUBLISHED).first()
        return GuidelineContent(
            guideline=None if guideline is None else guideline.to_domain(),
            recommendations=(),
        )
    first = rows[0].guideline
    return GuidelineContent(
        guideline=first.to_domain(),
        recommendations=tuple(row.to_domain() for row in rows if row.guideline_id == first.pk),
    )


def treatment_options_assess(data: Mapping[str, Any]) -> TreatmentAssessment:
    """``data`` has the shape of ``POST /api/v1/treatment/options``; raises ``InvalidInput``."""
    patient = domain.patient_setting_from_dict(data)
    content = guideline_content_published()
    notes = (
        ()
        if content.guideline is None
        else content.guideline.setting_notes.get(patient.setting, ())
    )
    specs = regimen_specs_published()
    result = domain.treatment_options(
        patient, content.recommendations, regimen_drugs=regimen_drugs(specs), setting_notes=notes
    )
    return TreatmentAssessment(guideline=content.guideline, result=result, regimens_published=specs)


def regimen_slugs_published() -> frozenset[str]:
    """Regimens a plan can be started with (published in dosing)."""
    return kind_named("regimens").published_keys()


def regimen_specs_published() -> dict[str, RegimenSpec]:
    """The published version of each regimen a plan can be started with, as domain specs."""
    return cast(dict[str, RegimenSpec], kind_named("regimens").published_domain())


def regimen_drugs(specs: Mapping[str, RegimenSpec]) -> dict[str, frozenset[str]]:
    """The drugs (components) of each regimen, for the refractoriness rule (§12.5)."""
    return {
        slug: frozenset(component.drug for component in spec.components)
        for slug, spec in specs.items()
    }
