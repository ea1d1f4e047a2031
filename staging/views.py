"""Staging pages: one form each, results that update as fields change (HTMX) or on submit.

Without JavaScript the form posts and the whole page comes back with the results; with htmx
the form region (fields + results) is re-rendered as a fragment, so field errors show at the
field and nothing typed is lost. Invalid input answers 200 (htmx does not swap 4xx).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from staging.forms import (
    AssessmentForm,
    DiagnosisForm,
    FrailtyForm,
    SmoulderingForm,
    StagingForm,
)
from webparts.htmx import HtmxHttpRequest


def _assessment_page(
    request: HtmxHttpRequest, form_class: type[AssessmentForm], active: str
) -> HttpResponse:
    template = f"staging/{active}.html"
    form = form_class(request.POST) if request.method == "POST" else form_class()
    if form.is_bound:
        form.is_valid()
    else:
        form.result = form_class.assess({})  # empty input: shows what is needed to decide
    name = f"{template}#results" if request.htmx else template
    context = {"form": form, "result": form.result, "url": request.path, "active": active}
    return render(request, name, context)


@require_http_methods(["GET", "POST"])
def staging_index(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, StagingForm, "staging")


@require_http_methods(["GET", "POST"])
def smouldering(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, SmoulderingForm, "smouldering")


@require_http_methods(["GET", "POST"])
def diagnosis(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, DiagnosisForm, "diagnosis")


@require_http_methods(["GET", "POST"])
def frailty(request: HtmxHttpRequest) -> HttpResponse:
    return _assessment_page(request, FrailtyForm, "frailty")
