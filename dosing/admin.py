"""Admin for regimen content and plans, with django-simple-history (who, when, why).

Drugs, regimens and regimen versions are governed content: read-only here for every user
(``governance.admin.GovernedContentAdmin``); they change only through the four-eyes workflow on
the /content/ pages. Plans keep their working admin.
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
from governance.admin import GovernedContentAdmin


@admin.register(Drug)
class DrugAdmin(GovernedContentAdmin):
    list_display = ("inn", "name")
    search_fields = ("inn", "name")


@admin.register(Regimen)
class RegimenAdmin(GovernedContentAdmin):
    list_display = ("slug", "name")
    search_fields = ("slug", "name")


@admin.register(RegimenVersion)
class RegimenVersionAdmin(GovernedContentAdmin):
    list_display = ("regimen", "number", "status", "verification", "author", "checker")
    list_filter = ("status", "verification")
    search_fields = ("regimen__slug", "regimen__name")


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
