from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up: response and MRD")

    def ready(self) -> None:
        from followup.content_kind import ToxicityKind
        from governance.kinds import kind_register

        kind_register(ToxicityKind())
