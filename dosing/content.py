"""Load the shipped regimen content (content/regimens/*.yaml) into the database.

Used by the data migration (so every fresh database has the regimens published) and by
``manage.py load_content``. Every file is validated by the domain (``regimen_spec_from_dict``)
before anything is written; a file that does not validate stops the load with its path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from governance.models import ContentStatus
from governance.shipped import Review, shipped_document
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.regimen_serialise import regimen_spec_to_dict

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "regimens"
GOLDEN_DIR = CONTENT_DIR.parent / "golden"

DRUG_NAMES = {
    "isatuximab": "Isatuximab (SARCLISA)",
    "daratumumab": "Daratumumab",
    "carfilzomib": "Carfilzomib",
    "bortezomib": "Bortezomib",
    "lenalidomide": "Lenalidomide",
    "pomalidomide": "Pomalidomide",
    "dexamethasone": "Dexamethasone",
}


def regimen_definitions() -> list[dict[str, Any]]:
    """The canonical definition of every shipped regimen, validated, sorted by slug."""
    definitions = []
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        document, _review = shipped_document(path)
        definitions.append(regimen_spec_to_dict(regimen_spec_from_dict(document)))
    return definitions


def regimen_reviews() -> dict[str, Review]:
    """Who checked each shipped regimen file against its source, and when (if recorded)."""
    reviews = {}
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        document, review = shipped_document(path)
        reviews[str(document.get("slug"))] = review
    return reviews


def golden_cases(slug: str) -> list[dict[str, Any]]:
    """The worked examples stored for a regimen (content/golden/<slug>.yaml), if any."""
    path = GOLDEN_DIR / f"{slug}.yaml"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle) or [])


def content_load(*, drug_model: Any, regimen_model: Any, version_model: Any, now: Any) -> int:
    """Publish version 1 of every shipped regimen that the database does not have yet.

    Model classes are passed in so the data migration can use its historical models.
    Returns the number of regimens added.
    """
    added = 0
    for definition in regimen_definitions():
        if regimen_model.objects.filter(slug=definition["slug"]).exists():
            continue
        regimen = regimen_model.objects.create(
            slug=definition["slug"],
            name=definition["name"],
            indication=definition["indication"],
            source=definition["source"],
        )
        for component in definition["components"]:
            presentations = component.get("presentations")
            drug, _created = drug_model.objects.get_or_create(
                inn=component["drug"],
                defaults={
                    "name": DRUG_NAMES.get(component["drug"], component["drug"].capitalize()),
                    "presentations": [presentations] if presentations else [],
                },
            )
            regimen.drugs.add(drug)
        extra: dict[str, Any] = {}
        fields = {f.name for f in version_model._meta.get_fields()}
        if "golden_cases" in fields:
            extra["golden_cases"] = golden_cases(definition["slug"])
        if "checked_by" in fields:
            review = regimen_reviews().get(definition["slug"], Review())
            extra |= {"checked_by": review.checked_by, "date_reviewed": review.date_reviewed}
        version_model.objects.create(
            **extra,
            regimen=regimen,
            number=1,
            status=ContentStatus.PUBLISHED,
            verification=definition["verification"],
            verification_note=definition.get("verification_note", ""),
            source=definition["source"],
            definition=definition,
            author=definition["author"],
            checker=definition.get("checker") or "",
            change_reason="Shipped content, version 1.",
            published_at=now,
        )
        added += 1
    return added
