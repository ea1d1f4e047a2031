"""Reads for dosing: published regimen versions and their validated specifications."""

from __future__ import annotations

import json
from functools import lru_cache

from django.db.models import QuerySet

from dosing.models import ContentStatus, RegimenVersion
from myeloma_core.dosing import DosingInputError
from myeloma_core.regimen import RegimenSpec, regimen_spec_from_dict

UNKNOWN_REGIMEN = "Unknown regimen {slug!r}. Choose one of the published regimens: {slugs}."


def regimen_versions_published() -> QuerySet[RegimenVersion]:
    return (
        RegimenVersion.objects.filter(status=ContentStatus.PUBLISHED)
        .select_related("regimen")
        .order_by("regimen__name")
    )


def regimen_version_published(*, slug: str) -> RegimenVersion:
    """The clinic sees only published content; any other slug is an input error."""
    version = regimen_versions_published().filter(regimen__slug=slug).first()
    if version is None:
        slugs = ", ".join(regimen_versions_published().values_list("regimen__slug", flat=True))
        raise DosingInputError("regimen", UNKNOWN_REGIMEN.format(slug=slug, slugs=slugs))
    return version


@lru_cache(maxsize=256)
def _spec_from_json(definition_json: str) -> RegimenSpec:
    return regimen_spec_from_dict(json.loads(definition_json))


def regimen_spec(version: RegimenVersion) -> RegimenSpec:
    """The validated domain spec of a version (memoised on the exact definition)."""
    return _spec_from_json(json.dumps(version.definition, sort_keys=True))
