"""The "before this treatment day" page of a saved plan (thin view; PRG; no JavaScript needed).

Team access as for plans (404 otherwise); checking is open to the plan's team, recording what
was done needs the clinician role. Invalid input re-renders the form with the values kept.
"""

from __future__ import annotations

import datetime as dt
from typing import cast
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import CLINICIAN, user_has_any_role
from dosing.models import PlanStatus, TreatmentPlan
from dosing.selectors import plan_visible
from followup.dose_check_forms import DoseCheckForm
from followup.dose_records import dose_day_record
from followup.models import DoseRecord
from followup.toxicity import dose_check_data, drugs_due, plan_infusions, plan_treatment_days
from followup.toxicity_content import toxicity_content
from followup.worksheet_pdf import infusion_worksheet_pdf
from myeloma_core.errors import InvalidInput


def _plan(request: HttpRequest, pk: UUID) -> TreatmentPlan:
    plan = plan_visible(user=request.user, pk=pk, status=PlanStatus.SAVED)
    if plan is None:
        raise Http404
    return plan


def _day(request: HttpRequest, days: list[dt.date]) -> dt.date:
    """The chosen treatment day, else the next one from today, else the last."""
    raw = request.POST.get("date") or request.GET.get("date") or ""
    try:
        chosen = dt.date.fromisoformat(raw)
    except ValueError:
        chosen = None
    if chosen is not None and chosen in days:
        return chosen
    today = timezone.localdate()
    return next((d for d in days if d >= today), days[-1])


@require_http_methods(["GET", "POST"])
def dose_check(request: HttpRequest, pk: UUID) -> HttpResponse:
    plan = _plan(request, pk)
    days = plan_treatment_days(plan)
    if not days:
        raise Http404
    day = _day(request, days)
    drugs = drugs_due(plan, day)
    initial = {"ctcae_version": toxicity_content().default_ctcae_version}
    data = request.POST if request.method == "POST" else None
    form = DoseCheckForm(data, drugs=drugs, date=day, initial=initial)
    result = None
    if form.is_bound and form.is_valid():
        try:
            request_data = form.api_data()
            result = dose_check_data(plan, request_data)
            if "record" in request.POST:
                if not user_has_any_role(request.user, (CLINICIAN,)):
                    raise PermissionDenied
                dose_day_record(
                    plan=plan,
                    user=cast(User, request.user),
                    data=request_data,
                    outcomes=form.outcomes(),
                )
                url = reverse("followup:dose_check", kwargs={"pk": plan.pk})
                return redirect(f"{url}?date={day.isoformat()}")
        except InvalidInput as error:
            form.add_error(form.field_for(error.field), error.message)
    context = {
        "plan": plan,
        "days": days,
        "day": day,
        "form": form,
        "result": result,
        "records": DoseRecord.objects.filter(plan=plan, date=day),
        "infusion": next((i for i in plan_infusions(plan) if i["date"] == day.isoformat()), None),
        "can_record": user_has_any_role(request.user, (CLINICIAN,)),
    }
    return render(request, "followup/dose_check.html", context)


@require_http_methods(["GET"])
def infusion_worksheet(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The nurse worksheet of one isatuximab infusion day (?date=YYYY-MM-DD) as a PDF."""
    plan = _plan(request, pk)
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
        pdf = infusion_worksheet_pdf(plan=plan, day=day)
    except (ValueError, InvalidInput):
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"infusion-worksheet-{day.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
