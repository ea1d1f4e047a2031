"""Reads for dosing: published regimen versions, their validated specifications, and the plans
a user may see (the one access rule every page, download and API endpoint goes through)."""

from __future__ import annotations

import json
from functools import lru_cache
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import Membership
from dosing.models import ContentStatus, PlanStatus, RegimenVersion, TreatmentPlan
from myeloma_core.dosing import DosingInputError
from myeloma_core.regimen import RegimenSpec
from myeloma_core.regimen_schema import regimen_spec_from_dict

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


def plans_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[TreatmentPlan]:
    """The plans ``user`` may read and change — every plan page, download and endpoint uses it.

    A plan with a team is visible to that team's members; a plan without a team (its creator had
    none) only to its creator. So a user without a team sees only their own plans, and a user who
    leaves a team loses its plans. Anything else does not exist for the user: callers answer 404,
    never 403. One query (the team is a subquery), no duplicate rows.
    """
    if not user.is_authenticated:
        return TreatmentPlan.objects.none()
    user_teams = Membership.objects.filter(user_id=user.pk).values("team_id")
    return TreatmentPlan.objects.filter(
        Q(team_id__in=user_teams) | Q(team__isnull=True, created_by_id=user.pk)
    )


def plan_visible(
    *, user: AbstractBaseUser | AnonymousUser, pk: UUID, status: str
) -> TreatmentPlan | None:
    """One plan in ``status`` that ``user`` may see, with its regimen; None when there is none.

    A saved plan: ``plans_visible_to``. A draft holds one clinician's wizard state and stays
    its creator's until saved (whatever team the creator is in meanwhile).
    """
    if not user.is_authenticated:
        return None
    if status == PlanStatus.DRAFT:
        plans = TreatmentPlan.objects.filter(created_by_id=user.pk)
    else:
        plans = plans_visible_to(user)
    return (
        plans.filter(pk=pk, status=status)
        .select_related("regimen_version__regimen", "team")
        .first()
    )
