"""Staging pages: one form each, results that update as fields change (HTMX) or on submit.

Without JavaScript the form posts and the whole page comes back with the results; with htmx
the form region (fields + results) is re-rendered as a fragment, so field errors show at the
field and nothing typed is lost. Invalid input answers 200 (htmx does not swap 4xx).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from myeloma_core.errors import InvalidInput
from myeloma_core.patient_notes import Place, TreatmentFacts
from patient_notes.selectors import notes_for
from staging.assessments import diagnosis_assess, frailty_assess, smouldering_assess, staging_assess
from staging.forms import (
    AssessmentForm,
    DiagnosisForm,
    FrailtyForm,
    SmoulderingForm,
    StagingForm,
)
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


def _assessment_page(
    request: HtmxHttpRequest,
    form_class: type[AssessmentForm],
    assess: Callable[[Mapping[str, Any]], Any],
    active: str,
) -> HttpResponse:
    template = f"staging/{active}.html"
    form = form_class(request.POST) if request.method == "POST" else form_class()
    result = _assessed(form, assess)
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
