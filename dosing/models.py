"""Regimen content (drugs, regimens, versioned definitions) and saved treatment plans.

A regimen version's ``definition`` is the regimen as ``myeloma_core.regimen`` reads it (the
same dict as its YAML file in ``content/regimens/``); the domain validates it before it is
stored. Published versions are immutable; a saved plan pins the version it was computed from
together with its inputs and the computed administrations, so a reprint reproduces it exactly.
"""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import ContentStatus, GovernedVersion, Verification
from governance.text_limits import TextLengthValidator
from myeloma_core.regimen import RegimenSpec
from myeloma_core.regimen_schema import regimen_spec_from_dict
from myeloma_core.schedule import RescheduleScope
from webparts.choices import text_choices


class Drug(models.Model):
    inn = models.SlugField(_("INN"), max_length=80, unique=True, help_text=_("Lower-case INN."))
    name = models.CharField(_("name"), max_length=120)
    presentations = models.JSONField(
        _("presentations"),
        default=list,
        help_text=_("Vials, capsules or tablets: form, strength in mg, volume in mL."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["inn"]
        verbose_name = _("drug")
        verbose_name_plural = _("drugs")

    def __str__(self) -> str:
        return self.name


class Regimen(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "The name when the regimen was first loaded: a search and sort key only. Pages, "
            "prints and the API show the name of the regimen version."
        ),
    )
    indication = models.TextField(
        _("indication"),
        blank=True,
        help_text=_(
            "The indication when the regimen was first loaded, never shown to users: they see "
            "the indication of the regimen version."
        ),
    )
    source = models.TextField(_("source"))
    drugs = models.ManyToManyField(Drug, related_name="regimens", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("regimen")
        verbose_name_plural = _("regimens")

    def __str__(self) -> str:
        return self.name


@lru_cache(maxsize=256)
def _spec_from_json(definition_json: str) -> RegimenSpec:
    return regimen_spec_from_dict(json.loads(definition_json))


class RegimenVersion(GovernedVersion):
    regimen = models.ForeignKey(Regimen, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    verification_note = models.TextField(
        _("verification note"),
        blank=True,
        validators=[TextLengthValidator("Verification note")],
    )
    source = models.TextField(_("source"))
    definition = models.JSONField(_("definition"))
    author = models.CharField(_("author"), max_length=200)
    checker = models.CharField(_("checker"), max_length=200, blank=True)
    change_reason = models.TextField(
        _("reason for this version"), blank=True, validators=[TextLengthValidator()]
    )
    golden_cases = models.JSONField(
        _("golden cases"),
        default=list,
        blank=True,
        help_text=_("Worked examples that must still give their expected doses and dates."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for content shipped with the application."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["regimen__slug", "-number"]
        verbose_name = _("regimen version")
        verbose_name_plural = _("regimen versions")
        constraints = [
            models.UniqueConstraint(fields=["regimen", "number"], name="regimen_version_unique"),
            models.UniqueConstraint(
                fields=["regimen"],
                condition=Q(status=ContentStatus.PUBLISHED),
                name="one_published_version_per_regimen",
            ),
            models.CheckConstraint(
                condition=Q(status=ContentStatus.DRAFT)
                | Q(status=ContentStatus.IN_REVIEW)
                | Q(published_at__isnull=False),
                name="published_or_retired_has_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regimen.slug} v{self.number} ({self.get_status_display()})"

    @property
    def name(self) -> str:
        """The regimen's name as this version defines it: what every page, print and API shows.

        A plan pins its version, so a later version that renames the regimen never changes
        what an old plan says (issue 12).
        """
        return str(self.definition["name"])

    @property
    def indication(self) -> str:
        """The indication as this version defines it (see ``name``)."""
        return str(self.definition.get("indication") or "")

    def to_domain(self) -> RegimenSpec:
        """The validated domain spec of this version (memoised on the exact definition): what
        views and services read instead of the raw ``definition``."""
        return _spec_from_json(json.dumps(self.definition, sort_keys=True))


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SAVED = "saved", _("saved")


class TreatmentPlan(models.Model):
    """A patient's plan. While ``draft`` it holds the wizard's state; once saved it is pinned."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    regimen_version = models.ForeignKey(
        RegimenVersion, on_delete=models.PROTECT, related_name="plans"
    )
    patient_reference = models.CharField(
        _("patient reference"),
        max_length=40,
        blank=True,
        help_text=_("A pseudonymous clinic reference. Never a name or national ID."),
    )
    # A draft has no measurements and no calendar until the wizard's steps fill them in.
    patient = models.JSONField(_("patient measurements"), default=dict, blank=True)
    dosing_settings = models.JSONField(_("dosing settings"), default=dict)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    cycles = models.PositiveSmallIntegerField(_("cycles"), null=True, blank=True)
    computed = models.JSONField(
        _("computed plan"),
        default=dict,
        blank=True,
        help_text=_("Cycles and administrations as computed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plans"
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("team"),
        help_text=_(
            "The creator's team when the plan was started; only its members read the plan. "
            "Empty when the creator had no team: then only the creator reads it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("treatment plan")
        verbose_name_plural = _("treatment plans")

    def __str__(self) -> str:
        return f"{self.patient_reference or self.id} — {self.regimen_version}"


class PlanAdjustment(models.Model):
    """A dose given on another date, or omitted. Recorded, never deleted (§14.6, X27)."""

    Scope = text_choices(
        RescheduleScope,
        labels={
            RescheduleScope.DRUG: _("this medicine's later doses keep their interval"),
            RescheduleScope.CYCLE: _("every later administration moves"),
        },
    )

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="adjustments")
    drug = models.CharField(max_length=80)
    planned_date = models.DateField()
    actual_date = models.DateField(null=True, blank=True, help_text=_("Empty when omitted."))
    scope = models.CharField(max_length=5, choices=Scope.choices, default=RescheduleScope.DRUG)
    reason = models.TextField(blank=True, validators=[TextLengthValidator()])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        when = self.actual_date.isoformat() if self.actual_date else "omitted"
        return f"{self.drug} {self.planned_date.isoformat()} → {when}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "planned_date": self.planned_date.isoformat(),
            "actual_date": None if self.actual_date is None else self.actual_date.isoformat(),
            "scope": self.scope,
        }


class CalendarBody(models.Model):
    """A plan's patient calendar rendered without a name, kept so a print renders only its cover.

    One row per plan, revision and language: ``revision`` is a digest of everything the
    printed calendar shows (``dosing.calendar_pdf.calendar_revision``), so a reschedule, a
    new template or another day's date is simply another row. ``pdf`` is empty while the row
    claims the render (``claimed_at``): one render at a time per document, never two. It holds
    no patient name: names are typed at print time and only ever printed on the cover.
    """

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="+")
    revision = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    pdf = models.BinaryField(null=True, editable=False)
    page_count = models.PositiveSmallIntegerField(null=True)
    cover_page_count = models.PositiveSmallIntegerField(null=True)
    claimed_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "revision", "language"], name="calendar_body_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.language} {self.revision[:8]}"

    @property
    def ready(self) -> bool:
        return self.pdf is not None
