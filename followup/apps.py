from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up: response and MRD")

    def ready(self) -> None:
        # dosing may not import followup (layers contract): the calendar asks its registry.
        from dosing.calendar_extras import calendar_extras_register
        from followup.calendar_lines import assessments_done_lines

        calendar_extras_register("followup.assessments", assessments_done_lines)

        from followup.content_kind import ToxicityKind
        from governance.kinds import kind_register

        kind_register(ToxicityKind())
