"""Prices and reimbursement notes: read-only in the admin (they are loaded from content files;
drafts and publishing belong to the one governed-content workflow)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from costs.models import DrugPrice, ReimbursementNote


class _ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DrugPrice)
class DrugPriceAdmin(_ReadOnly):
    list_display = ("drug", "country", "currency", "source_date", "verification")
    list_filter = ("country", "verification")
    search_fields = ("drug",)


@admin.register(ReimbursementNote)
class ReimbursementNoteAdmin(_ReadOnly):
    list_display = ("drug", "country", "status", "source_date", "verification")
    list_filter = ("country", "verification")
    search_fields = ("drug",)
