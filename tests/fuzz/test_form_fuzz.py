"""Hypothesis against the HTML forms: never a 5xx; an invalid form names each field it refuses.

Forms answer 200 (htmx swaps only 2xx) or, for wizard steps that succeed, a 302 to the next step.
Validity is judged by the same form class bound to the POST the view received (a reference):
whenever it is invalid, the page must show each of its errors at its field (the crispy
``error_N_<id>`` block, the staging/treatment ``<id>-errors`` block, or an ``is-invalid`` control).
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from typing import TYPE_CHECKING, Any

import pytest
from django import forms
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dosing.forms import (
    CalendarDownloadForm,
    PatientForm,
    RegimenChoiceForm,
    RescheduleForm,
    ScheduleForm,
)
from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create, plan_draft_set_patient, plan_draft_start
from dosing.views import _planned_choices, _regimen_choices
from staging.forms import AssessmentForm, DiagnosisForm, FrailtyForm, SmoulderingForm, StagingForm
from tests.fuzz.strategies import EXAMPLES, FUZZ_SETTINGS, form_value
from treatment.forms import HISTORY_CHOICES, TreatmentForm

if TYPE_CHECKING:  # the test client's response type exists in django-stubs only
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

FORMS: dict[str, type[AssessmentForm]] = {
    "/staging/": StagingForm,
    "/staging/smouldering/": SmoulderingForm,
    "/staging/diagnosis/": DiagnosisForm,
    "/staging/frailty/": FrailtyForm,
}

PATIENT = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-02",
}


def _form_data(
    names: list[str], plausible: dict[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the form's fields (plausible values where given, else junk) plus extras."""
    plausible = plausible or {}
    values = {
        name: st.one_of(plausible[name], plausible[name], form_value())
        if name in plausible
        else form_value()
        for name in names
    }
    known = st.fixed_dictionaries({}, optional=values)
    extra = st.dictionaries(st.text(min_size=1, max_size=10), form_value(), max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def _text(values: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


NUMBER_TEXT = st.one_of(
    st.integers(min_value=-10, max_value=300).map(str),
    st.floats(min_value=-10, max_value=300).map(lambda x: f"{x:.2f}"),
)
DATE_TEXT = st.one_of(
    st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2026, 6, 30)).map(
        lambda d: d.isoformat()
    ),
    st.dates().map(lambda d: d.isoformat()),
    _text(["2026-02-30", "0000-01-01", "9999-12-31", "2026-1-5", "05/01/2026", ""]),
)
BOOL_TEXT = _text(["on", "", "true", "false", "0", "1"])


def _shows_error(content: str, form: forms.Form, name: str, message: str) -> bool:
    auto_id = form[name].auto_id
    marked = (
        f'id="error_1_{auto_id}"' in content  # crispy-forms bootstrap5
        or f'id="{auto_id}-errors"' in content  # staging/_field_errors.html (also htmx oob)
        or re.search(rf'id="{re.escape(auto_id)}"[^>]*is-invalid', content) is not None
    )
    return marked and escape(message) in content


def _check_form(
    response: TestResponse, reference: forms.Form, context: Any, *, redirect_ok: bool = False
) -> None:
    """200 (or a 302 when the wizard step succeeded); every error of an invalid form is shown
    at its field; a 200 for a valid form (a domain rule refused it) names a field too."""
    status = response.status_code
    assert status < 500, context
    content = response.content.decode()
    if reference.is_valid():
        if status == 302:
            assert redirect_ok, (context, status)
            return
        assert status == 200, (context, status)
        if redirect_ok:  # the form passed, the service refused: an error at a field
            assert 'id="error_1_id_' in content, (context, "no field-specific error")
        return
    assert status == 200, (context, status)
    assert response["Content-Type"].startswith("text/html"), context
    for name, messages in reference.errors.items():
        assert name in reference.fields, (context, "error not at a field", messages)
        for message in messages:
            assert _shows_error(content, reference, name, str(message)), (context, name, message)


@pytest.mark.parametrize("path", list(FORMS))
def test_form_always_answers_200(fuzz_client: Client, path: str) -> None:
    form_class = FORMS[path]

    @FUZZ_SETTINGS
    @given(data=_form_data(list(form_class().fields)), htmx=st.booleans())
    def run(data: dict[str, Any], htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        response = fuzz_client.post(path, data, headers=headers)
        assert response.status_code == 200, (path, data, htmx, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (path, data)
        _check_form(response, form_class(response.wsgi_request.POST), (path, data, htmx))

    run()


HISTORY = [value for value, _label in HISTORY_CHOICES] + ["daratumumab", "LENALIDOMIDE"]
TREATMENT = {
    "setting": _text(["smouldering_high_risk", "ndmm", "rrmm", "mgus", ""]),
    "transplant_eligible": _text(["unknown", "yes", "no", "maybe"]),
    "frailty": _text(["unknown", "fit", "intermediate", "frail", "non_frail"]),
    "prior_lines": st.integers(min_value=-3, max_value=25).map(str),
    "exposed_to": st.lists(_text(HISTORY), max_size=4),
    "refractory_to": st.lists(_text(HISTORY), max_size=4),
}


def test_treatment_form_names_every_refused_field(fuzz_client: Client) -> None:
    @FUZZ_SETTINGS
    @given(data=_form_data(list(TreatmentForm().fields), TREATMENT), htmx=st.booleans())
    def run(data: dict[str, Any], htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        response = fuzz_client.post("/treatment/", data, headers=headers)
        assert response.status_code == 200, (data, htmx, response.status_code)
        _check_form(response, TreatmentForm(response.wsgi_request.POST), (data, htmx))

    run()


def test_plan_new_step(fuzz_client: Client) -> None:
    choices = _regimen_choices()
    slugs = [slug for slug, _name in choices] + ["no-such-regimen", "ISA-PD"]

    @FUZZ_SETTINGS
    @given(data=_form_data(["regimen"], {"regimen": _text(slugs)}))
    @example(data={})  # regression: an empty POST once re-rendered the blank form, no errors
    def run(data: dict[str, Any]) -> None:
        response = fuzz_client.post("/plans/new/", data)
        reference = RegimenChoiceForm(response.wsgi_request.POST, regimen_choices=choices)
        _check_form(response, reference, data, redirect_ok=True)

    run()


def _draft(user: User, *, with_patient: bool) -> TreatmentPlan:
    plan = plan_draft_start(user=user, version=regimen_version_published(slug="isa-pd"))
    if with_patient:
        plan = plan_draft_set_patient(plan=plan, patient=PATIENT)
    return plan


PATIENT_FORM = {
    "age_years": st.integers(min_value=0, max_value=130).map(str),
    "sex": _text(["female", "male", "other"]),
    "weight_kg": NUMBER_TEXT,
    "height_cm": NUMBER_TEXT,
    "creatinine_value": st.one_of(NUMBER_TEXT, _text(["0.9", "80", "0", "-1", "1e9"])),
    "creatinine_unit": _text(["umol/L", "µmol/L", "mg/dL", "mmol/L", "g/L"]),
    "on_dialysis": BOOL_TEXT,
    "measured_on": DATE_TEXT,
}


def test_plan_patient_step(fuzz_client: Client, clinician: User) -> None:
    path = f"/plans/{_draft(clinician, with_patient=False).pk}/patient/"

    @FUZZ_SETTINGS
    @given(data=_form_data(list(PatientForm().fields), PATIENT_FORM))
    @example(data={})  # regression: an empty POST once re-rendered the blank form, no errors
    def run(data: dict[str, Any]) -> None:
        response = fuzz_client.post(path, data)
        _check_form(response, PatientForm(response.wsgi_request.POST), data, redirect_ok=True)

    run()


SCHEDULE_FORM = {
    "start_date": DATE_TEXT,
    "cycles": st.integers(min_value=-2, max_value=70).map(str),
    "patient_reference": st.text(max_size=50),
}


def test_plan_schedule_step(fuzz_client: Client, clinician: User) -> None:
    path = f"/plans/{_draft(clinician, with_patient=True).pk}/schedule/"

    @FUZZ_SETTINGS
    @given(data=_form_data(list(ScheduleForm().fields), SCHEDULE_FORM))
    @example(data={})  # regression: an empty POST once re-rendered the blank form, no errors
    def run(data: dict[str, Any]) -> None:
        response = fuzz_client.post(path, data)
        _check_form(response, ScheduleForm(response.wsgi_request.POST), data, redirect_ok=True)

    run()


def _saved_plan(user: User, cycles: int) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=cycles,
    )


def test_plan_reschedule_form(fuzz_client: Client, clinician: User) -> None:
    # Each example runs in a savepoint rolled back afterwards, so every example meets the same
    # 2-cycle plan (recorded adjustments would otherwise pile up and slow each replay).
    plan = _saved_plan(clinician, cycles=2)
    planned = _planned_choices(plan)
    path = f"/plans/{plan.pk}/reschedule/"
    plausible = {
        "administration": _text([value for value, _label in planned] + ["isatuximab|2026-01-06"]),
        "omitted": BOOL_TEXT,
        "actual_date": DATE_TEXT,
        "scope": _text(["drug", "cycle", "all"]),
        "reason": st.text(max_size=40),
    }

    @FUZZ_SETTINGS
    @given(data=_form_data(list(RescheduleForm(planned=planned).fields), plausible))
    @example(data={})  # regression: an empty POST once re-rendered the blank form, no errors
    def run(data: dict[str, Any]) -> None:
        with transaction.atomic():
            response = fuzz_client.post(path, data)
            transaction.set_rollback(True)
        reference = RescheduleForm(response.wsgi_request.POST, planned=planned)
        _check_form(response, reference, data, redirect_ok=True)

    run()


def test_calendar_pdf_download_form(
    fuzz_client: Client, clinician: User, request: pytest.FixtureRequest
) -> None:
    # The per-user PDF rate limit has its own test (tests/dosing/test_calendar_print.py);
    # pytest-django's ``settings`` by name, since hypothesis' ``settings`` is used below.
    request.getfixturevalue("settings").CALENDAR_PDF_PER_MINUTE = 1_000_000
    plan = _saved_plan(clinician, cycles=1)
    path = f"/plans/{plan.pk}/calendar.pdf"
    plausible = {
        "lang": _text(["", "en", "de", "fr", "xx", "EN", "en-us"]),
        "name": st.one_of(st.text(max_size=30), st.text(min_size=75, max_size=100)),
        "reminders": BOOL_TEXT,
    }

    # Valid input renders a PDF (~0.1–0.3 s each), so this side test runs a tenth of the
    # examples (at least 50) on a 1-cycle plan; invalid input re-renders the plan page.
    @settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 10, 50))
    @given(data=_form_data(list(CalendarDownloadForm().fields), plausible))
    def run(data: dict[str, Any]) -> None:
        response = fuzz_client.post(path, data)
        reference = CalendarDownloadForm(response.wsgi_request.POST)
        if reference.is_valid():
            assert response.status_code == 200, (data, response.status_code)
            assert response["Content-Type"] == "application/pdf", data
            assert response.content.startswith(b"%PDF"), data
            return
        _check_form(response, reference, data)

    run()
