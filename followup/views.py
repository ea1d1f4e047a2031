"""Record and correct disease assessments on a saved plan (thin views; PRG; no JavaScript needed).

The plan's access rule is the one of dosing (``plan_visible``: 404 for other teams); recording
needs the clinician role. Invalid input re-renders the form with the values kept (status 200,
htmx swaps it), nothing half-saved.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.roles import CLINICIAN, user_has_any_role
from dosing.models import PlanStatus, TreatmentPlan
from dosing.selectors import plan_visible
from followup.forms import AssessmentForm, CorrectionForm, initial_from
from followup.models import DiseaseAssessment
from followup.services import assessment_record, assessment_update
from myeloma_core.errors import InvalidInput


def _clinician_plan(request: HttpRequest, pk: UUID) -> TreatmentPlan:
    plan = plan_visible(user=request.user, pk=pk, status=PlanStatus.SAVED)
    if plan is None:
        raise Http404
    if not user_has_any_role(request.user, (CLINICIAN,)):
        raise PermissionDenied
    return plan


def _back_to_plan(plan: TreatmentPlan) -> HttpResponse:
    return redirect(reverse("dosing:plan_detail", kwargs={"pk": plan.pk}) + "#response")


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, pk: UUID) -> HttpResponse:
    plan = _clinician_plan(request, pk)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_record(plan=plan, user=cast(User, request.user), data=form.assessment_data())
        except InvalidInput as error:
            form.add_domain_error(error.field, error.message)
        else:
            return _back_to_plan(plan)
    return render(
        request, "followup/assessment_form.html", {"plan": plan, "form": form, "row": None}
    )


@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: UUID, assessment_id: UUID) -> HttpResponse:
    plan = _clinician_plan(request, pk)
    row = DiseaseAssessment.objects.filter(plan=plan, pk=assessment_id).first()
    if row is None:
        raise Http404
    form = CorrectionForm(request.POST or None, initial=initial_from(row))
    if request.method == "POST" and form.is_valid():
        try:
            assessment_update(
                assessment=row, data=form.assessment_data(), reason=form.cleaned_data["reason"]
            )
        except InvalidInput as error:
            form.add_domain_error(error.field, error.message)
        else:
            return _back_to_plan(plan)
    history = row.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "followup/assessment_form.html",
        {"plan": plan, "form": form, "row": row, "history": history},
    )
