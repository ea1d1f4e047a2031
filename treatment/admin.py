"""Admin for guideline content: a read-only window with django-simple-history, for every user.

Guidelines and recommendations change only through the four-eyes workflow on /content/.
"""

from __future__ import annotations

from django.contrib import admin

from governance.admin import GovernedContentAdmin
from treatment.models import Guideline, Recommendation


@admin.register(Guideline)
class GuidelineAdmin(GovernedContentAdmin):
    list_display = ("name", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("slug", "name")


@admin.register(Recommendation)
class RecommendationAdmin(GovernedContentAdmin):
    list_display = ("key", "setting", "regimen_slug", "basis", "grade", "verification", "guideline")
    list_filter = ("setting", "basis", "verification", "guideline")
    search_fields = ("key", "name", "regimen_slug")
