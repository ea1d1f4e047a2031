"""Admin for regimen content, with django-simple-history. Published versions are read-only.

The four-eyes publish workflow (draft → in review → published) is its own issue; until it lands,
editors create and edit drafts here and published rows cannot be changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from dosing.models import (
    ContentStatus,
    Drug,
    PlanAdjustment,
    Regimen,
    RegimenVersion,
    TreatmentPlan,
)
from myeloma_core.regimen import RegimenContentError, regimen_spec_from_dict


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
    list_display = ("regimen", "number", "status", "verification", "published_at")
    list_filter = ("status", "verification")
    search_fields = ("regimen__slug", "regimen__name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status in (ContentStatus.PUBLISHED, ContentStatus.RETIRED):
            return [f.name for f in self.model._meta.fields]
        return ("status", "published_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            regimen_spec_from_dict(obj.definition)
        except RegimenContentError as error:
            raise ValidationError(str(error)) from error
        super().save_model(request, obj, form, change)


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
