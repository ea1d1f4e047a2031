"""Disease assessments on a saved plan — the line of therapy (domain-reference §21, api-v1).

An assessment keeps its findings exactly as entered (values with their units, G2) in the api-v1
shape; the response is computed from them on every read, never stored, so a corrected value or a
corrected rule changes every later category at once. Every change is kept in the history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dosing.models import TreatmentPlan
from governance.models import ContentStatus, GovernedVersion, Verification


class DiseaseAssessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.CASCADE, related_name="disease_assessments"
    )
    date = models.DateField(_("date"))
    baseline = models.BooleanField(_("baseline"), default=False)
    findings = models.JSONField(
        _("findings"),
        default=dict,
        blank=True,
        help_text=_("The values as entered, with their units (api-v1 field names)."),
    )
    heavy_chain = models.CharField(_("heavy chain"), max_length=4, blank=True)
    light_chain = models.CharField(_("light chain"), max_length=6, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disease_assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("disease assessment")
        verbose_name_plural = _("disease assessments")
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="followup_one_assessment_a_day"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(baseline=True), name="followup_one_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.date.isoformat()}"


class DoseOutcome(models.TextChoices):
    GIVEN = "given", _("given")
    DELAYED = "delayed", _("delayed")
    OMITTED = "omitted", _("omitted")
    DISCONTINUED = "discontinued", _("permanently discontinued")


class DoseRecord(models.Model):
    """What was done with one drug due on a treatment day, next to what the rules said
    (domain-reference §22). A delay or omission is also recorded as a plan adjustment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="dose_records")
    date = models.DateField(_("treatment day"))
    drug = models.CharField(_("drug"), max_length=40)
    suggested_action = models.CharField(_("suggested action"), max_length=12)
    outcome = models.CharField(_("what was done"), max_length=12, choices=DoseOutcome.choices)
    actual_date = models.DateField(_("given on"), null=True, blank=True)
    ctcae_version = models.CharField(_("CTCAE version"), max_length=8)
    # Empty when nothing was graded or no rule gave a reason (a dose given as planned).
    inputs = models.JSONField(_("counts and events"), default=dict, blank=True)
    grades = models.JSONField(_("grades"), default=dict, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    source = models.TextField(_("source"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dose_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "drug"]
        verbose_name = _("dose record")
        verbose_name_plural = _("dose records")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date", "drug"], name="followup_one_record_per_drug_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.date.isoformat()} {self.drug}: {self.outcome}"


class ToxicityRuleTable(GovernedVersion):
    """One version of one toxicity rule table (content/toxicity/<key>.yaml), governed content.

    The lineage ``key`` is the file's slug ("ctcae-5.0", "isatuximab-actions", "partner-drugs");
    the ``document`` is the file's YAML as JSON, validated by ``myeloma_core.toxicity_tables``
    together with the published tables it would sit beside (``followup.content_kind``).
    """

    key = models.SlugField(_("table"), max_length=60)
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    document = models.JSONField(_("rule table"))
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    source = models.TextField(_("source"))
    author = models.CharField(_("author"), max_length=200)
    checker = models.CharField(_("checker"), max_length=200, blank=True)
    golden_cases = models.JSONField(_("golden cases"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for content shipped with the application."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "-number"]
        verbose_name = _("toxicity rule table")
        verbose_name_plural = _("toxicity rule tables")
        constraints = [
            models.UniqueConstraint(fields=["key", "number"], name="toxicity_table_version_unique"),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status=ContentStatus.PUBLISHED),
                name="one_published_version_per_toxicity_table",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.number} ({self.get_status_display()})"
