"""CRS, ICANS and KVA calculators (thin views; htmx updates the results, works without JS).

Without JavaScript the form posts and the whole page comes back with the result; with htmx only
the result region is re-rendered. Invalid input answers 200 with the values kept.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from followup.toxicity_forms import CalculatorForm, CrsForm, IcansForm, KvaForm

CALCULATORS: dict[str, type[CalculatorForm]] = {
    "crs": CrsForm,
    "icans": IcansForm,
    "kva": KvaForm,
}


def _calculator(request: HttpRequest, active: str) -> HttpResponse:
    form_class = CALCULATORS[active]
    form = form_class(request.POST) if request.method == "POST" else form_class()
    if form.is_bound:
        form.is_valid()
    template = "followup/toxicity_calculator.html"
    name = f"{template}#results" if getattr(request, "htmx", False) else template
    context = {"form": form, "result": form.result, "url": request.path, "active": active}
    return render(request, name, context)


@require_http_methods(["GET", "POST"])
def crs(request: HttpRequest) -> HttpResponse:
    return _calculator(request, "crs")


@require_http_methods(["GET", "POST"])
def icans(request: HttpRequest) -> HttpResponse:
    return _calculator(request, "icans")


@require_http_methods(["GET", "POST"])
def kva(request: HttpRequest) -> HttpResponse:
    return _calculator(request, "kva")
