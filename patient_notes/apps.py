from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientNotesConfig(AppConfig):
    name = "patient_notes"
    verbose_name = _("Patient and staff notes")

    def ready(self) -> None:
        from governance.kinds import kind_register
        from patient_notes.content_kind import PatientNoteKind

        kind_register(PatientNoteKind())
