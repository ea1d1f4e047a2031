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
