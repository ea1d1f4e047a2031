"""Admin for follow-up: the toxicity rule tables are governed content, read-only here for every
user (``governance.admin.GovernedContentAdmin``); they change only through the four-eyes workflow
on the /content/ pages. Dose records keep the plans' working admin (``dosing.admin``): listed,
searched and viewed with their history, never added or edited here — what was done is recorded
on the treatment-day page, which also moves the plan's reschedule."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from followup.models import DoseRecord, ToxicityRuleTable
from governance.admin import GovernedContentAdmin


@admin.register(ToxicityRuleTable)
class ToxicityRuleTableAdmin(GovernedContentAdmin):
    list_display = ("key", "number", "status", "verification", "author", "checker")
    list_filter = ("status", "verification")
    search_fields = ("key",)


@admin.register(DoseRecord)
class DoseRecordAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "date", "drug", "suggested_action", "outcome", "recorded_by")
    list_filter = ("outcome", "suggested_action", "drug")
    search_fields = ("plan__patient_reference", "drug")
    date_hierarchy = "date"
    list_select_related = ("plan", "recorded_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
