from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagingConfig(AppConfig):
    name = "staging"
    verbose_name = _("Staging and risk")
