"""Drug prices and reimbursement notes per country: content, read-only in the admin.

One row per file under ``content/prices/`` (one drug in one country) and per country note under
``content/reimbursement/``; each carries its source, date and verification. The rows are loaded
from the files (``costs.content``) after the domain validated them, never typed into the admin.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from myeloma_core.cost import PriceList, price_list_from_dict


class Verification(models.TextChoices):
    VERIFIED = "verified", _("verified")
    PENDING = "pending", _("pending verification")


class DrugPrice(models.Model):
    """The vial prices of one drug in one country (``vials``: strength_mg, pack, price as text)."""

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
    loaded_at = models.DateTimeField(_("loaded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("drug price")
        verbose_name_plural = _("drug prices")
        ordering = ("drug", "country")
        constraints = [
            models.UniqueConstraint(fields=("drug", "country"), name="costs_price_drug_country"),
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


class ReimbursementNote(models.Model):
    """Whether a drug is reimbursed in one country, as the source says."""

    drug = models.SlugField(_("drug (INN)"), max_length=80)
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2)
    status = models.CharField(_("status"), max_length=80)
    note = models.TextField(_("note"))
    source = models.TextField(_("source"))
    source_date = models.CharField(_("source date"), max_length=20)
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    verification_note = models.TextField(_("verification note"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reimbursement note")
        verbose_name_plural = _("reimbursement notes")
        ordering = ("drug", "country")
        constraints = [
            models.UniqueConstraint(
                fields=("drug", "country"), name="costs_reimbursement_drug_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drug} ({self.country}): {self.status}"
