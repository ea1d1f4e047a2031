"""Reads for dosing: published regimen versions, their validated specifications, and the plans
a user may see (the one access rule every page, download and API endpoint goes through)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership
from dosing.models import ContentStatus, PlanStatus, RegimenVersion, TreatmentPlan
from myeloma_core.dosing import DosingInputError
from myeloma_core.plan_progress import PlanProgress, plan_progress

UNKNOWN_REGIMEN = "Unknown regimen {slug!r}. Choose one of the published regimens: {slugs}."


def regimen_versions_published() -> QuerySet[RegimenVersion]:
    return (
        RegimenVersion.objects.filter(status=ContentStatus.PUBLISHED)
        .select_related("regimen")
        .order_by("definition__name")
    )


def regimen_version_published(*, slug: str) -> RegimenVersion:
    """The clinic sees only published content; any other slug is an input error."""
    version = regimen_versions_published().filter(regimen__slug=slug).first()
    if version is None:
        slugs = ", ".join(regimen_versions_published().values_list("regimen__slug", flat=True))
        raise DosingInputError("regimen", UNKNOWN_REGIMEN.format(slug=slug, slugs=slugs))
    return version


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


def _newest_published_numbers() -> dict[int, int]:
    """Regimen id → number of its newest published version (one query for a whole list)."""
    return dict(
        RegimenVersion.objects.filter(status=ContentStatus.PUBLISHED)
        .values("regimen_id")
        .annotate(newest=Max("number"))
        .values_list("regimen_id", "newest")
    )


def _progress(plan: TreatmentPlan, *, today: dt.date, newest: dict[int, int]) -> PlanProgress:
    version = plan.regimen_version
    return plan_progress(
        plan.computed.get("administrations", []),
        today=today,
        newer_version=newest.get(version.regimen_id, version.number) > version.number,
    )


def plan_progress_today(plan: TreatmentPlan, *, today: dt.date | None = None) -> PlanProgress:
    """Status and next treatment day of one plan as of today (the clinic's local date)."""
    return _progress(plan, today=today or timezone.localdate(), newest=_newest_published_numbers())


def plan_teams_visible_to(user: AbstractBaseUser | AnonymousUser) -> list[tuple[int, str]]:
    """(id, name) of the teams whose saved plans ``user`` sees — for the list's team filter."""
    return list(
        plans_visible_to(user)
        .filter(status=PlanStatus.SAVED, team__isnull=False)
        .values_list("team_id", "team__name")
        .distinct()
        .order_by("team__name")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanListEntry:
    plan: TreatmentPlan
    progress: PlanProgress


def plans_listed(
    user: AbstractBaseUser | AnonymousUser,
    *,
    reference: str = "",
    status: str = "",
    team: str = "",
    today: dt.date | None = None,
) -> list[PlanListEntry]:
    """Saved plans ``user`` may see (``plans_visible_to``), soonest next treatment day first.

    ``reference`` matches part of the patient reference (case-insensitive); ``status`` (a
    ``PlanState``) and ``team`` (a team id, or "none" for plans without a team) narrow further;
    empty means any. Finished plans (no next day) come last, most recently ended first.
    """
    plans = (
        plans_visible_to(user)
        .filter(status=PlanStatus.SAVED)
        .select_related("regimen_version__regimen", "created_by", "team")
    )
    if reference:
        plans = plans.filter(patient_reference__icontains=reference)
    if team == "none":
        plans = plans.filter(team__isnull=True)
    elif team.isdigit():
        plans = plans.filter(team_id=int(team))
    day = today or timezone.localdate()
    newest = _newest_published_numbers()
    entries = [
        PlanListEntry(plan=plan, progress=_progress(plan, today=day, newest=newest))
        for plan in plans
    ]
    if status:
        entries = [entry for entry in entries if entry.progress.status == status]

    def order(entry: PlanListEntry) -> tuple[int, int]:
        progress = entry.progress
        if progress.next_date is not None:
            return (0, progress.next_date.toordinal())
        last = progress.last_date.toordinal() if progress.last_date else 0
        return (1, -last)

    return sorted(entries, key=order)


def plan_newer_version(*, plan: TreatmentPlan) -> RegimenVersion | None:
    """The published version of the plan's regimen when it is newer than the pinned one."""
    newer = (
        RegimenVersion.objects.filter(
            regimen_id=plan.regimen_version.regimen_id, status=ContentStatus.PUBLISHED
        )
        .exclude(pk=plan.regimen_version_id)
        .first()
    )
    if newer is None or newer.number <= plan.regimen_version.number:
        return None
    return newer
