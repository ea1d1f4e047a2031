"""The treatment-options page: one form, options that update as fields change (HTMX) or on submit.

Without JavaScript the form posts and the whole page comes back with the options; with htmx only
the results fragment is re-rendered (field errors go out-of-band to their fields), so nothing typed
is lost. Invalid input answers 200 (htmx does not swap 4xx). Results from the staging pages come
from the session's current assessment (``webparts.current_assessment``) or, for older links, as
GET parameters (``r2_iss``, ``ims_high_risk``, ``frailty``), which win; they are shown beside the
options and never change the matching. Setting and frailty from staging prefill the form.
Options of the setting that are not offered are listed with their reasons ("not offered:
refractory to pomalidomide").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_stubs_ext import StrOrPromise

from myeloma_core.content_checks import option_regimen_conflicts
from myeloma_core.errors import InvalidInput
from myeloma_core.frailty import FrailtyCategory
from myeloma_core.regimen import RegimenSpec
from myeloma_core.staging import STAGE_ORDER, HighRiskStatus
from myeloma_core.treatment import Match, Option, OptionsResult
from treatment.assessments import TreatmentAssessment, treatment_options_assess
from treatment.forms import TreatmentForm
from treatment.models import Setting
from webparts import current_assessment as carried
from webparts.htmx import HtmxHttpRequest

FIELD_LABELS: dict[str, StrOrPromise] = {
    "prior_lines": _("number of prior lines"),
    "exposed_to": _("drugs the patient was exposed to"),
    "refractory_to": _("drugs the disease is refractory to"),
    "transplant_eligible": _("transplant eligibility"),
    "frailty": _("frailty"),
}

# Values the staging pages produce (myeloma_core.staging / frailty), and nothing else.
STAGING_PARAMS: dict[str, tuple[StrOrPromise, tuple[str, ...]]] = {
    "r2_iss": (_("R2-ISS"), STAGE_ORDER),
    "ims_high_risk": (_("High-risk MM (IMS/IMWG 2025)"), tuple(HighRiskStatus)),
    "frailty": (_("Frailty"), tuple(FrailtyCategory)),
}
FORM_FRAILTY = ("fit", "intermediate", "frail")


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionRow:
    """``plan_conflicts``: why the linked regimen contradicts the option (no "start a plan")."""

    option: Option
    depends_on: tuple[StrOrPromise, ...]
    can_start_plan: bool
    plan_conflicts: tuple[str, ...] = ()


def _from_staging(found: Mapping[str, str]) -> list[tuple[str, StrOrPromise, str]]:
    """(key, label, value) for each recognised staging result."""
    shown = []
    for key, (label, accepted) in STAGING_PARAMS.items():
        value = found.get(key, "")
        if value in accepted:
            shown.append((key, label, value))
    return shown


def _rows(options: tuple[Option, ...], plan_specs: dict[str, RegimenSpec]) -> list[OptionRow]:
    """A plan can be started only with a published regimen that does not contradict the option
    (``option_regimen_conflicts``: setting, transplant milestone)."""
    rows = []
    for option in options:
        spec = plan_specs.get(option.recommendation.regimen or "")
        conflicts = () if spec is None else option_regimen_conflicts(option.recommendation, spec)
        rows.append(
            OptionRow(
                option=option,
                depends_on=tuple(FIELD_LABELS.get(f, f) for f in option.depends_on),
                can_start_plan=spec is not None and not conflicts,
                plan_conflicts=conflicts,
            )
        )
    return rows


def _assessed(form: TreatmentForm) -> TreatmentAssessment | None:
    """The options for valid input; the domain's refusal goes to the field it names."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return treatment_options_assess(form.api_data())
    except InvalidInput as error:
        form.domain_error_add(error)
        return None


@require_http_methods(["GET", "POST"])
def index(request: HtmxHttpRequest) -> HttpResponse:
    current = carried.assessment_current(request.session)
    staging = _from_staging({**current, **request.GET.dict()})
    initial = {key: value for key, _label, value in staging if value in FORM_FRAILTY}
    if current.get(carried.SETTING) in Setting.values:
        initial["setting"] = current[carried.SETTING]
    form = (
        TreatmentForm(request.POST) if request.method == "POST" else TreatmentForm(initial=initial)
    )
    assessment = _assessed(form)
    options_rows: list[OptionRow] = []
    investigational_rows: list[OptionRow] = []
    if assessment is not None:
        result: OptionsResult = assessment.result
        plan_specs = assessment.regimens_published
        options_rows = _rows(result.options, plan_specs)
        investigational_rows = _rows(result.investigational, plan_specs)
    template = "treatment/index.html"
    context = {
        "form": form,
        "assessment": assessment,
        "options_rows": options_rows,
        "investigational_rows": investigational_rows,
        "excluded": assessment.result.excluded if assessment else (),
        "missing": [FIELD_LABELS.get(f, f) for f in assessment.result.missing]
        if assessment
        else [],
        "staging": staging,
        "carried_lines": carried.assessment_lines(current),
        "url": request.get_full_path(),
        "possible": Match.POSSIBLE,
    }
    return render(request, f"{template}#results" if request.htmx else template, context)
