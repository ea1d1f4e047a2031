"""The dosing JSON API (docs/api.md) through the Django test client.

Expected numbers are the worked examples of domain-reference §18.3 (D1 Isa-Pd, D2 Isa-Kd) and the
rules of §14–16, written out by hand from the reference.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from accounts.roles import CLINICIAN
from dosing.models import RegimenVersion, TreatmentPlan
from dosing.services import plan_draft_start
from tests.governance.workflow import document_yaml, draft_create, draft_edit, publish, submit

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/dosing/preview"
PLANS = "/api/v1/plans"

# §18.3 D1: 68-year-old man, 72 kg, 178 cm, creatinine 0.9 mg/dL; Isa-Pd from Monday 2026-01-05.
D1: dict[str, Any] = {
    "regimen": "isa-pd",
    "start_date": "2026-01-05",
    "cycles": 2,
    "patient": {
        "age_years": 68,
        "sex": "male",
        "weight_kg": 72,
        "height_cm": 178,
        "creatinine": {"value": 0.9, "unit": "mg/dL"},
    },
}

# §18.3 D2: 61-year-old man, 85 kg, 178 cm, creatinine 0.9 mg/dL; Isa-Kd from Monday 2026-03-02.
D2: dict[str, Any] = {
    "regimen": "isa-kd",
    "start_date": "2026-03-02",
    "cycles": 2,
    "patient": {
        "age_years": 61,
        "sex": "male",
        "weight_kg": 85,
        "height_cm": 178,
        "creatinine": {"value": 0.9, "unit": "mg/dL"},
    },
}


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def _with_patient(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    changed["patient"].update(changes)
    return changed


def _of(data: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [a for a in data["administrations"] if a["drug"] == drug]


def _dates(data: dict[str, Any], drug: str) -> list[str]:
    return [a["date"] for a in _of(data, drug)]


def _days(first: str, count: int) -> list[str]:
    """``count`` consecutive ISO dates from ``first`` (a drug taken daily)."""
    start = dt.date.fromisoformat(first)
    return [(start + dt.timedelta(days=n)).isoformat() for n in range(count)]


def _preview(client: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = _post(client, PREVIEW, body)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def _create(client: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = _post(client, PLANS, body)
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def _detail(client: Client, plan_id: str) -> Any:
    return client.get(f"{PLANS}/{plan_id}")


def _reschedule(client: Client, plan_id: str, body: dict[str, Any]) -> Any:
    return _post(client, f"{PLANS}/{plan_id}/reschedule", body)


def _loc_and_msg(response: Any) -> tuple[list[Any], str]:
    """The first error's field path and message. Pydantic's errors carry ninja's body parameter
    name (``["body", "payload", ...]``); domain errors do not. Both name the same field."""
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    loc = detail[0]["loc"]
    if loc[:2] == ["body", "payload"]:
        loc = ["body", *loc[2:]]
    return loc, detail[0]["msg"]


# --------------------------------------------------------------------------------------------------
# GET /regimens
# --------------------------------------------------------------------------------------------------


def test_regimens_name_the_verification_record_of_a_verified_version(
    clinician_client: Client, editor: User, approver: User
) -> None:
    """Issue 12: a verified version says what it was checked against and when."""
    draft = draft_create("regimens", "isa-pd", user=editor)
    draft_edit(draft, user=editor, document_yaml=document_yaml(draft), reason="Checked")
    submit(draft, user=editor)
    publish(draft, user=approver, reason="Checked against the SmPC")
    by_slug = {r["slug"]: r for r in clinician_client.get("/api/v1/regimens").json()}
    assert by_slug["isa-pd"]["verification"] == "verified"
    assert (by_slug["isa-pd"]["checked_by"], by_slug["isa-pd"]["date_reviewed"]) == (
        "Test pharmacist",
        "2026-11-02",
    )


def test_regimens_lists_the_shipped_regimens(clinician_client: Client) -> None:
    response = clinician_client.get("/api/v1/regimens")
    assert response.status_code == 200
    by_slug = {r["slug"]: r for r in response.json()}
    shipped = {"isa-pd", "isa-kd", "isa-vrd-imroz", "isa-vrd-gmmg-hd7", "isa-vrd-rest"}
    assert shipped | {"drd", "dkd"} <= set(by_slug)
    for regimen in by_slug.values():
        assert regimen["name"] and regimen["source"]
        assert regimen["version"] == 1
        assert regimen["verification"] in ("verified", "pending")
        assert all(drug == drug.lower() for drug in regimen["drugs"])

    for regimen in by_slug.values():
        if regimen["verification"] == "pending":
            assert (regimen["checked_by"], regimen["date_reviewed"]) == (None, None)

    isa_pd = by_slug["isa-pd"]
    assert isa_pd["drugs"] == ["isatuximab", "pomalidomide", "dexamethasone"]  # §15.1
    assert isa_pd["cycle_lengths"] == [{"cycles": [1, None], "length_days": 28}]
    assert isa_pd["max_cycles"] is None
    assert isa_pd["verification"] == "verified"
    # X11: GMMG-HD7 induction is 3 cycles of 42 days.
    hd7 = by_slug["isa-vrd-gmmg-hd7"]
    assert hd7["cycle_lengths"] == [{"cycles": [1, 3], "length_days": 42}]
    assert hd7["max_cycles"] == 3
    # X10/C2: IMROZ 42 days for C1–4, 28 days from C5; partner drugs pending (§15.6).
    imroz = by_slug["isa-vrd-imroz"]
    assert imroz["cycle_lengths"] == [
        {"cycles": [1, 4], "length_days": 42},
        {"cycles": [5, None], "length_days": 28},
    ]
    assert imroz["verification"] == "pending"
    assert imroz["verification_note"]
    # §15.7: REST isatuximab/bortezomib/lenalidomide days are unverified.
    assert by_slug["isa-vrd-rest"]["verification"] == "pending"


# --------------------------------------------------------------------------------------------------
# POST /dosing/preview — worked examples
# --------------------------------------------------------------------------------------------------


def test_preview_d1_isa_pd(clinician_client: Client) -> None:
    data = _preview(clinician_client, D1)
    assert data["regimen"]["slug"] == "isa-pd"
    assert data["regimen"]["version"] == 1
    # B1 Mosteller √(178 × 72 / 3600) = √3.56 = 1.887 → 1.89 m²;
    # K1 Cockcroft–Gault (140 − 68) × 72 / (72 × 0.9) = 80.0 mL/min.
    assert data["patient"]["bsa_m2"] == 1.89
    assert data["patient"]["bsa_formula"] == "mosteller"
    assert data["patient"]["creatinine_clearance_ml_min"] == 80.0
    assert data["patient"]["creatinine_clearance_formula"] == "cockcroft-gault"
    assert [(c["number"], c["start_date"], c["length_days"]) for c in data["cycles"]] == [
        (1, "2026-01-05", 28),
        (2, "2026-02-02", 28),
    ]

    isatuximab = _of(data, "isatuximab")
    assert [a["date"] for a in isatuximab] == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-16",
    ]
    for adm in isatuximab:
        assert adm["dose"] == {"value": 720, "unit": "mg"}  # 10 mg/kg × 72 kg
        assert adm["volume_ml"] == 36.0  # 720 / 20 mg/mL
        assert adm["vials"] == [{"strength_mg": 500, "count": 1}, {"strength_mg": 100, "count": 3}]
        assert adm["route"] == "iv"
        assert "10 mg/kg" in adm["calculation"] and "72 kg" in adm["calculation"]
    assert [(a["cycle"], a["day"]) for a in isatuximab] == [
        (1, 1),
        (1, 8),
        (1, 15),
        (1, 22),
        (2, 1),
        (2, 15),
    ]

    pomalidomide = _of(data, "pomalidomide")
    assert [a["date"] for a in pomalidomide] == _days("2026-01-05", 21) + _days("2026-02-02", 21)
    assert _days("2026-01-05", 21)[-1] == "2026-01-25"
    assert _days("2026-02-02", 21)[-1] == "2026-02-22"
    assert Counter(a["cycle"] for a in pomalidomide) == {1: 21, 2: 21}
    assert {a["dose"]["value"] for a in pomalidomide} == {4}
    assert {a["route"] for a in pomalidomide} == {"po"}
    assert all("vials" not in a for a in pomalidomide)

    dexamethasone = _of(data, "dexamethasone")
    # One entry per day: the premedication dexamethasone is the day's dose, not a second one.
    assert [a["date"] for a in dexamethasone] == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-09",
        "2026-02-16",
        "2026-02-23",
    ]
    assert {a["dose"]["value"] for a in dexamethasone} == {40}
    # Every administration is one drug on one day.
    keys = [(a["drug"], a["date"]) for a in data["administrations"]]
    assert len(keys) == len(set(keys)) == 6 + 42 + 8
    assert isinstance(data["warnings"], list)


@pytest.mark.parametrize(("age", "dose_mg"), [(75, 20), (74, 40)])
def test_preview_isa_pd_dexamethasone_age_rule(
    clinician_client: Client, age: int, dose_mg: int
) -> None:
    """X12/§15.5: Isa-Pd dexamethasone 40 mg, 20 mg from age 75 (≥ 75)."""
    data = _preview(clinician_client, _with_patient(D1, age_years=age))
    dexamethasone = _of(data, "dexamethasone")
    assert len(dexamethasone) == 8
    assert {a["dose"]["value"] for a in dexamethasone} == {dose_mg}


def test_preview_d2_isa_kd(clinician_client: Client) -> None:
    data = _preview(clinician_client, D2)
    # √(178 × 85 / 3600) = √4.2028 = 2.05 m² (Mosteller), below the 2.2 m² cap.
    assert data["patient"]["bsa_m2"] == 2.05
    assert data["patient"]["bsa_formula"] == "mosteller"

    isatuximab = _of(data, "isatuximab")
    assert [a["date"] for a in isatuximab] == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
        "2026-04-13",
    ]
    for adm in isatuximab:
        assert adm["dose"]["value"] == 850
        assert adm["volume_ml"] == 42.5
        assert adm["vials"] == [{"strength_mg": 500, "count": 1}, {"strength_mg": 100, "count": 4}]

    carfilzomib = {a["date"]: a["dose"]["value"] for a in _of(data, "carfilzomib")}
    assert carfilzomib == {
        "2026-03-02": 41.0,  # 20 mg/m² × 2.05 m² (C1 D1–2 priming)
        "2026-03-03": 41.0,
        "2026-03-09": 114.8,  # 56 mg/m² × 2.05 m² from C1 D8
        "2026-03-10": 114.8,
        "2026-03-16": 114.8,
        "2026-03-17": 114.8,
        "2026-03-30": 114.8,
        "2026-03-31": 114.8,
        "2026-04-06": 114.8,
        "2026-04-07": 114.8,
        "2026-04-13": 114.8,
        "2026-04-14": 114.8,
    }
    assert {a["route"] for a in _of(data, "carfilzomib")} == {"iv"}

    dexamethasone = {
        a["date"]: (a["dose"]["value"], a["route"]) for a in _of(data, "dexamethasone")
    }
    iv = (20, "iv")
    po = (20, "po")
    assert dexamethasone == {
        "2026-03-02": iv,
        "2026-03-03": iv,
        "2026-03-09": iv,
        "2026-03-10": iv,
        "2026-03-16": iv,
        "2026-03-17": iv,
        "2026-03-23": iv,  # isatuximab day
        "2026-03-24": po,
        "2026-03-30": iv,
        "2026-03-31": iv,
        "2026-04-06": iv,
        "2026-04-07": iv,
        "2026-04-13": iv,
        "2026-04-14": iv,
        "2026-04-20": po,
        "2026-04-21": po,
    }
    # X21: dexamethasone → isatuximab → carfilzomib on shared days.
    on_first_day = [a["drug"] for a in data["administrations"] if a["date"] == "2026-03-02"]
    assert on_first_day == ["dexamethasone", "isatuximab", "carfilzomib"]


def test_preview_fixed_length_regimen_at_its_maximum(clinician_client: Client) -> None:
    data = _preview(clinician_client, D1 | {"regimen": "isa-vrd-gmmg-hd7", "cycles": 3})
    assert [c["length_days"] for c in data["cycles"]] == [42, 42, 42]


# --------------------------------------------------------------------------------------------------
# 422: every invalid input names its field (and the unit and range); never a 500
# --------------------------------------------------------------------------------------------------


AGE_WORDS = ["years", "18", "110"]


@pytest.mark.parametrize(
    ("body", "loc", "words"),
    [
        (D1 | {"regimen": "no-such-regimen"}, ["body", "regimen"], ["no-such-regimen", "isa-pd"]),
        (
            D1 | {"regimen": "isa-vrd-gmmg-hd7", "cycles": 4},
            ["body", "cycles"],
            ["cycles", "3"],
        ),
        (D1 | {"cycles": 0}, ["body", "cycles"], ["cycles", "1", "60"]),
        (D1 | {"cycles": -2}, ["body", "cycles"], ["cycles", "1", "60"]),
        (D1 | {"cycles": 61}, ["body", "cycles"], ["cycles", "1", "60"]),
        (_with_patient(D1, weight_kg=29.9), ["body", "patient", "weight_kg"], ["kg", "30", "250"]),
        (_with_patient(D1, weight_kg=251), ["body", "patient", "weight_kg"], ["kg", "30", "250"]),
        (_with_patient(D1, height_cm=119), ["body", "patient", "height_cm"], ["cm", "120", "230"]),
        (_with_patient(D1, height_cm=231), ["body", "patient", "height_cm"], ["cm", "120", "230"]),
        (_with_patient(D1, age_years=17), ["body", "patient", "age_years"], AGE_WORDS),
        (_with_patient(D1, age_years=111), ["body", "patient", "age_years"], AGE_WORDS),
        (
            _with_patient(D1, creatinine={"value": 0, "unit": "mg/dL"}),
            ["body", "patient", "creatinine"],
            ["mg/dL", "0"],
        ),
        (
            _with_patient(D1, creatinine={"value": 2001, "unit": "umol/L"}),
            ["body", "patient", "creatinine"],
            ["µmol/L", "2000"],
        ),
        (
            _with_patient(D1, creatinine={"value": 0.9, "unit": "mmol/L"}),
            ["body", "patient", "creatinine"],
            ["mg/dL"],
        ),
    ],
    ids=[
        "unknown-regimen",
        "above-fixed-maximum",
        "cycles-0",
        "cycles-negative",
        "cycles-61",
        "weight-low",
        "weight-high",
        "height-low",
        "height-high",
        "age-low",
        "age-high",
        "creatinine-zero",
        "creatinine-high",
        "creatinine-unit",
    ],
)
def test_preview_domain_errors(
    clinician_client: Client, body: dict[str, Any], loc: list[str], words: list[str]
) -> None:
    loc_got, msg = _loc_and_msg(_post(clinician_client, PREVIEW, body))
    assert loc_got == loc
    for word in words:
        assert word in msg


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (D1 | {"start_date": "2026-02-30"}, ["body", "start_date"]),
        (D1 | {"start_date": "05/01/2026"}, ["body", "start_date"]),
        (D1 | {"start_date": 1767571200}, ["body", "start_date"]),
        (D1 | {"start_date": "9999-12-01"}, ["body", "start_date"]),
        (D1 | {"cycles": 2.5}, ["body", "cycles"]),
        (D1 | {"cycles": True}, ["body", "cycles"]),
        (D1 | {"cycles": "2"}, ["body", "cycles"]),
        (_with_patient(D1, sex="unknown"), ["body", "patient", "sex"]),
        (_with_patient(D1, age_years=68.5), ["body", "patient", "age_years"]),
        (_with_patient(D1, weight_kg="72"), ["body", "patient", "weight_kg"]),
        (
            _with_patient(D1, creatinine={"value": True, "unit": "mg/dL"}),
            ["body", "patient", "creatinine", "value"],
        ),
        (_with_patient(D1, on_dialysis="no"), ["body", "patient", "on_dialysis"]),
        ({k: v for k, v in D1.items() if k != "patient"}, ["body", "patient"]),
    ],
    ids=[
        "impossible-date",
        "not-iso-date",
        "timestamp-date",
        "date-overflow",
        "fractional-cycles",
        "boolean-cycles",
        "string-cycles",
        "sex",
        "fractional-age",
        "string-weight",
        "boolean-creatinine",
        "string-dialysis",
        "missing-patient",
    ],
)
def test_preview_type_errors(clinician_client: Client, body: Any, loc: list[str]) -> None:
    loc_got, msg = _loc_and_msg(_post(clinician_client, PREVIEW, body))
    assert loc_got == loc
    assert msg


def test_bad_json_is_422(clinician_client: Client) -> None:
    response = clinician_client.post(PREVIEW, "{not json", content_type="application/json")
    loc, msg = _loc_and_msg(response)
    assert loc == ["body"]
    assert "JSON" in msg


def test_anonymous_is_401(client: Client) -> None:
    assert client.get("/api/v1/regimens").status_code == 401
    assert _post(client, PREVIEW, D1).status_code == 401
    assert _post(client, PLANS, D1).status_code == 401
    assert TreatmentPlan.objects.count() == 0


def test_openapi_documents_the_dosing_endpoints(clinician_client: Client) -> None:
    schema = clinician_client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/regimens", "get"),
        ("/api/v1/dosing/preview", "post"),
        ("/api/v1/plans", "post"),
        ("/api/v1/plans/{plan_id}", "get"),
        ("/api/v1/plans/{plan_id}/reschedule", "post"),
    ]:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"]


# --------------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------------


def test_create_and_read_a_plan(clinician_client: Client, clinician: User) -> None:
    created = _create(clinician_client, D1 | {"patient_reference": "MM-0042"})
    plan = TreatmentPlan.objects.get()
    assert created["id"] == str(plan.pk)
    assert created["pdf_url"] == f"/plans/{plan.pk}/calendar.pdf"
    assert created["ics_url"] == f"/plans/{plan.pk}/calendar.ics"
    assert created["status"] == "saved"
    assert created["patient_reference"] == "MM-0042"
    assert created["adjustments"] == []
    assert plan.created_by == clinician
    assert plan.regimen_version.regimen.slug == "isa-pd"
    assert plan.cycles == 2

    # The created plan carries the preview fields, with the same calendar.
    preview = _preview(clinician_client, D1)
    for key in ("regimen", "patient", "cycles", "administrations", "warnings"):
        assert created[key] == preview[key]

    response = _detail(clinician_client, created["id"])
    assert response.status_code == 200
    assert response.json() == created
    assert _dates(response.json(), "isatuximab")[-1] == "2026-02-16"


def test_plan_reference_is_at_most_40_characters(clinician_client: Client) -> None:
    loc, _msg = _loc_and_msg(_post(clinician_client, PLANS, D1 | {"patient_reference": "x" * 41}))
    assert loc == ["body", "patient_reference"]
    assert TreatmentPlan.objects.count() == 0


def test_create_plan_invalid_input_is_422_and_saves_nothing(clinician_client: Client) -> None:
    loc, msg = _loc_and_msg(
        _post(clinician_client, PLANS, D1 | {"regimen": "isa-vrd-gmmg-hd7", "cycles": 4})
    )
    assert loc == ["body", "cycles"] and "3" in msg
    loc, _msg = _loc_and_msg(_post(clinician_client, PLANS, _with_patient(D1, weight_kg=20)))
    assert loc == ["body", "patient", "weight_kg"]
    assert TreatmentPlan.objects.count() == 0


def test_another_users_plan_is_404(clinician_client: Client) -> None:
    created = _create(clinician_client, D1)
    other = Client()
    other_clinician = User.objects.create_user(username="other", password="another-long-pw-1")
    other_clinician.groups.add(Group.objects.get_or_create(name=CLINICIAN)[0])
    other.force_login(other_clinician)
    assert _detail(other, created["id"]).status_code == 404
    body = {"drug": "isatuximab", "planned_date": "2026-01-19", "actual_date": None}
    assert _reschedule(other, created["id"], body | {"scope": "drug"}).status_code == 404
    # Unchanged for its owner.
    assert _detail(clinician_client, created["id"]).json()["adjustments"] == []


def test_unknown_or_draft_plan_is_404(clinician_client: Client, clinician: User) -> None:
    assert _detail(clinician_client, "6f1c7d2e-0000-4000-8000-000000000000").status_code == 404
    draft = plan_draft_start(
        user=clinician, version=RegimenVersion.objects.get(regimen__slug="isa-pd")
    )
    assert _detail(clinician_client, str(draft.pk)).status_code == 404


def test_reschedule_late_isatuximab_keeps_the_interval(clinician_client: Client) -> None:
    """X27 with scope drug: isatuximab C2 D15 given 2 days late moves that drug's later doses."""
    created = _create(clinician_client, D1 | {"cycles": 3})
    before = _detail(clinician_client, created["id"]).json()
    # C3 starts 2026-02-02 + 28 days = 2026-03-02: isatuximab D1 03-02, D15 03-16.
    assert _dates(before, "isatuximab")[-3:] == ["2026-02-16", "2026-03-02", "2026-03-16"]

    response = _reschedule(
        clinician_client,
        created["id"],
        {
            "drug": "isatuximab",
            "planned_date": "2026-02-16",
            "actual_date": "2026-02-18",
            "scope": "drug",
            "reason": "patient unwell",
        },
    )
    assert response.status_code == 200, response.content
    after = response.json()
    assert _dates(after, "isatuximab") == [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-18",
        "2026-03-04",
        "2026-03-18",
    ]
    given = next(a for a in _of(after, "isatuximab") if a["date"] == "2026-02-18")
    assert given["status"] == "given"
    assert given["planned_date"] == "2026-02-16"
    assert _dates(after, "pomalidomide") == _dates(before, "pomalidomide")
    # X12: the dexamethasone of each moved infusion moves with it (api-v1, reschedule).
    assert _dates(after, "dexamethasone") == [
        *["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"],
        *["2026-02-02", "2026-02-09", "2026-02-18", "2026-02-23"],
        *["2026-03-04", "2026-03-09", "2026-03-18", "2026-03-23"],
    ]
    [adjustment] = after["adjustments"]
    assert {k: adjustment[k] for k in ("drug", "planned_date", "actual_date", "scope")} == {
        "drug": "isatuximab",
        "planned_date": "2026-02-16",
        "actual_date": "2026-02-18",
        "scope": "drug",
    }
    assert adjustment["recorded_at"]
    assert _detail(clinician_client, created["id"]).json() == after


def test_reschedule_scope_cycle_moves_every_later_administration(
    clinician_client: Client,
) -> None:
    created = _create(clinician_client, D1)
    response = _reschedule(
        clinician_client,
        created["id"],
        {
            "drug": "isatuximab",
            "planned_date": "2026-02-02",
            "actual_date": "2026-02-04",
            "scope": "cycle",
        },
    )
    assert response.status_code == 200, response.content
    after = response.json()
    assert _dates(after, "isatuximab")[-2:] == ["2026-02-04", "2026-02-18"]
    assert _dates(after, "pomalidomide")[21:] == _days("2026-02-04", 21)
    assert _dates(after, "dexamethasone")[4:] == [
        "2026-02-04",
        "2026-02-11",
        "2026-02-18",
        "2026-02-25",
    ]


def test_reschedule_omitted_dose_is_kept_as_omitted(clinician_client: Client) -> None:
    created = _create(clinician_client, D1)
    response = _reschedule(
        clinician_client,
        created["id"],
        {"drug": "isatuximab", "planned_date": "2026-01-19", "actual_date": None, "scope": "drug"},
    )
    assert response.status_code == 200, response.content
    after = response.json()
    isatuximab = _of(after, "isatuximab")
    assert [a["date"] for a in isatuximab] == _dates(created, "isatuximab")
    assert [a["status"] for a in isatuximab] == [
        "planned",
        "planned",
        "omitted",
        "planned",
        "planned",
        "planned",
    ]
    assert after["adjustments"][0]["actual_date"] is None


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"drug": "daratumumab"}, ["body", "drug"]),
        ({"planned_date": "2026-01-06"}, ["body", "planned_date"]),
        ({"actual_date": "2026-01-10"}, ["body", "actual_date"]),  # before the previous dose
        ({"actual_date": "9999-12-31"}, ["body", "actual_date"]),
        ({"scope": "everything"}, ["body", "scope"]),
        ({"planned_date": "2026-02-30"}, ["body", "planned_date"]),
        ({"actual_date": "2026-02-17"}, ["body", "actual_date"]),  # 29 days after 01-19
        ({"actual_date": "2030-01-01"}, ["body", "actual_date"]),
        ({"drug": "dexamethasone", "planned_date": "2026-01-20"}, ["body", "planned_date"]),
    ],
    ids=[
        "unknown-drug",
        "no-dose-that-day",
        "before-previous",
        "overflow",
        "scope",
        "bad-date",
        "more-than-28-days-late",
        "years-late",
        "no-such-dose-of-that-drug",
    ],
)
def test_reschedule_invalid_is_422(
    clinician_client: Client, change: dict[str, Any], loc: list[str]
) -> None:
    created = _create(clinician_client, D1)
    body = {
        "drug": "isatuximab",
        "planned_date": "2026-01-19",
        "actual_date": "2026-01-20",
        "scope": "drug",
    }
    loc_got, msg = _loc_and_msg(_reschedule(clinician_client, created["id"], body | change))
    assert loc_got == loc
    assert msg
    assert _detail(clinician_client, created["id"]).json() == created


def test_reschedule_late_limit_names_omit_and_replan(clinician_client: Client) -> None:
    created = _create(clinician_client, D1)
    body = {"drug": "isatuximab", "planned_date": "2026-01-19", "scope": "drug"}
    loc, msg = _loc_and_msg(
        _reschedule(clinician_client, created["id"], body | {"actual_date": "2026-02-17"})
    )
    assert loc == ["body", "actual_date"]
    assert "29 days" in msg and "at most 28 days" in msg and "omitted and re-plan" in msg
    # 28 days late (01-19 → 02-16) is still a late dose.
    response = _reschedule(clinician_client, created["id"], body | {"actual_date": "2026-02-16"})
    assert response.status_code == 200, response.content


def test_reschedule_of_a_dose_already_recorded_records_nothing(clinician_client: Client) -> None:
    """A stale request (the dose was recorded meanwhile) is refused; nothing is recorded twice."""
    created = _create(clinician_client, D1)
    body = {
        "drug": "isatuximab",
        "planned_date": "2026-01-19",
        "actual_date": "2026-01-20",
        "scope": "drug",
    }
    first = _reschedule(clinician_client, created["id"], body)
    assert first.status_code == 200, first.content
    loc, msg = _loc_and_msg(_reschedule(clinician_client, created["id"], body))
    assert loc == ["body", "planned_date"]
    assert "isatuximab" in msg and "2026-01-19" in msg
    assert _detail(clinician_client, created["id"]).json() == first.json()


def test_reschedule_requires_actual_date_explicitly(clinician_client: Client) -> None:
    """Omitting the field is not the same as recording an omitted dose (null)."""
    created = _create(clinician_client, D1)
    body = {"drug": "isatuximab", "planned_date": "2026-01-19", "scope": "drug"}
    loc, _msg = _loc_and_msg(_reschedule(clinician_client, created["id"], body))
    assert loc == ["body", "actual_date"]


def test_plan_is_pinned_to_its_regimen_version(clinician_client: Client) -> None:
    created = _create(clinician_client, D1)

    # A new version of Isa-Pd with pomalidomide 3 mg is published; version 1 is retired.
    v1 = RegimenVersion.objects.get(regimen__slug="isa-pd", status="published")
    definition = copy.deepcopy(v1.definition)
    [pomalidomide] = [c for c in definition["components"] if c["drug"] == "pomalidomide"]
    pomalidomide["dose"]["amount"] = 3
    RegimenVersion.objects.filter(pk=v1.pk).update(status="retired")
    # The database accepts a published version only from review (governance.triggers).
    v2 = RegimenVersion.objects.create(
        regimen=v1.regimen,
        number=2,
        status="in_review",
        verification=v1.verification,
        source=v1.source,
        definition=definition,
        author="test",
    )
    RegimenVersion.objects.filter(pk=v2.pk).update(status="published", published_at=timezone.now())
    assert {a["dose"]["value"] for a in _of(_preview(clinician_client, D1), "pomalidomide")} == {3}

    assert _detail(clinician_client, created["id"]).json() == created
    # Recomputing (a reschedule) still uses version 1.
    response = _reschedule(
        clinician_client,
        created["id"],
        {"drug": "isatuximab", "planned_date": "2026-02-16", "actual_date": None, "scope": "drug"},
    )
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["regimen"]["version"] == 1
    assert {a["dose"]["value"] for a in _of(after, "pomalidomide")} == {4}
    assert _dates(after, "pomalidomide") == _dates(created, "pomalidomide")


def test_failure_inside_plan_create_leaves_no_plan(
    clinician_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_save = TreatmentPlan.save

    def save_then_fail(self: TreatmentPlan, *args: Any, **kwargs: Any) -> None:
        original_save(self, *args, **kwargs)  # the row (and its history) is written …
        raise RuntimeError("forced failure after the insert")  # … then the transaction fails

    monkeypatch.setattr(TreatmentPlan, "save", save_then_fail)
    plans = TreatmentPlan.objects.count()
    history = TreatmentPlan.history.count()
    with pytest.raises(RuntimeError, match="forced failure"):
        _post(clinician_client, PLANS, D1)
    assert TreatmentPlan.objects.count() == plans
    assert TreatmentPlan.history.count() == history


def test_nul_character_in_text_is_refused_not_a_500(clinician_client: Client) -> None:
    """PostgreSQL cannot store NUL: found by schemathesis on the PostgreSQL run."""
    response = clinician_client.post(
        "/api/v1/plans",
        json.dumps({"regimen": "isa\u0000pd", "start_date": "2026-01-05", "cycles": 1}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "regimen"]
