"""Admin for guideline content, with django-simple-history. Published guidelines are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from dosing.models import ContentStatus
from myeloma_core.treatment import TreatmentContentError
from treatment.models import Guideline, Recommendation


def _locked(guideline: Guideline | None) -> bool:
    return guideline is not None and guideline.status in (
        ContentStatus.PUBLISHED,
        ContentStatus.RETIRED,
    )


@admin.register(Guideline)
class GuidelineAdmin(SimpleHistoryAdmin):
    list_display = ("name", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("slug", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if _locked(obj):
            return [f.name for f in self.model._meta.fields]
        return ("status", "published_at")


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ("key", "setting", "regimen_slug", "basis", "grade", "verification", "guideline")
    list_filter = ("setting", "basis", "verification", "guideline")
    search_fields = ("key", "name", "regimen_slug")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and _locked(obj.guideline):
            return [f.name for f in self.model._meta.fields]
        return ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            obj.to_domain()  # the same validation as the shipped YAML (grade rules, criteria)
        except TreatmentContentError as error:
            raise ValidationError(str(error)) from error
        super().save_model(request, obj, form, change)
