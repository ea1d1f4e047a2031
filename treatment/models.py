"""Guideline content: a guideline version and its recommendations (domain-reference §12).

Rows map to ``myeloma_core.treatment`` at one edge (``to_domain()``); the domain validates every
row before the loader writes it. Shipped content comes from ``content/guidelines/*.yaml``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import ContentStatus, GovernedVersion, Verification
from governance.text_limits import TextLengthValidator
from myeloma_core import treatment as domain
from myeloma_core import vocabulary
from myeloma_core.treatment_schema import recommendation_from_dict
from webparts.choices import text_choices

Setting = text_choices(
    vocabulary.Setting,
    labels={
        vocabulary.Setting.SMOULDERING_HIGH_RISK: _("High-risk smouldering myeloma"),
        vocabulary.Setting.NDMM: _("Newly diagnosed myeloma"),
        vocabulary.Setting.RRMM: _("Relapsed/refractory myeloma"),
    },
)

Basis = text_choices(
    vocabulary.Basis,
    labels={
        vocabulary.Basis.GUIDELINE: _("guideline recommendation"),
        vocabulary.Basis.LABEL: _("approved indication (EMA)"),
        vocabulary.Basis.INVESTIGATIONAL: _("investigational (trial regimen)"),
    },
)


class Guideline(GovernedVersion):
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    source = models.TextField(_("source"))
    author = models.CharField(_("author"), max_length=200)
    checker = models.CharField(_("checker"), max_length=200, blank=True)
    setting_notes = models.JSONField(
        _("notes per setting"), default=dict, blank=True, help_text=_("{setting: [note, …]}")
    )
    golden_cases = models.JSONField(
        _("golden cases"),
        default=list,
        blank=True,
        help_text=_("Patient settings that must still give exactly their expected options."),
    )
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
        ordering = ["slug", "-version"]
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="guideline_version_unique"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(status=ContentStatus.PUBLISHED),
                name="one_published_version_per_guideline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.get_status_display()})"

    def to_domain(self) -> domain.Guideline:
        """The guideline as ``myeloma_core.treatment`` reads it (its notes per setting)."""
        notes = {
            vocabulary.Setting(setting): tuple(str(note) for note in notes)
            for setting, notes in (self.setting_notes or {}).items()
        }
        return domain.Guideline(
            slug=self.slug,
            name=self.name,
            version=self.version,
            source=self.source,
            author=self.author,
            checker=self.checker or None,
            setting_notes=notes,
        )


class Recommendation(models.Model):
    guideline = models.ForeignKey(
        Guideline, on_delete=models.PROTECT, related_name="recommendations"
    )
    key = models.SlugField(_("key"), max_length=80)
    regimen_slug = models.SlugField(
        _("regimen"),
        max_length=60,
        blank=True,
        help_text=_("A regimen slug from the dosing content; empty when there is no regimen."),
    )
    name = models.CharField(_("name"), max_length=200)
    setting = models.CharField(_("setting"), max_length=24, choices=Setting.choices)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    rank = models.IntegerField(_("rank"), default=0)
    evidence = models.TextField(_("evidence"))
    grade = models.CharField(
        _("grade"),
        max_length=20,
        blank=True,
        help_text=_("Only for a verified guideline recommendation, e.g. [I, A]."),
    )
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    pivotal_trial = models.CharField(_("pivotal trial"), max_length=80, blank=True)
    source = models.TextField(_("source"))
    notes = models.JSONField(_("notes"), default=list, blank=True)
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    verification_note = models.TextField(
        _("verification note"),
        blank=True,
        validators=[TextLengthValidator("Verification note")],
    )
    drugs = models.JSONField(
        _("drugs"),
        default=list,
        blank=True,
        help_text=_(
            "Only without a regimen: the option's drugs (lower-case INNs), so that it is never "
            "offered for disease refractory to one of them."
        ),
    )
    checked_by = models.CharField(
        _("checked by"),
        max_length=200,
        blank=True,
        help_text=_("What or who a verified option was checked against (its verification record)."),
    )
    date_reviewed = models.DateField(_("date reviewed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["guideline", "setting", "rank", "key"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["guideline", "key"], name="recommendation_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_setting_display()})"

    def as_content(self) -> dict[str, object]:
        """The row in the shape of a YAML recommendation (what the domain validates)."""
        return {
            "key": self.key,
            "regimen": self.regimen_slug or None,
            "name": self.name,
            "setting": self.setting,
            "criteria": self.criteria,
            "rank": self.rank,
            "evidence": self.evidence,
            "grade": self.grade or None,
            "basis": self.basis,
            "pivotal_trial": self.pivotal_trial or None,
            "source": self.source,
            "notes": list(self.notes or []),
            "verification": self.verification,
            "verification_note": self.verification_note or None,
            "drugs": list(self.drugs or []) or None,
        } | (
            {"checked_by": self.checked_by, "date_reviewed": self.date_reviewed}
            if self.checked_by
            else {}
        )

    def to_domain(self) -> domain.Recommendation:
        return recommendation_from_dict(self.as_content(), self.key)
