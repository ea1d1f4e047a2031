"""Reads for treatment options: the published guideline content, mapped to the domain.

One query loads every published recommendation with its guideline; the matching is the domain's
(``treatment.assessments``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from governance.kinds import kind_named
from governance.models import ContentStatus
from myeloma_core import treatment as domain
from myeloma_core.regimen import RegimenSpec
from treatment.models import Guideline, Recommendation


@dataclass(frozen=True, slots=True, kw_only=True)
class GuidelineContent:
    guideline: domain.Guideline | None
    recommendations: tuple[domain.Recommendation, ...]


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
