"""Patient and staff notes as governed content (content/patient_notes/<id>.yaml, issue 12).

One lineage per note (``key`` is the note's id); the ``document`` is the file's YAML as JSON,
validated by ``myeloma_core.patient_notes``; its golden cases are kept beside it, as a
regimen's are. Published and retired versions never change (``governance.triggers``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import ContentStatus, GovernedVersion, Verification


class Audience(models.TextChoices):
    PATIENT = "patient", _("patient")
    STAFF = "staff", _("staff")


class PatientNoteVersion(GovernedVersion):
    """One version of one note: its texts, where it is printed and for which treatments."""

    key = models.SlugField(_("note"), max_length=60)
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    place = models.CharField(_("place"), max_length=40)
    document = models.JSONField(_("note"))
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    verification_note = models.TextField(_("verification note"), blank=True)
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
        verbose_name = _("patient or staff note")
        verbose_name_plural = _("patient and staff notes")
        constraints = [
            models.UniqueConstraint(fields=["key", "number"], name="patient_note_version_unique"),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status="published"),
                name="one_published_version_per_patient_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.number} ({self.get_status_display()})"
