from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DosingConfig(AppConfig):
    name = "dosing"
    verbose_name = _("Regimens, dosing and plans")

    def ready(self) -> None:
        from dosing.content_kind import RegimenKind
        from governance.kinds import kind_register

        kind_register(RegimenKind())
