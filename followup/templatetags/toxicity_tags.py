"""The treatment-day panel on the saved plan page, loaded by the template (dosing never imports
us): the "before this treatment day" check, infusion worksheets and cumulative doses."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from dosing.models import TreatmentPlan
from followup.models import DoseRecord
from followup.toxicity import cumulative_doses, plan_infusions, plan_treatment_days

register = template.Library()


@register.inclusion_tag("followup/_treatment_day_panel.html")
def treatment_day_panel(plan: TreatmentPlan) -> dict[str, Any]:
    today = timezone.localdate()
    days = plan_treatment_days(plan)
    return {
        "plan": plan,
        "next_day": next((d for d in days if d >= today), None),
        "infusions": plan_infusions(plan),
        "cumulative": cumulative_doses(plan),
        "records": DoseRecord.objects.filter(plan=plan).select_related("recorded_by")[:50],
    }
