"""Staging pages: one form each, results that update as fields change (HTMX) or on submit.

Without JavaScript the form posts and the whole page comes back with the results; with htmx
the form region (fields + results) is re-rendered as a fragment, so field errors show at the
field and nothing typed is lost. Invalid input answers 200 (htmx does not swap 4xx).

A result is remembered as the session's current assessment (``webparts.current_assessment``):
treatment options and the plan wizard prefill their fields from it, so nothing is typed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from myeloma_core.diagnosis import Classification
from myeloma_core.errors import InvalidInput
from myeloma_core.patient_notes import Place, TreatmentFacts
from myeloma_core.smouldering import SmoulderingRisk
from myeloma_core.vocabulary import Setting
from patient_notes.selectors import notes_for
from staging.assessments import diagnosis_assess, frailty_assess, smouldering_assess, staging_assess
from staging.forms import (
    AssessmentForm,
    DiagnosisForm,
    FrailtyForm,
    SmoulderingForm,
    StagingForm,
)
from webparts import current_assessment as carried
from webparts.htmx import HtmxHttpRequest


def _assessed(form: AssessmentForm, assess: Callable[[Mapping[str, Any]], Any]) -> Any:
    """The result for valid input (for no input: what is needed to decide); the domain's
    refusal goes to the fields it names."""
    if not form.is_bound:
        return assess({})
    if not form.is_valid():
        return None
    try:
        return assess(form.api_data())
    except InvalidInput as error:
        form.domain_error_add(error)
        return None


def _typed_creatinine(form: AssessmentForm) -> dict[str, Any]:
    """The creatinine as typed ("1,2" stays "1,2") with its unit, or nothing."""
    value = str(form.data.get("creatinine_value", "")).strip()
    return {
        carried.CREATININE_VALUE: value,
        carried.CREATININE_UNIT: form.cleaned_data.get("creatinine_unit") if value else None,
    }


def _staging_carried(form: AssessmentForm, result: Any) -> dict[str, Any]:
    return {
        carried.R2_ISS: result.r2_iss.stage,
        carried.IMS_HIGH_RISK: result.high_risk_ims_imwg_2025.status.value,
        **_typed_creatinine(form),
    }


def _diagnosis_carried(form: AssessmentForm, result: Any) -> dict[str, Any]:
    """Myeloma by the IMWG criteria is the newly diagnosed setting (a prefill to confirm)."""
    myeloma = result.classification == Classification.MULTIPLE_MYELOMA
    return {carried.SETTING: Setting.NDMM.value if myeloma else None, **_typed_creatinine(form)}


def _smouldering_carried(form: AssessmentForm, result: Any) -> dict[str, Any]:
    high_risk = result.risk == SmoulderingRisk.HIGH
    return {carried.SETTING: Setting.SMOULDERING_HIGH_RISK.value if high_risk else None}


def _frailty_carried(form: AssessmentForm, result: Any) -> dict[str, Any]:
    category = result.simplified.category
    return {
        carried.FRAILTY: category.value if category else None,
        carried.AGE_YEARS: str(form.data.get("age_years", "")).strip(),
    }


CARRIED_BY_PAGE: dict[str, Callable[[AssessmentForm, Any], dict[str, Any]]] = {
    "staging": _staging_carried,
    "diagnosis": _diagnosis_carried,
    "smouldering": _smouldering_carried,
    "frailty": _frailty_carried,
}


def _assessment_page(
    request: HtmxHttpRequest,
    form_class: type[AssessmentForm],
    assess: Callable[[Mapping[str, Any]], Any],
    active: str,
) -> HttpResponse:
    template = f"staging/{active}.html"
    form = form_class(request.POST) if request.method == "POST" else form_class()
    result = _assessed(form, assess)
    if form.is_bound and result is not None:
        carried.assessment_remember(
            request.session, page=active, values=CARRIED_BY_PAGE[active](form, result)
        )
    name = f"{template}#results" if request.htmx else template
    context = {
        "form": form,
        "result": result,
        "url": request.path,
        "active": active,
        "staff_notes": _staff_notes(form),
    }
    return render(request, name, context)


def _staff_notes(form: AssessmentForm) -> list[dict[str, Any]]:
    """The published staff notes for the drugs the form says the patient received (the
    anti-CD38 interference on SPE/IFE, content/patient_notes/)."""
    received = "received_isatuximab" in form.fields and form["received_isatuximab"].value()
    if not received:
        return []  # a staging note is about a drug the patient received (no query without one)
    facts = TreatmentFacts(drugs=frozenset({"isatuximab"}))
    language = translation.get_language() or "en"
    return [
        {
            "id": published.note.id,
            "paragraphs": published.note.text(language).paragraphs,
            "pending": published.note.pending,
        }
        for published in notes_for(Place.STAGING_RESULT, facts)
    ]


@require_http_methods(["GET", "POST"])
def staging_index(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, StagingForm, staging_assess, "staging")


@require_http_methods(["GET", "POST"])
def smouldering(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, SmoulderingForm, smouldering_assess, "smouldering")


@require_http_methods(["GET", "POST"])
def diagnosis(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, DiagnosisForm, diagnosis_assess, "diagnosis")


@require_http_methods(["GET", "POST"])
def frailty(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, FrailtyForm, frailty_assess, "frailty")


@require_POST
def assessment_clear(request: HttpRequest) -> HttpResponse:
    """Forget the current assessment (next patient) and go back to the page that asked."""
    carried.assessment_forget(request.session)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return redirect(back)
