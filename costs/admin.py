"""Prices and reimbursement notes: governed content, read-only in the admin for every user
(``governance.admin.GovernedContentAdmin``); they change only through the four-eyes workflow on
the /content/ pages."""

from __future__ import annotations

from django.contrib import admin

from costs.models import DrugPrice, ReimbursementNote
from governance.admin import GovernedContentAdmin


@admin.register(DrugPrice)
class DrugPriceAdmin(GovernedContentAdmin):
    list_display = ("key", "number", "status", "currency", "source_date", "verification")
    list_filter = ("status", "country", "verification")
    search_fields = ("drug",)


@admin.register(ReimbursementNote)
class ReimbursementNoteAdmin(GovernedContentAdmin):
    list_display = ("key", "number", "status", "reimbursement", "source_date", "verification")
    list_filter = ("status", "country", "verification")
    search_fields = ("drug",)
