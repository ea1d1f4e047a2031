"""Patient and staff notes are governed content: read-only here for every user
(``governance.admin.GovernedContentAdmin``); they change only through the four-eyes workflow on
the /content/ pages."""

from __future__ import annotations

from django.contrib import admin

from governance.admin import GovernedContentAdmin
from patient_notes.models import PatientNoteVersion


@admin.register(PatientNoteVersion)
class PatientNoteVersionAdmin(GovernedContentAdmin):
    list_display = ("key", "number", "status", "audience", "place", "verification", "checked_by")
    list_filter = ("status", "audience", "verification")
    search_fields = ("key",)
