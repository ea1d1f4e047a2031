"""Prices and reimbursement notes: read-only in the admin. Price lists are governed content
(``governance.admin.GovernedContentAdmin``): they change only through the four-eyes workflow on
the /content/ pages; reimbursement notes are loaded from the content files."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from costs.models import DrugPrice, ReimbursementNote
from governance.admin import GovernedContentAdmin


class _ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DrugPrice)
class DrugPriceAdmin(GovernedContentAdmin):
    list_display = ("key", "number", "status", "currency", "source_date", "verification")
    list_filter = ("status", "country", "verification")
    search_fields = ("drug",)


@admin.register(ReimbursementNote)
class ReimbursementNoteAdmin(_ReadOnly):
    list_display = ("drug", "country", "status", "source_date", "verification")
    list_filter = ("country", "verification")
    search_fields = ("drug",)
