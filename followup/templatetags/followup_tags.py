"""The response panel on the saved plan page, loaded by the template (dosing never imports us)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.roles import CLINICIAN, user_has_any_role
from dosing.models import TreatmentPlan
from followup.assessments import landmark_window_days
from followup.chart import response_chart
from followup.forms import QUANTITIES, AssessmentForm
from followup.selectors import plan_assessments, plan_response
from myeloma_core.response_series import summary_line
from myeloma_core.response_types import Track

register = template.Library()

# What the response is measured on (IMWG 2016 measurable disease, myeloma_core.response_categories),
# in words: the enum's value is an internal code (issue 16).
TRACK_LABELS: dict[Track, StrOrPromise] = {
    Track.SERUM_URINE: _("Serum and urine M-protein"),
    Track.FLC: _("Serum free light chains"),
    Track.BONE_MARROW: _("Bone-marrow plasma cells"),
    Track.NONE: _("No measurable disease"),
}


@register.filter
def track_label(track: Track) -> StrOrPromise:
    """The measurable-disease track in the clinician's words."""
    return TRACK_LABELS[Track(track)]


@register.inclusion_tag("followup/_response_panel.html", takes_context=True)
def response_panel(context: template.Context, plan: TreatmentPlan) -> dict[str, Any]:
    """Assessments, the response table and picture, the letter line and the entry form."""
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = list(plan_assessments(plan=plan))
    result = plan_response(plan=plan, rows=rows)
    window = landmark_window_days()
    by_date = {r.date: r for r in result.assessments} if result else {}
    return {
        "plan": plan,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "result": result,
        "lines": [(row, by_date.get(row.date)) for row in rows],
        "summary": summary_line(result) if result else "",
        "chart": (
            response_chart(result, treatment_start=plan.start_date, window_days=window)
            if result and plan.start_date
            else None
        ),
        "can_record": user is not None and user_has_any_role(user, (CLINICIAN,)),
        "form": AssessmentForm(initial={"baseline": not rows}),
    }


@register.inclusion_tag("followup/_assessment_fields.html", takes_context=True)
def assessment_fields(
    context: template.Context, form: AssessmentForm, action: str, submit_label: str
) -> dict[str, Any]:
    """The assessment form's fields, grouped (quantities next to their units)."""
    return {
        "form": form,
        "action": action,
        "submit_label": submit_label,
        "csrf_token": context.get("csrf_token"),
        "quantity_fields": [(form[name], form[f"{name}_unit"]) for name in QUANTITIES],
        "finding_fields": [
            form[name]
            for name in (
                "serum_ife",
                "urine_ife",
                "ife_shift_assay",
                "bone_marrow_plasma_cells_percent",
                "bone_marrow_clonality",
                "plasmacytoma",
                "new_bone_lesions",
            )
        ],
        "mrd_fields": [
            form[name] for name in ("mrd_result", "mrd_method", "mrd_sensitivity", "pet_ct")
        ],
    }
