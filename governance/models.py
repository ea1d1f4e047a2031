"""What every kind of governed content shares: its statuses, its lineage lock and the fields the
four-eyes workflow keeps on each version (``GovernedVersion``).

A *lineage* is one piece of content through all its versions (a regimen, a guideline); a
*version* is one row of it, draft → in review → published → retired. The version tables belong
to their apps (``dosing.RegimenVersion``, ``treatment.Guideline``); the workflow that changes
them is ``governance.actions``, the same for every kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.text_limits import TextLengthValidator
from myeloma_core import vocabulary
from webparts.choices import text_choices

Verification = text_choices(
    vocabulary.Verification,
    labels={
        vocabulary.Verification.VERIFIED: _("verified"),
        vocabulary.Verification.PENDING: _("pending verification"),
    },
)


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class Lineage(models.Model):
    """One row per lineage, locked while a version of it is drafted or published.

    ``SELECT … FOR UPDATE`` on this row serialises publishing per lineage on PostgreSQL; SQLite
    runs every transaction IMMEDIATE (settings), which serialises all writers.
    """

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=80)
    published_count = models.PositiveIntegerField(
        _("publications"),
        default=0,
        help_text=_("Counts every change of the version in force: publications and retirements."),
    )
    last_published_at = models.DateTimeField(_("last published"), null=True, blank=True)

    class Meta:
        verbose_name = _("content lineage")
        verbose_name_plural = _("content lineages")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="lineage_kind_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class GovernedVersion(models.Model):
    """Fields the workflow keeps on every version, whatever its kind."""

    base = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
        help_text=_(
            "The version this draft was copied from. It may be published only while its base "
            "is still the published version."
        ),
    )
    editor_ids = models.JSONField(
        _("editors"),
        default=list,
        blank=True,
        help_text=_("Every user who created or edited this draft; none of them may approve it."),
    )
    checked_by = models.CharField(
        _("checked by"),
        max_length=200,
        blank=True,
        help_text=_("Who checked the content against its source (required for verified)."),
    )
    date_reviewed = models.DateField(_("date reviewed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    publish_reason = models.TextField(
        _("reason for publishing"), blank=True, validators=[TextLengthValidator()]
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
