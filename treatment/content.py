"""Load the shipped guideline content (content/guidelines/*.yaml) into the database.

Used by the data migration (every fresh database has the guideline published) and by the
browser tests after a flush. Each file is validated by the domain (``guideline_from_dict``,
including that every regimen it names exists in content/regimens/) and every option is checked
against the regimen it links (``guideline_regimen_conflicts``: setting, transplant milestone)
before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from governance.models import ContentStatus
from governance.shipped import Review, shipped_document
from myeloma_core.content_checks import guideline_regimen_conflicts
from myeloma_core.regimen import RegimenSpec
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.treatment import Guideline, Recommendation
from myeloma_core.treatment_schema import guideline_from_dict, recommendation_to_dict

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "guidelines"
REGIMEN_DIR = CONTENT_DIR.parent / "regimens"
GOLDEN_DIR = CONTENT_DIR.parent / "guideline_golden"


def regimen_slugs() -> frozenset[str]:
    """Slugs of the shipped regimen files (the only regimens a recommendation may name)."""
    slugs = set()
    for path in REGIMEN_DIR.glob("*.yaml"):
        with path.open(encoding="utf-8") as handle:
            slugs.add(str(yaml.safe_load(handle)["slug"]))
    return frozenset(slugs)


def regimen_specs() -> dict[str, RegimenSpec]:
    """The shipped regimens, validated, by slug."""
    specs = {}
    for path in REGIMEN_DIR.glob("*.yaml"):
        document, _review = shipped_document(path)
        spec = regimen_spec_from_dict(document)
        specs[spec.slug] = spec
    return specs


def guideline_definitions() -> list[tuple[Guideline, tuple[Recommendation, ...]]]:
    """Every shipped guideline file, validated by the domain, sorted by file name.

    Raises ``ValueError`` naming the option when an option's setting contradicts the schedule or
    milestones of the regimen it links (``myeloma_core.content_checks``).
    """
    slugs = regimen_slugs()
    specs = regimen_specs()
    definitions = []
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        document, _review = shipped_document(path)
        guideline, recommendations = guideline_from_dict(document, regimen_slugs=slugs)
        conflicts = guideline_regimen_conflicts(recommendations, specs)
        if conflicts:
            details = "; ".join(f"{key}: {reason}" for key, reason in conflicts)
            raise ValueError(f"{path.name}: options contradict their regimens — {details}")
        definitions.append((guideline, recommendations))
    return definitions


def guideline_reviews() -> dict[str, Review]:
    """Who checked each shipped guideline file against its sources, and when (if recorded)."""
    reviews = {}
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        document, review = shipped_document(path)
        reviews[str(document.get("slug"))] = review
    return reviews


def golden_cases(slug: str) -> list[dict[str, Any]]:
    """The golden cases stored for a guideline (content/guideline_golden/<slug>.yaml), if any."""
    path = GOLDEN_DIR / f"{slug}.yaml"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle) or [])


def recommendation_row_fields(recommendation: Recommendation) -> dict[str, Any]:
    """A validated recommendation as the field values of a ``Recommendation`` row."""
    data = recommendation_to_dict(recommendation)
    return {
        "key": data["key"],
        "regimen_slug": data["regimen"] or "",
        "name": data["name"],
        "setting": data["setting"],
        "criteria": data["criteria"],
        "rank": data["rank"],
        "evidence": data["evidence"],
        "grade": data["grade"] or "",
        "basis": data["basis"],
        "pivotal_trial": data["pivotal_trial"] or "",
        "source": data["source"],
        "notes": data["notes"],
        "verification": data["verification"],
        "verification_note": data["verification_note"],
        "drugs": data["drugs"] or [],
        "checked_by": recommendation.record.checked_by if recommendation.record else "",
        "date_reviewed": recommendation.record.date_reviewed if recommendation.record else None,
    }


def content_load(*, guideline_model: Any, recommendation_model: Any, now: Any) -> int:
    """Publish every shipped guideline version the database does not have yet.

    The older published version of the same guideline is retired (one published version per
    guideline). Model classes are passed in so the data migrations can use their historical
    models; a migration whose models cannot hold the shipped content (before
    ``Recommendation.checked_by``, 0010) loads nothing and leaves it to the later one.
    Returns the number of guideline versions added.
    """
    if not any(f.name == "checked_by" for f in recommendation_model._meta.get_fields()):
        return 0
    added = 0
    for guideline, recommendations in guideline_definitions():
        if guideline_model.objects.filter(slug=guideline.slug, version=guideline.version).exists():
            continue
        guideline_model.objects.filter(
            slug=guideline.slug, status=ContentStatus.PUBLISHED, version__lt=guideline.version
        ).update(status=ContentStatus.RETIRED)
        extra: dict[str, Any] = {"golden_cases": golden_cases(guideline.slug)}
        if any(f.name == "checked_by" for f in guideline_model._meta.get_fields()):
            review = guideline_reviews().get(guideline.slug, Review())
            extra |= {"checked_by": review.checked_by, "date_reviewed": review.date_reviewed}
        row = guideline_model.objects.create(
            slug=guideline.slug,
            name=guideline.name,
            version=guideline.version,
            status=ContentStatus.IN_REVIEW,
            source=guideline.source,
            author=guideline.author,
            checker=guideline.checker or "",
            setting_notes={s.value: list(n) for s, n in guideline.setting_notes.items()},
            **extra,
        )
        for recommendation in recommendations:
            recommendation_model.objects.create(
                guideline=row, **recommendation_row_fields(recommendation)
            )
        # Published once its recommendations are in: the database refuses rows added to a
        # published guideline (governance.triggers).
        guideline_model.objects.filter(pk=row.pk).update(
            status=ContentStatus.PUBLISHED, published_at=now
        )
        added += 1
    return added
