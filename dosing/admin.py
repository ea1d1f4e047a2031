"""Admin for regimen content and plans, with django-simple-history (who, when, why).

Regimen versions are read-only here: the four-eyes workflow lives in ``dosing.governance`` and
its pages under /content/.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from dosing.models import (
    Drug,
    PlanAdjustment,
    Regimen,
    RegimenVersion,
    TreatmentPlan,
)


@admin.register(Drug)
class DrugAdmin(SimpleHistoryAdmin):
    list_display = ("inn", "name")
    search_fields = ("inn", "name")


@admin.register(Regimen)
class RegimenAdmin(SimpleHistoryAdmin):
    list_display = ("slug", "name")
    search_fields = ("slug", "name")


@admin.register(RegimenVersion)
class RegimenVersionAdmin(SimpleHistoryAdmin):
    """Read-only here: drafts are edited and published on the governance pages (/content/)."""

    list_display = ("regimen", "number", "status", "verification", "author", "checker")
    list_filter = ("status", "verification")
    search_fields = ("regimen__slug", "regimen__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PlanAdjustmentInline(admin.TabularInline):
    model = PlanAdjustment
    extra = 0
    can_delete = False
    readonly_fields = (
        "drug",
        "planned_date",
        "actual_date",
        "scope",
        "reason",
        "recorded_by",
        "recorded_at",
    )


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(SimpleHistoryAdmin):
    list_display = ("id", "patient_reference", "regimen_version", "status", "saved_at")
    list_filter = ("status",)
    inlines = (PlanAdjustmentInline,)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
