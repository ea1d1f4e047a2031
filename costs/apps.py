from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsConfig(AppConfig):
    name = "costs"
    verbose_name = _("Drug prices, cost and vial waste")

    def ready(self) -> None:
        from costs.content_kind import PriceKind, ReimbursementKind
        from governance.kinds import kind_register

        kind_register(PriceKind())
        kind_register(ReimbursementKind())
