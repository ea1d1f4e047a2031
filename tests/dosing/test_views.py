"""The plan wizard through the Django test client: one URL per step, errors kept, PRG."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.roles import CONTENT_APPROVER, CONTENT_EDITOR
from dosing.models import PlanAdjustment, RegimenVersion, TreatmentPlan
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

pytestmark = pytest.mark.django_db

D1_PATIENT = {
    # domain-reference §18.3 D1: 68-year-old man, 72 kg, creatinine 0.9 mg/dL.
    "age_years": "68",
    "sex": "male",
    "weight_kg": "72",
    "height_cm": "178",
    "creatinine_value": "0.9",
    "creatinine_unit": "mg/dL",
    "measured_on": "2026-01-05",
}


def _start(client: Client, regimen: str = "isa-pd") -> TreatmentPlan:
    response = client.post(reverse("dosing:plan_new"), {"regimen": regimen})
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get()
    assert response["Location"] == reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    return plan


def test_wizard_to_a_saved_plan_d1(
    clinician_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    plan = _start(clinician_client)
    url = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    assert clinician_client.post(url, D1_PATIENT).status_code == 302

    # session, user, the clinician role, the draft plan, the regimen version, the footer release
    with django_assert_max_num_queries(6):
        doses = clinician_client.get(reverse("dosing:plan_doses", kwargs={"pk": plan.pk}))
    body = doses.content.decode()
    assert "720" in body  # 10 mg/kg × 72 kg (D1)
    assert "10 mg/kg × 72 kg" in body
    assert "1 × 500 mg" in body and "3 × 100 mg" in body
    assert "36" in body  # mL of concentrate

    schedule = reverse("dosing:plan_schedule", kwargs={"pk": plan.pk})
    response = clinician_client.post(
        schedule, {"start_date": "2026-01-05", "cycles": "2", "patient_reference": "MM-0042"}
    )
    assert response.status_code == 302
    preview = clinician_client.get(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    body = preview.content.decode()
    for date in ("Mon 5 Jan 2026", "Mon 12 Jan 2026", "Mon 2 Feb 2026", "Mon 16 Feb 2026"):
        assert date in body
    saved = clinician_client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "saved"
    assert plan.patient_reference == "MM-0042"
    isatuximab = [a["date"] for a in plan.computed["administrations"] if a["drug"] == "isatuximab"]
    assert isatuximab == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-16",
    ]
    detail = clinician_client.get(saved["Location"])
    assert detail.status_code == 200
    assert "MM-0042" in detail.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("weight_kg", "25", "from 30 to 250 kg"),
        ("height_cm", "260", "from 120 to 230 cm"),
        ("age_years", "12", "between 18 and 110"),
        ("creatinine_value", "5000", "2000"),
        ("weight_kg", "heavy", "Enter weight (kg) as a number, like 6.1 or 6,1."),
    ],
)
def test_patient_step_errors_name_field_and_keep_values(
    clinician_client: Client, field: str, value: str, words: str
) -> None:
    plan = _start(clinician_client)
    data = D1_PATIENT | {field: value}
    if field == "creatinine_value":
        data["creatinine_unit"] = "umol/L"
    response = clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert words in body
    assert f'value="{value}"' in body
    plan.refresh_from_db()
    assert plan.patient == {}  # nothing half-saved


def test_fixed_length_regimen_refuses_too_many_cycles(clinician_client: Client) -> None:
    plan = _start(clinician_client, "isa-vrd-gmmg-hd7")
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    response = clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-01-05", "cycles": "4"},
    )
    assert response.status_code == 200
    assert "3" in response.content.decode()
    assert 'value="4"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.cycles is None


def test_impossible_date_is_refused(clinician_client: Client) -> None:
    plan = _start(clinician_client)
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    response = clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-02-30", "cycles": "2"},
    )
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_pending_regimen_is_labelled(clinician_client: Client) -> None:
    plan = _start(clinician_client, "isa-vrd-imroz")
    body = clinician_client.get(
        reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    ).content.decode()
    assert "pending verification" in body


def test_reschedule_late_isatuximab_keeps_interval(clinician_client: Client) -> None:
    plan = _start(clinician_client)
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-01-05", "cycles": "2"},
    )
    clinician_client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    url = reverse("dosing:plan_reschedule", kwargs={"pk": plan.pk})
    form = clinician_client.get(url + "?drug=isatuximab&date=2026-01-19")
    assert form.status_code == 200
    response = clinician_client.post(
        url,
        {"administration": "isatuximab|2026-01-19", "actual_date": "2026-01-21", "scope": "drug"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    dates = [a["date"] for a in plan.computed["administrations"] if a["drug"] == "isatuximab"]
    # X27: 19 Jan given on 21 Jan ⇒ every later isatuximab dose moves 2 days.
    assert dates == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-21",
        "2026-01-28",
        "2026-02-04",
        "2026-02-18",
    ]
    assert PlanAdjustment.objects.filter(plan=plan).count() == 1
    assert "given on another date" in clinician_client.get(response["Location"]).content.decode()


def test_another_users_plan_is_404(clinician_client: Client, other_clinician: User) -> None:
    plan = _start(clinician_client)
    other = Client()
    other.force_login(other_clinician)
    assert other.get(reverse("dosing:plan_patient", kwargs={"pk": plan.pk})).status_code == 404


def test_daratumumab_premedication_and_zoster_advice_on_the_plan_page(
    clinician_client: Client, clinician: User
) -> None:
    """Issue 11: daratumumab premedication (before and after, with its source, pending) and the
    herpes-zoster advice are shown on the plan page like isatuximab's premedication."""
    from dosing.selectors import regimen_version_published
    from dosing.services import plan_create

    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="dkd"),
        patient={
            "age_years": 60,
            "sex": "male",
            "weight_kg": 72,
            "height_cm": 178,
            "creatinine": {"value": 0.9, "unit": "mg/dL"},
            "on_dialysis": False,
            "measured_on": "2026-01-05",
        },
        start_date=dt.date(2026, 1, 5),
        cycles=1,
        patient_reference="MM-0043",
    )
    body = clinician_client.get(reverse("dosing:plan_detail", kwargs={"pk": plan.pk})).content
    text = body.decode()
    listing = clinician_client.get(reverse("dosing:plan_administrations", kwargs={"pk": plan.pk}))
    by_date = listing.content.decode()
    premed = by_date[by_date.index('data-testid="premedication"') :][:1500]
    assert "1–3 hours before every daratumumab infusion" in premed
    assert "paracetamol (antipyretic) 650–1000 mg" in premed
    assert "After: corticosteroid after the infusion" in premed
    assert "DARZALEX SmPC section 4.2" in premed and "pending verification" in premed
    care = text[text.index('data-testid="supportive-care"') :][:1500]
    assert "antiviral prophylaxis (e.g. aciclovir or valaciclovir)" in care
    assert "pending verification" in care
    assert "X12" not in text


def test_preview_shows_daratumumab_premedication_and_zoster_advice(
    clinician_client: Client,
) -> None:
    plan = _start(clinician_client, "d-vrd-cepheus")
    patient = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    assert clinician_client.post(patient, D1_PATIENT).status_code == 302
    schedule = reverse("dosing:plan_schedule", kwargs={"pk": plan.pk})
    response = clinician_client.post(
        schedule, {"start_date": "2026-01-05", "cycles": "1", "patient_reference": "MM-0044"}
    )
    assert response.status_code == 302
    body = clinician_client.get(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    text = body.content.decode()
    assert text.count('data-testid="premedication"') == 3  # daratumumab C1 D1, 8, 15
    assert "1–3 hours before every daratumumab injection" in text
    assert "After: corticosteroid after the injection" in text
    assert 'data-testid="supportive-care"' in text
    # C1 D15 (Mon 19 Jan) has daratumumab without dexamethasone: flagged, citing daratumumab
    assert "Mon 19 Jan 2026: daratumumab C1 D15 has no dexamethasone the same day" in text
    assert "DARZALEX SmPC section 4.2, pending verification" in text


def _to_schedule_step(client: Client, regimen: str = "isa-pd") -> TreatmentPlan:
    plan = _start(client, regimen)
    client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    response = client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-01-05", "cycles": "2"},
    )
    assert response.status_code == 302
    return plan


def _fresh_administrations(plan: TreatmentPlan) -> list[dict[str, object]]:
    from dosing.services import _settings_from_dict, plan_compute

    assert plan.start_date is not None and plan.cycles is not None
    fresh = plan_compute(
        version=plan.regimen_version,
        patient=plan.patient,
        start_date=plan.start_date,
        cycles=plan.cycles,
        dosing_settings=_settings_from_dict(plan.dosing_settings),
    )
    return list(fresh["administrations"])


def test_wizard_changed_weight_after_schedule_saves_the_new_weight(
    clinician_client: Client,
) -> None:
    plan = _to_schedule_step(clinician_client)
    patient = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    assert clinician_client.post(patient, D1_PATIENT | {"weight_kg": "80"}).status_code == 302
    preview = reverse("dosing:plan_preview", kwargs={"pk": plan.pk})
    assert "800" in clinician_client.get(preview).content.decode()
    assert clinician_client.post(preview).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "saved"
    isatuximab = {
        a["dose"]["value"] for a in plan.computed["administrations"] if a["drug"] == "isatuximab"
    }
    assert isatuximab == {800}  # X5: 10 mg/kg × 80 kg, not × 72 kg
    assert plan.computed["administrations"] == _fresh_administrations(plan)


def test_wizard_changed_regimen_after_schedule_saves_the_new_regimen(
    clinician_client: Client,
) -> None:
    plan = _to_schedule_step(clinician_client, "isa-pd")
    regimen = reverse("dosing:plan_regimen", kwargs={"pk": plan.pk})
    assert clinician_client.post(regimen, {"regimen": "dkd"}).status_code == 302
    assert (
        clinician_client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk})).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.status == "saved"
    assert plan.regimen_version.regimen.slug == "dkd"
    assert plan.computed["regimen"]["slug"] == "dkd"
    drugs = {a["drug"] for a in plan.computed["administrations"]}
    assert "isatuximab" not in drugs and "pomalidomide" not in drugs
    daratumumab = [
        a for a in plan.computed["administrations"] if a["drug"] == "daratumumab" and a["day"] == 8
    ]
    assert daratumumab[0]["dose"]["value"] == 1152  # 16 mg/kg × 72 kg (P23f)
    assert plan.computed["administrations"] == _fresh_administrations(plan)


def test_wizard_change_invalidates_the_stored_calendar(clinician_client: Client) -> None:
    plan = _to_schedule_step(clinician_client)
    clinician_client.post(
        reverse("dosing:plan_regimen", kwargs={"pk": plan.pk}), {"regimen": "isa-kd"}
    )
    plan.refresh_from_db()
    assert plan.computed == {}  # nothing computed from the old regimen stays on the draft
    patient_step = reverse("dosing:plan_patient", kwargs={"pk": plan.pk})
    clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-01-05", "cycles": "2"},
    )
    clinician_client.post(patient_step, D1_PATIENT | {"weight_kg": "90"})
    plan.refresh_from_db()
    assert plan.computed == {}


def test_wizard_save_refuses_cycles_beyond_the_new_regimen(clinician_client: Client) -> None:
    plan = _start(clinician_client, "isa-pd")
    clinician_client.post(reverse("dosing:plan_patient", kwargs={"pk": plan.pk}), D1_PATIENT)
    clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": plan.pk}),
        {"start_date": "2026-01-05", "cycles": "6"},
    )
    clinician_client.post(
        reverse("dosing:plan_regimen", kwargs={"pk": plan.pk}), {"regimen": "isa-vrd-gmmg-hd7"}
    )
    response = clinician_client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("dosing:plan_schedule", kwargs={"pk": plan.pk})
    plan.refresh_from_db()
    assert plan.status == "draft"


def _saved(client: Client, regimen: str = "isa-pd") -> TreatmentPlan:
    plan = _to_schedule_step(client, regimen)
    assert client.post(reverse("dosing:plan_preview", kwargs={"pk": plan.pk})).status_code == 302
    plan.refresh_from_db()
    return plan


def _reschedule_url(plan: TreatmentPlan) -> str:
    return reverse("dosing:plan_reschedule", kwargs={"pk": plan.pk})


def test_reschedule_link_preselects_exactly_the_named_dose(clinician_client: Client) -> None:
    plan = _saved(clinician_client)
    body = clinician_client.get(
        _reschedule_url(plan) + "?drug=isatuximab&date=2026-01-19"
    ).content.decode()
    assert re.findall(r'value="([^"]*\|[^"]*)" selected', body) == ["isatuximab|2026-01-19"]


def test_reschedule_stale_link_preselects_nothing_and_says_so(clinician_client: Client) -> None:
    plan = _saved(clinician_client)
    response = clinician_client.get(_reschedule_url(plan) + "?drug=isatuximab&date=2026-01-20")
    body = response.content.decode()
    assert response.status_code == 200
    assert "isatuximab on 2026-01-20 is not a planned dose of this plan" in body
    assert re.findall(r'value="([^"]*\|[^"]*)" selected', body) == []  # no dose preselected
    assert '<option value="" selected>' in body


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"administration": ""}, "Choose the planned dose"),
        ({"administration": "isatuximab|2026-01-20"}, "not a planned dose of this plan"),
        ({"administration": "dexamethasone|2026-01-06"}, "not a planned dose of this plan"),
        ({"actual_date": "2030-01-01"}, "record the dose as omitted and re-plan"),
        ({"actual_date": "2026-02-17"}, "29 days after the planned date"),
        ({"actual_date": "2026-01-11"}, "must be after the previous isatuximab dose"),
    ],
    ids=["none", "stale", "other-drug", "years-late", "29-days", "before-previous"],
)
def test_reschedule_form_refuses_and_records_nothing(
    clinician_client: Client, data: dict[str, str], words: str
) -> None:
    plan = _saved(clinician_client)
    before = plan.computed
    post = {"administration": "isatuximab|2026-01-19", "actual_date": "2026-01-21", "scope": "drug"}
    response = clinician_client.post(_reschedule_url(plan), post | data)
    assert response.status_code == 200
    assert words in response.content.decode()
    plan.refresh_from_db()
    assert plan.computed == before
    assert not PlanAdjustment.objects.filter(plan=plan).exists()


def test_reschedule_form_recorded_a_stale_dose_only_once(clinician_client: Client) -> None:
    plan = _saved(clinician_client)
    post = {"administration": "isatuximab|2026-01-19", "actual_date": "2026-01-21", "scope": "drug"}
    assert clinician_client.post(_reschedule_url(plan), post).status_code == 302
    again = clinician_client.post(_reschedule_url(plan), post)  # e.g. a second browser tab
    assert again.status_code == 200
    assert "not a planned dose of this plan" in again.content.decode()
    assert PlanAdjustment.objects.filter(plan=plan).count() == 1


def test_reschedule_form_keeps_the_bortezomib_72_hours(clinician_client: Client) -> None:
    plan = _saved(clinician_client, "isa-vrd-gmmg-hd7")
    # C1 D4 (01-08) given on 01-07: 48 h after D1 (01-05) with every later dose moved (V1/C5).
    post = {"administration": "bortezomib|2026-01-08", "actual_date": "2026-01-07", "scope": "drug"}
    response = clinician_client.post(_reschedule_url(plan), post)
    assert response.status_code == 200
    assert "less than 72 h apart" in response.content.decode()
    assert not PlanAdjustment.objects.filter(plan=plan).exists()


def _publish_isa_pd_v2(change: Callable[[dict[str, Any]], None]) -> RegimenVersion:
    """Isa-Pd v2 through the governed workflow (published content is never written directly);
    the draft drops v1's golden cases, which a deliberately changed dose would fail."""
    editor = User.objects.create_user(username="v2-editor", password="a-long-test-password-1")
    editor.groups.add(Group.objects.get_or_create(name=CONTENT_EDITOR)[0])
    approver = User.objects.create_user(username="v2-approver", password="a-long-test-password-1")
    approver.groups.add(Group.objects.get_or_create(name=CONTENT_APPROVER)[0])
    draft = draft_create("regimens", "isa-pd", user=editor)
    RegimenVersion.objects.filter(pk=draft.pk).update(golden_cases=[])
    draft.refresh_from_db()
    document = yaml.safe_load(document_yaml(draft))
    change(document)
    draft_edit(draft, user=editor, document_yaml=yaml.safe_dump(document), reason="test")
    submit(draft, user=editor)
    publish(draft, user=approver, reason="test")
    return RegimenVersion.objects.get(pk=draft.pk)


def _component(definition: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(c for c in definition["components"] if c["drug"] == drug)


def _record(client: Client, plan: TreatmentPlan, dose: str, actual: str) -> None:
    data = {"administration": dose, "scope": "drug", "reason": "ward full"}
    data |= {"actual_date": actual} if actual else {"omitted": "on"}
    assert client.post(_reschedule_url(plan), data).status_code == 302


def test_recompute_as_new_plan_keeps_the_recorded_doses(clinician_client: Client) -> None:
    plan = _saved(clinician_client)
    _record(clinician_client, plan, "isatuximab|2026-01-19", "2026-01-21")
    _record(clinician_client, plan, "pomalidomide|2026-01-06", "")

    def pomalidomide_3_mg(definition: dict[str, Any]) -> None:
        _component(definition, "pomalidomide")["dose"]["amount"] = 3

    v2 = _publish_isa_pd_v2(pomalidomide_3_mg)
    response = clinician_client.post(reverse("dosing:plan_recompute", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    draft = TreatmentPlan.objects.exclude(pk=plan.pk).get()
    assert response["Location"] == reverse("dosing:plan_preview", kwargs={"pk": draft.pk})
    assert [
        (a.drug, str(a.planned_date), a.actual_date, a.reason) for a in draft.adjustments.all()
    ] == [
        ("isatuximab", "2026-01-19", dt.date(2026, 1, 21), "ward full"),
        ("pomalidomide", "2026-01-06", None, "ward full"),
    ]
    preview = clinician_client.get(response["Location"]).content.decode()
    assert "Recorded doses carried over from the previous plan" in preview
    assert "ward full" in preview
    assert clinician_client.post(response["Location"]).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "saved" and draft.regimen_version == v2
    administrations = draft.computed["administrations"]
    isatuximab = [(a["date"], a["status"]) for a in administrations if a["drug"] == "isatuximab"]
    # X27: 19 Jan given on 21 Jan ⇒ later doses + 2 days; the new version keeps it.
    assert isatuximab == [
        ("2026-01-05", "planned"),
        ("2026-01-12", "planned"),
        ("2026-01-21", "given"),
        ("2026-01-28", "planned"),
        ("2026-02-04", "planned"),
        ("2026-02-18", "planned"),
    ]
    pomalidomide = [a for a in administrations if a["drug"] == "pomalidomide"]
    assert [a["status"] for a in pomalidomide if a["date"] == "2026-01-06"] == ["omitted"]
    assert {a["dose"]["value"] for a in pomalidomide} == {3}  # the new version's dose
    plan.refresh_from_db()
    assert plan.regimen_version.number == 1 and plan.adjustments.count() == 2


def test_recompute_refuses_when_a_recorded_dose_is_not_in_the_new_version(
    clinician_client: Client,
) -> None:
    plan = _saved(clinician_client)
    _record(clinician_client, plan, "isatuximab|2026-01-19", "2026-01-21")

    def no_day_15(definition: dict[str, Any]) -> None:
        _component(definition, "isatuximab")["schedule"][0]["days"] = [1, 8, 22]

    _publish_isa_pd_v2(no_day_15)
    plans = TreatmentPlan.objects.count()
    response = clinician_client.post(
        reverse("dosing:plan_recompute", kwargs={"pk": plan.pk}), follow=True
    )
    body = response.content.decode()
    assert "isatuximab planned 2026-01-19 (given 2026-01-21)" in body
    assert "no isatuximab dose is planned on 2026-01-19" in body
    assert TreatmentPlan.objects.count() == plans  # nothing created, nothing dropped
    assert PlanAdjustment.objects.count() == 1


def test_recomputed_draft_says_when_a_changed_input_no_longer_fits_a_recorded_dose(
    clinician_client: Client,
) -> None:
    plan = _saved(clinician_client)
    _record(clinician_client, plan, "isatuximab|2026-01-19", "2026-01-21")
    _publish_isa_pd_v2(lambda definition: None)
    clinician_client.post(reverse("dosing:plan_recompute", kwargs={"pk": plan.pk}))
    draft = TreatmentPlan.objects.exclude(pk=plan.pk).get()
    # A start one day later has no isatuximab dose on 2026-01-19 to carry the late dose.
    response = clinician_client.post(
        reverse("dosing:plan_schedule", kwargs={"pk": draft.pk}),
        {"start_date": "2026-01-06", "cycles": "2"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A dose recorded on the plan this one was re-computed from no longer fits" in body
    assert "no isatuximab dose is planned on 2026-01-19" in body
    draft.refresh_from_db()
    assert str(draft.start_date) == "2026-01-05"
