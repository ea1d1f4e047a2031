"""Admin for follow-up content: the toxicity rule tables are governed content, read-only here for
every user (``governance.admin.GovernedContentAdmin``); they change only through the four-eyes
workflow on the /content/ pages."""

from __future__ import annotations

from django.contrib import admin

from followup.models import ToxicityRuleTable
from governance.admin import GovernedContentAdmin


@admin.register(ToxicityRuleTable)
class ToxicityRuleTableAdmin(GovernedContentAdmin):
    list_display = ("key", "number", "status", "verification", "author", "checker")
    list_filter = ("status", "verification")
    search_fields = ("key",)
