"""The plan wizard (one URL per step, state in a draft plan row) and the saved plan page.

Thin views: forms collect input, ``dosing.services`` computes (through ``myeloma_core``) and
writes in transactions; domain errors come back as errors at the field they name. Every step
is a plain form with PRG, so it works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, cast
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import user_team
from dosing.calendar_ics import plan_calendar_ics
from dosing.calendar_print import plan_calendar_print
from dosing.forms import (
    CalendarDownloadForm,
    PatientForm,
    PlanListFilterForm,
    RegimenChoiceForm,
    RescheduleForm,
    ScheduleForm,
)
from dosing.models import PlanStatus, TreatmentPlan
from dosing.presentation import (
    administrations_by_date,
    dose_rows,
    month_grids,
    plan_cycle_rows,
    plan_timeline,
)
from dosing.selectors import (
    plan_newer_version,
    plan_progress_today,
    plan_teams_visible_to,
    plan_visible,
    plans_listed,
    regimen_version_published,
    regimen_versions_published,
)
from dosing.services import (
    plan_compute,
    plan_draft_compute,
    plan_draft_save,
    plan_draft_set_patient,
    plan_draft_set_regimen,
    plan_draft_set_schedule,
    plan_draft_start,
    plan_recompute_as_new,
)
from dosing.services import (
    plan_reschedule as plan_reschedule_service,
)
from governance.actions import version_diff
from myeloma_core.dosing import DosingInputError
from myeloma_core.vocabulary import Verification
from webparts import current_assessment as carried

WIZARD_STEPS = (
    ("plan_regimen", "Regimen"),
    ("plan_patient", "Patient"),
    ("plan_doses", "Doses"),
    ("plan_schedule", "Start and cycles"),
    ("plan_preview", "Calendar and save"),
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # LoginRequiredMiddleware: never anonymous here


def _plan_for(request: HttpRequest, pk: UUID, *, status: str) -> TreatmentPlan:
    """A plan in the given status this user may see (``plans_visible_to``), else 404.

    404, not 403: a plan of another team does not exist for this user.
    """
    plan = plan_visible(user=_user(request), pk=pk, status=status)
    if plan is None:
        raise Http404("No such plan.")
    return plan


def _regimen_choices() -> list[tuple[str, str]]:
    return [
        (
            v.regimen.slug,
            v.name + (" — pending verification" if v.verification == Verification.PENDING else ""),
        )
        for v in regimen_versions_published()
    ]


def _wizard(
    request: HttpRequest, template: str, plan: TreatmentPlan | None, step: str, **ctx: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {"plan": plan, "steps": WIZARD_STEPS, "current_step": step, **ctx},
    )


def _field_error(form: Any, error: DosingInputError) -> None:
    name = error.field.removeprefix("patient.")
    if name == "creatinine":
        name = "creatinine_value"
    form.add_error(name if name in form.fields else None, error.message)


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """Saved plans the user may see: searchable by reference, filtered by status and team,
    soonest next treatment day first."""
    user = _user(request)
    form = PlanListFilterForm(request.GET or None, teams=plan_teams_visible_to(user))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = plans_listed(
        user,
        reference=filters.get("reference", "").strip(),
        status=filters.get("status", ""),
        team=filters.get("team", ""),
    )
    return render(
        request,
        "dosing/plan_list.html",
        {
            "entries": entries,
            "form": form,
            "filtered": bool(filters and any(filters.values())),
            "team": user_team(user=user),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    """Step 1 for a new plan; ``?regimen=<slug>`` preselects (from treatment options)."""
    form = RegimenChoiceForm(
        request.POST if request.method == "POST" else None,
        regimen_choices=_regimen_choices(),
        initial={"regimen": request.GET.get("regimen")},
    )
    if request.method == "POST" and form.is_valid():
        version = regimen_version_published(slug=form.cleaned_data["regimen"])
        plan = plan_draft_start(user=_user(request), version=version)
        return redirect("dosing:plan_patient", pk=plan.pk)
    return _wizard(
        request,
        "dosing/step_regimen.html",
        None,
        "plan_regimen",
        form=form,
        versions=regimen_versions_published(),
    )


@require_http_methods(["GET", "POST"])
def plan_regimen(request: HttpRequest, pk: UUID) -> HttpResponse:
    plan = _plan_for(request, pk, status=PlanStatus.DRAFT)
    form = RegimenChoiceForm(
        request.POST if request.method == "POST" else None,
        regimen_choices=_regimen_choices(),
        initial={"regimen": plan.regimen_version.regimen.slug},
    )
    if request.method == "POST" and form.is_valid():
        version = regimen_version_published(slug=form.cleaned_data["regimen"])
        plan_draft_set_regimen(plan=plan, version=version)
        return redirect("dosing:plan_patient", pk=plan.pk)
    return _wizard(
        request,
        "dosing/step_regimen.html",
        plan,
        "plan_regimen",
        form=form,
        versions=regimen_versions_published(),
    )


CARRIED_TO_PATIENT = (carried.AGE_YEARS, carried.CREATININE_VALUE, carried.CREATININE_UNIT)


def _patient_initial(plan: TreatmentPlan, current: dict[str, str]) -> dict[str, Any]:
    """The draft's patient, or what staging measured (age, creatinine with its unit) for a
    draft without one: measurements are typed once (``webparts.current_assessment``)."""
    if not plan.patient:
        return {key: current[key] for key in CARRIED_TO_PATIENT if key in current}
    data = dict(plan.patient)
    creatinine = data.pop("creatinine", None) or {}
    if creatinine:
        data["creatinine_value"] = creatinine.get("value")
        data["creatinine_unit"] = creatinine.get("unit")
    return data


@require_http_methods(["GET", "POST"])
def plan_patient(request: HttpRequest, pk: UUID) -> HttpResponse:
    plan = _plan_for(request, pk, status=PlanStatus.DRAFT)
    current = carried.assessment_current(request.session) if not plan.patient else {}
    form = PatientForm(
        request.POST if request.method == "POST" else None,
        initial=_patient_initial(plan, current),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = {
            "age_years": data["age_years"],
            "sex": data["sex"],
            "weight_kg": data["weight_kg"],
            "height_cm": data["height_cm"],
            "creatinine": {"value": data["creatinine_value"], "unit": data["creatinine_unit"]},
            "on_dialysis": data["on_dialysis"],
            "measured_on": data["measured_on"].isoformat(),
        }
        try:
            plan_draft_set_patient(plan=plan, patient=patient)
        except DosingInputError as error:
            _field_error(form, error)
        else:
            return redirect("dosing:plan_doses", pk=plan.pk)
    return _wizard(
        request,
        "dosing/step_patient.html",
        plan,
        "plan_patient",
        form=form,
        carried_lines=carried.assessment_lines(
            {key: value for key, value in current.items() if key in CARRIED_TO_PATIENT}
        ),
    )


@require_GET
def plan_doses(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Every dose with formula, inputs, rule and vials — before any date is chosen."""
    plan = _plan_for(request, pk, status=PlanStatus.DRAFT)
    if not plan.patient:
        return redirect("dosing:plan_patient", pk=plan.pk)
    spec_max = plan.regimen_version.to_domain().max_cycles
    computed = plan_compute(
        version=plan.regimen_version,
        patient=plan.patient,
        start_date=plan.start_date or plan.created_at.date(),
        cycles=min(2, spec_max or 2),
    )
    return _wizard(
        request,
        "dosing/step_doses.html",
        plan,
        "plan_doses",
        computed=computed,
        rows=dose_rows(computed),
    )


@require_http_methods(["GET", "POST"])
def plan_schedule(request: HttpRequest, pk: UUID) -> HttpResponse:
    plan = _plan_for(request, pk, status=PlanStatus.DRAFT)
    if not plan.patient:
        return redirect("dosing:plan_patient", pk=plan.pk)
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        initial={
            "start_date": plan.start_date,
            "cycles": plan.cycles or plan.regimen_version.to_domain().max_cycles,
            "patient_reference": plan.patient_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_draft_set_schedule(
                plan=plan,
                start_date=form.cleaned_data["start_date"],
                cycles=form.cleaned_data["cycles"],
                patient_reference=form.cleaned_data["patient_reference"],
            )
        except DosingInputError as error:
            _field_error(form, error)
        else:
            return redirect("dosing:plan_preview", pk=plan.pk)
    return _wizard(
        request,
        "dosing/step_schedule.html",
        plan,
        "plan_schedule",
        form=form,
        max_cycles=plan.regimen_version.to_domain().max_cycles,
    )


@require_http_methods(["GET", "POST"])
def plan_preview(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The draft's calendar; saving computes it again from the stored inputs.

    A changed regimen or patient clears the stored calendar (services), so what is shown is
    computed from the current inputs, and saving never stores an earlier calendar; inputs that
    no longer fit (cycles above the new regimen's length) send the clinician back to the
    schedule step with the reason.
    """
    plan = _plan_for(request, pk, status=PlanStatus.DRAFT)
    if plan.start_date is None or plan.cycles is None:
        return redirect("dosing:plan_schedule", pk=plan.pk)
    try:
        if request.method == "POST":
            plan_draft_save(plan=plan)
            carried.assessment_forget(request.session)  # this patient is done
            return redirect("dosing:plan_detail", pk=plan.pk)
        computed = plan.computed or plan_draft_compute(plan=plan)
    except DosingInputError as error:
        messages.error(request, error.message)
        return redirect("dosing:plan_schedule", pk=plan.pk)
    return _wizard(
        request,
        "dosing/step_preview.html",
        plan,
        "plan_preview",
        computed=computed,
        months=month_grids(computed),
        by_date=administrations_by_date(computed),
        rows=dose_rows(computed),
        adjustments=plan.adjustments.all(),
    )


def _plan_detail_page(
    request: HttpRequest, plan: TreatmentPlan, calendar_form: CalendarDownloadForm | None = None
) -> HttpResponse:
    if calendar_form is None:
        calendar_form = CalendarDownloadForm(initial={"lang": get_language()})
    drugs, cycle_rows = plan_cycle_rows(plan.computed)
    return render(
        request,
        "dosing/plan_detail.html",
        {
            "plan": plan,
            "calendar_form": calendar_form,
            "computed": plan.computed,
            "progress": plan_progress_today(plan),
            "timeline": plan_timeline(plan.computed, today=timezone.localdate()),
            "drugs": drugs,
            "cycle_rows": cycle_rows,
            "rows": dose_rows(plan.computed),
            "adjustments": plan.adjustments.select_related("recorded_by"),
            "history": plan.history.select_related("history_user").order_by("-history_date"),
            **_newer_version_context(plan),
        },
    )


def _newer_version_context(plan: TreatmentPlan) -> dict[str, Any]:
    """A newer published regimen version is shown with its changes — never applied silently."""
    newer = plan_newer_version(plan=plan)
    if newer is None:
        return {"newer_version": None, "newer_diff": []}
    return {
        "newer_version": newer,
        "newer_diff": version_diff(newer, against=plan.regimen_version),
    }


@require_POST
def plan_recompute(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Start a new draft plan on the newer version with the same inputs; the old plan stays."""
    plan = _plan_for(request, pk, status=PlanStatus.SAVED)
    try:
        draft = plan_recompute_as_new(plan=plan, user=_user(request))
    except DosingInputError as error:
        messages.error(request, error.message)
        return redirect("dosing:plan_detail", pk=plan.pk)
    return redirect("dosing:plan_preview", pk=draft.pk)


@require_GET
def plan_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    plan = _plan_for(request, pk, status=PlanStatus.SAVED)
    return _plan_detail_page(request, plan)


@require_GET
def plan_administrations(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Every administration of a saved plan by date, with premedication and the links to
    record a dose given on another date or omitted (kept off the plan page: it is long)."""
    plan = _plan_for(request, pk, status=PlanStatus.SAVED)
    return render(
        request,
        "dosing/plan_administrations.html",
        {"plan": plan, "by_date": administrations_by_date(plan.computed)},
    )


def _calendar_download(
    plan: TreatmentPlan, body: bytes, *, content_type: str, extension: str, language: str
) -> HttpResponse:
    reference = slugify(plan.patient_reference) or str(plan.pk)[:8]
    response = HttpResponse(body, content_type=content_type)
    filename = f"treatment-calendar-{reference}-{language}.{extension}"
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    response["Cache-Control"] = "no-store"  # may carry the patient's name: keep it out of caches
    return response


CALENDAR_BODY_HEADER = "X-Calendar-Body"


def calendar_pdf_rate_limited(user: User) -> HttpResponse | None:
    """429 once a user has asked for ``CALENDAR_PDF_PER_MINUTE`` PDFs this minute, else None.

    Counted in the cache (Redis when the tasks run on Redis: then across every app process).
    """
    minute = int(time.time() // 60)
    key = f"calendar-pdf-rate:{user.pk}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= settings.CALENDAR_PDF_PER_MINUTE:
        return None
    wait = 60 - int(time.time()) % 60
    message = _(
        "Too many calendar PDFs: at most %(limit)s per minute for each user. "
        "Try again in %(seconds)s seconds."
    ) % {"limit": settings.CALENDAR_PDF_PER_MINUTE, "seconds": wait}
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def plan_calendar_pdf_download(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The printable patient calendar; ``name`` is printed on the cover, never stored or logged.

    POST (with the CSRF token) carries the name, so it never travels in a URL: no browser
    history, no proxy or access log, no Referer. GET returns the calendar with a blank name
    line ("Name: ________"); a ``name`` in its query string is ignored. The response is the
    PDF itself, not a redirect; ``X-Calendar-Body: rendered`` says this request had to render
    the calendar's body (it was not ready yet), ``stored`` that it was ready.
    """
    plan = _plan_for(request, pk, status=PlanStatus.SAVED)
    form = CalendarDownloadForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return _plan_detail_page(request, plan, form)
    limited = calendar_pdf_rate_limited(_user(request))
    if limited is not None:
        return limited
    language = form.cleaned_data["lang"]
    name = form.cleaned_data["name"] if request.method == "POST" else ""
    printed = plan_calendar_print(plan=plan, language=language, patient_name=name)
    response = _calendar_download(
        plan, printed.pdf, content_type="application/pdf", extension="pdf", language=language
    )
    response[CALENDAR_BODY_HEADER] = "stored" if printed.body_was_ready else "rendered"
    return response


@require_GET
def plan_calendar_ics_download(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The treatment days as an iCalendar file; a newer download updates the same events.

    GET, since it carries no name (a ``name`` parameter, if any, is ignored).
    """
    plan = _plan_for(request, pk, status=PlanStatus.SAVED)
    form = CalendarDownloadForm(request.GET)
    if not form.is_valid():
        return _plan_detail_page(request, plan, form)
    language = form.cleaned_data["lang"]
    ics = plan_calendar_ics(plan=plan, language=language, reminders=form.cleaned_data["reminders"])
    return _calendar_download(
        plan, ics, content_type="text/calendar; charset=utf-8", extension="ics", language=language
    )


def _planned_choices(plan: TreatmentPlan) -> list[tuple[str, str]]:
    return [
        (f"{adm['drug']}|{adm['date']}", f"{adm['date']} — {adm['drug']} {adm['dose']['value']} mg")
        for adm in plan.computed.get("administrations", [])
        if adm["status"] == "planned"
    ]


@require_http_methods(["GET", "POST"])
def plan_reschedule(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Record a dose given on another date or omitted — exactly the dose named, or nothing.

    A link (``?drug=…&date=…``) preselects its dose only while that dose is still planned; a
    stale link says so and preselects nothing, so no other dose is recorded by accident.
    """
    plan = _plan_for(request, pk, status=PlanStatus.SAVED)
    planned = _planned_choices(plan)
    linked_drug, linked_date = request.GET.get("drug", ""), request.GET.get("date", "")
    linked = f"{linked_drug}|{linked_date}"
    linked_is_planned = linked in {value for value, _label in planned}
    form = RescheduleForm(
        request.POST if request.method == "POST" else None,
        planned=planned,
        initial={"administration": linked if linked_is_planned else ""},
    )
    stale_link = (
        {"drug": linked_drug, "date": linked_date}
        if request.method == "GET" and (linked_drug or linked_date) and not linked_is_planned
        else None
    )
    if request.method == "POST" and form.is_valid():
        drug, planned_on = form.cleaned_data["administration"].split("|")
        try:
            plan_reschedule_service(
                plan=plan,
                user=_user(request),
                drug=drug,
                planned_date=dt.date.fromisoformat(planned_on),
                actual_date=form.cleaned_data["actual_date"],
                scope=form.cleaned_data["scope"],
                reason=form.cleaned_data["reason"],
            )
        except DosingInputError as error:
            field = {"planned_date": "administration", "drug": "administration"}.get(
                error.field, error.field
            )
            form.add_error(field if field in form.fields else None, error.message)
        else:
            return redirect("dosing:plan_detail", pk=plan.pk)
    return render(
        request,
        "dosing/plan_reschedule.html",
        {"plan": plan, "form": form, "stale_link": stale_link},
    )
