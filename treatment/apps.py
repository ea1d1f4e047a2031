from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "treatment"
    verbose_name = _("Treatment options")

    def ready(self) -> None:
        from governance.kinds import kind_register
        from treatment.content_kind import GuidelineKind

        kind_register(GuidelineKind())
