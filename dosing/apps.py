from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DosingConfig(AppConfig):
    name = "dosing"
    verbose_name = _("Regimens, dosing and plans")
