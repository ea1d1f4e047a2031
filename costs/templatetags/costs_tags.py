"""Cost and waste on the saved plan page, reimbursement notes on the treatment options page.

Loaded by the templates, so dosing and treatment never import this app.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from accounts.roles import CLINICIAN, user_has_any_role
from costs.selectors import plan_drug_costs, reimbursement_notes, site_country
from dosing.models import TreatmentPlan
from myeloma_core.cost import money_format

register = template.Library()


@register.filter
def money(amount: Decimal, currency: str) -> str:
    """``kr 63 122,80``, ``558,04 €`` (myeloma_core.cost.money_format)."""
    return money_format(amount, currency)


@register.inclusion_tag("costs/_plan_cost.html", takes_context=True)
def plan_cost_panel(context: template.Context, plan: TreatmentPlan) -> dict[str, Any]:
    """Each drug's vials, drug given and discarded and cost in the site's country."""
    request = context.get("request")
    user = getattr(request, "user", None)
    country = site_country()
    return {
        "plan": plan,
        "country": country,
        "drug_costs": plan_drug_costs(plan=plan, country=country),
        "can_export": user is not None and user_has_any_role(user, (CLINICIAN,)),
    }


@register.inclusion_tag("costs/_reimbursement.html")
def reimbursement_panel() -> dict[str, Any]:
    """Every reimbursement note, the site's country first."""
    country = site_country()
    notes = list(reimbursement_notes())
    notes.sort(key=lambda n: (n.drug, n.country != country, n.country))
    return {"country": country, "notes": notes}
