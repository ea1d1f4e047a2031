"""Drug prices and reimbursement notes per country: content, read-only in the admin.

A price list (one drug in one country, ``content/prices/``) is governed content: one lineage per
drug and country (key ``isatuximab-NO``), drafted, reviewed by a second person and published
through ``governance.actions``; only the published version is read. A reimbursement note (one
country's note in a file of ``content/reimbursement/``, key ``isatuximab-NO``) is governed the
same way. Each row carries its source, date and verification; the domain validates it before
anything is written.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import ContentStatus, GovernedVersion, Verification
from myeloma_core.cost import PriceList
from myeloma_core.cost_schema import price_list_from_dict


class DrugPrice(GovernedVersion):
    """The vial prices of one drug in one country (``vials``: strength_mg, pack, price as text)."""

    key = models.CharField(_("price list"), max_length=90, help_text=_("drug-COUNTRY"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    drug = models.SlugField(_("drug (INN)"), max_length=80)
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2)
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3)
    vials = models.JSONField(_("vials and prices"))
    source = models.TextField(_("source"))
    source_date = models.CharField(_("source date"), max_length=20)
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    verification_note = models.TextField(_("verification note"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    checker = models.CharField(_("checker"), max_length=200, blank=True)
    golden_cases = models.JSONField(_("golden cases"), default=list, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)
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
        verbose_name = _("drug price")
        verbose_name_plural = _("drug prices")
        ordering = ("drug", "country", "-number")
        constraints = [
            models.UniqueConstraint(fields=("key", "number"), name="costs_price_version_unique"),
            models.UniqueConstraint(
                fields=("drug", "country"),
                condition=models.Q(status=ContentStatus.PUBLISHED),
                name="costs_price_drug_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug} ({self.country}, {self.currency})"

    def as_content(self) -> dict[str, Any]:
        """The row as its YAML file reads (what ``price_list_from_dict`` validates)."""
        return {
            "drug": self.drug,
            "country": self.country,
            "currency": self.currency,
            "vials": self.vials,
            "source": self.source,
            "source_date": self.source_date,
            "verification": self.verification,
            "verification_note": self.verification_note,
            "author": self.author,
            "checker": self.checker,
        }

    def to_domain(self) -> PriceList:
        return price_list_from_dict(self.as_content())


class ReimbursementNote(GovernedVersion):
    """Whether a drug is reimbursed in one country, as the source says."""

    key = models.CharField(_("reimbursement note"), max_length=90, help_text=_("drug-COUNTRY"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    drug = models.SlugField(_("drug (INN)"), max_length=80)
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2)
    reimbursement = models.CharField(_("reimbursement"), max_length=80)
    note = models.TextField(_("note"))
    source = models.TextField(_("source"))
    source_date = models.CharField(_("source date"), max_length=20)
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    verification_note = models.TextField(_("verification note"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    checker = models.CharField(_("checker"), max_length=200, blank=True)
    golden_cases = models.JSONField(_("golden cases"), default=list, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)
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
        verbose_name = _("reimbursement note")
        verbose_name_plural = _("reimbursement notes")
        ordering = ("drug", "country", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=("key", "number"), name="costs_reimbursement_version_unique"
            ),
            models.UniqueConstraint(
                fields=("drug", "country"),
                condition=models.Q(status=ContentStatus.PUBLISHED),
                name="costs_reimbursement_drug_country",
            ),
        ]

    def as_content(self) -> dict[str, Any]:
        """The note as one reimbursement file with this country's note alone."""
        return {
            "drug": self.drug,
            "source": self.source,
            "source_date": self.source_date,
            "verification": self.verification,
            "verification_note": self.verification_note,
            "notes": [{"country": self.country, "status": self.reimbursement, "note": self.note}],
        }

    def __str__(self) -> str:
        return f"{self.drug} ({self.country}): {self.reimbursement}"
