"""The patient calendar of a saved plan: PDF (text read back with pypdf), .ics and the views."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from dosing.calendar_ics import plan_calendar_ics
from dosing.calendar_pdf import plan_calendar_pdf
from dosing.models import PlanAdjustment, TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create, plan_reschedule

pytestmark = pytest.mark.django_db

# domain-reference §18.3 D1: 68-year-old man, 72 kg, 178 cm, creatinine 0.9 mg/dL.
D1_PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
START = dt.date(2026, 1, 5)


def _plan(user: User, regimen: str = "isa-pd", cycles: int = 2) -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug=regimen),
        patient=D1_PATIENT,
        start_date=START,
        cycles=cycles,
        patient_reference="MM-0042",
    )


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def _events(ics: bytes) -> list[Any]:
    return [
        event
        for event in Calendar.from_ical(ics).walk("VEVENT")
        if str(event.get("status", "")) != "CANCELLED"
    ]


@pytest.fixture
def d1_plan(clinician: User) -> TreatmentPlan:
    return _plan(clinician)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


# domain-reference §18.3 D1 (Isa-Pd, start Monday 2026-01-05, 28-day cycles), two cycles.
D1_DATES: dict[str, list[dt.date]] = {
    "isatuximab": [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 26),
        dt.date(2026, 2, 2),
        dt.date(2026, 2, 16),
    ],
    "pomalidomide": _days(dt.date(2026, 1, 5), dt.date(2026, 1, 25))
    + _days(dt.date(2026, 2, 2), dt.date(2026, 2, 22)),
    "dexamethasone": [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 26),
        dt.date(2026, 2, 2),
        dt.date(2026, 2, 9),
        dt.date(2026, 2, 16),
        dt.date(2026, 2, 23),
    ],
}
MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July")
MONTHS += ("August", "September", "October", "November", "December")
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MONTH = "(" + "|".join(MONTHS) + ")"
# "Monday 5 January 2026", or a range "Tuesday 6 – Sunday 11 January 2026" (the first date
# carries its month, and year, only when they differ from the last one's).
ROW_DATE = re.compile(
    rf"{WEEKDAY} (\d{{1,2}})(?: {MONTH})?(?: (\d{{4}}))?"
    rf"(?: – {WEEKDAY} (\d{{1,2}}) {MONTH} (\d{{4}}))?"
)


def _list_rows(text: str) -> list[tuple[dt.date, dt.date, str]]:
    """The rows of "Every treatment day": (first date, last date, the row's text)."""
    listing = text.split("Every treatment day", 1)[1]
    matches = [m for m in ROW_DATE.finditer(listing) if m[2] or m[4]]
    rows = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(listing)
        body = listing[match.end() : end]
        if match[4]:  # a range
            last = dt.date(int(match[6]), MONTHS.index(match[5]) + 1, int(match[4]))
            month = MONTHS.index(match[2]) + 1 if match[2] else last.month
            first = dt.date(int(match[3] or last.year), month, int(match[1]))
        else:
            first = last = dt.date(int(match[3]), MONTHS.index(match[2]) + 1, int(match[1]))
        rows.append((first, last, body))
    return rows


def test_pdf_lists_every_date_and_medicine(d1_plan: TreatmentPlan) -> None:
    text, pages = _text(plan_calendar_pdf(plan=d1_plan, language="en"))
    rows = _list_rows(text)
    for drug, dates in D1_DATES.items():
        printed = {
            day
            for first, last, body in rows
            if re.search(rf"\b{drug}\b", body)
            for day in _days(first, last)
        }
        assert printed == set(dates), drug  # every date, and no other, for this medicine
    assert [(f, la) for f, la, body in rows if f != la] == [
        (dt.date(2026, 1, 6), dt.date(2026, 1, 11)),
        (dt.date(2026, 1, 13), dt.date(2026, 1, 18)),
        (dt.date(2026, 1, 20), dt.date(2026, 1, 25)),
        (dt.date(2026, 2, 3), dt.date(2026, 2, 8)),
        (dt.date(2026, 2, 10), dt.date(2026, 2, 15)),
        (dt.date(2026, 2, 17), dt.date(2026, 2, 22)),
    ]
    assert "Tuesday 6 – Sunday 11 January 2026" in text
    assert "pomalidomide 4 mg TABLET at home, once every day" in text
    # A day with an infusion, or with another set of tablets, keeps a row of its own.
    assert "Monday 9 February 2026 dexamethasone 40 mg TABLET at home pomalidomide" in text
    assert "720 mg" in text and "INFUSION" in text and "TABLET" in text
    assert "pomalidomide 4 mg \u25ad" in text  # the month grids: one line per medicine
    assert "Cycle 2 starts" in text
    assert "Bring this calendar to every visit" in text
    assert "blood bank" in text and "5 months" in text  # SARCLISA notes (§13.9, X29)
    assert 3 <= pages <= 12  # cover, notes, 1–2 month sheets per month, the list


def test_omitted_day_stays_a_row_of_its_own(d1_plan: TreatmentPlan) -> None:
    computed = d1_plan.computed
    for adm in computed["administrations"]:
        if adm["drug"] == "pomalidomide" and adm["date"] == "2026-01-08":
            adm["status"] = "omitted"
    text, _ = _text(plan_calendar_pdf(plan=d1_plan, language="en"))
    ranges = [(first, last) for first, last, _body in _list_rows(text)]
    assert (dt.date(2026, 1, 6), dt.date(2026, 1, 7)) in ranges
    assert (dt.date(2026, 1, 8), dt.date(2026, 1, 8)) in ranges
    assert (dt.date(2026, 1, 9), dt.date(2026, 1, 11)) in ranges
    assert "Thursday 8 January 2026 pomalidomide 4 mg TABLET at home — NOT GIVEN" in text


def test_pdf_metadata_and_footer_verified_regimen(d1_plan: TreatmentPlan) -> None:
    pdf = plan_calendar_pdf(plan=d1_plan, language="en")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "Treatment calendar — Isa-Pd"
    last = " ".join(reader.pages[-1].extract_text().split())
    pages = len(reader.pages)
    assert f"page {pages} of {pages}" in last
    assert "Isa-Pd version 1" in last
    assert "Check with your care team before any change" in last
    assert "PENDING VERIFICATION" not in _text(pdf)[0]


def test_pending_regimen_footer_says_pending(clinician: User) -> None:
    plan = _plan(clinician, "isa-vrd-imroz", cycles=2)
    reader = PdfReader(io.BytesIO(plan_calendar_pdf(plan=plan, language="en")))
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        assert f"version {plan.computed['regimen']['version']}" in text
        assert "PENDING VERIFICATION" in text


def test_ndmm_isatuximab_regimen_prints_i2teamm_assessment_points(clinician: User) -> None:
    plan = _plan(clinician, "isa-vrd-imroz", cycles=2)
    text, _pages = _text(plan_calendar_pdf(plan=plan, language="en"))
    assert "around October 2026" in text and "around January 2027" in text  # 9 and 12 months
    assert "Your care team decides" in text


def test_dutch_calendar_is_translated(d1_plan: TreatmentPlan) -> None:
    english, _ = _text(plan_calendar_pdf(plan=d1_plan, language="en"))
    dutch, _ = _text(plan_calendar_pdf(plan=d1_plan, language="nl"))
    assert dutch != english
    assert "januari 2026" in dutch and "maandag" in dutch
    assert "Mijn behandelkalender" in dutch
    assert "isatuximab" in dutch  # INN stays
    assert "Translation: not yet reviewed" in dutch


def test_unknown_language_falls_back_to_english(d1_plan: TreatmentPlan) -> None:
    text, _ = _text(plan_calendar_pdf(plan=d1_plan, language="xx"))
    assert "My treatment calendar" in text


def test_name_typed_at_print_time_is_printed_not_stored(
    clinician: User, d1_plan: TreatmentPlan
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(clinician)
    detail = client.get(reverse("dosing:plan_detail", kwargs={"pk": d1_plan.pk}))
    token = detail.cookies["csrftoken"].value
    url = reverse("dosing:plan_calendar_pdf", kwargs={"pk": d1_plan.pk})
    data = {"lang": "en", "name": "Johanna Testpatient"}
    assert client.post(url, data).status_code == 403  # no CSRF token
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "treatment-calendar-mm-0042-en.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert "Johanna Testpatient" in _text(response.content)[0]
    # Not in any URL: the form posts to a plain address and the answer is no redirect.
    assert "Location" not in response
    assert "Johanna" not in response.wsgi_request.get_full_path()
    assert "Johanna" not in response["Content-Disposition"]
    body = detail.content.decode()
    assert re.search(rf'<form method="post"\s+action="{re.escape(url)}"', body)
    d1_plan.refresh_from_db()
    stored = [
        str(d1_plan.__dict__),
        *(str(h.__dict__) for h in d1_plan.history.all()),
        *(str(a.__dict__) for a in PlanAdjustment.objects.all()),
    ]
    assert not any("Johanna" in row for row in stored)


def test_pdf_name_is_printed_from_a_post_only(
    clinician_client: Client, d1_plan: TreatmentPlan
) -> None:
    url = reverse("dosing:plan_calendar_pdf", kwargs={"pk": d1_plan.pk})
    response = clinician_client.get(url, {"lang": "en", "name": "Johanna"})
    assert response.status_code == 200  # GET: the calendar with a blank name line
    assert "Johanna" not in _text(response.content)[0]
    assert clinician_client.put(url).status_code == 405


def test_ics_one_event_per_treatment_day_with_stable_uids(d1_plan: TreatmentPlan) -> None:
    first = _events(plan_calendar_ics(plan=d1_plan, language="en", reminders=False))
    second = _events(plan_calendar_ics(plan=d1_plan, language="en", reminders=False))
    dates = sorted({adm["date"] for adm in d1_plan.computed["administrations"]})
    assert [event.decoded("dtstart").isoformat() for event in first] == dates
    assert [str(e["uid"]) for e in first] == [str(e["uid"]) for e in second]
    assert str(first[0]["uid"]) == f"{d1_plan.pk}-2026-01-05@myeloma-clinic"
    assert "isatuximab" in str(first[0]["summary"])
    assert "720 mg" in str(first[0]["description"])
    assert not first[0].walk("VALARM")


def test_ics_reminder_the_evening_before(d1_plan: TreatmentPlan) -> None:
    events = _events(plan_calendar_ics(plan=d1_plan, language="en", reminders=True))
    alarm = events[0].walk("VALARM")[0]
    assert alarm.decoded("trigger") == -dt.timedelta(hours=6)  # 18:00 the day before


def test_ics_follows_a_reschedule(d1_plan: TreatmentPlan, clinician: User) -> None:
    before = _events(plan_calendar_ics(plan=d1_plan, language="en", reminders=False))
    plan_reschedule(
        plan=d1_plan,
        user=clinician,
        drug="isatuximab",
        planned_date=dt.date(2026, 1, 19),
        actual_date=dt.date(2026, 1, 21),
        scope="drug",
    )
    d1_plan.refresh_from_db()
    raw = plan_calendar_ics(plan=d1_plan, language="en", reminders=False)
    after = {e.decoded("dtstart"): e for e in _events(raw)}
    dates = {dt.date.fromisoformat(a["date"]) for a in d1_plan.computed["administrations"]}
    assert set(after) == dates
    moved = after[dt.date(2026, 1, 21)]
    assert "isatuximab" in str(moved["summary"])
    assert str(moved["uid"]) == f"{d1_plan.pk}-2026-01-21@myeloma-clinic"
    assert int(moved["sequence"]) > int(before[0]["sequence"])
    assert "isatuximab" not in str(after[dt.date(2026, 1, 19)]["summary"])  # only tablets left


def test_views_only_for_the_plan_creator(
    clinician_client: Client, d1_plan: TreatmentPlan, other_clinician: User
) -> None:
    pdf_url = reverse("dosing:plan_calendar_pdf", kwargs={"pk": d1_plan.pk})
    ics_url = reverse("dosing:plan_calendar_ics", kwargs={"pk": d1_plan.pk})
    ics = clinician_client.get(ics_url, {"lang": "nl", "reminders": "1"})
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    assert "treatment-calendar-mm-0042-nl.ics" in ics["Content-Disposition"]
    assert _events(ics.content)[0].walk("VALARM")
    other = Client()
    other.force_login(other_clinician)
    assert other.post(pdf_url, {"lang": "en"}).status_code == 404
    assert other.get(ics_url).status_code == 404
    anonymous = Client().post(pdf_url, {"lang": "en", "name": "Johanna"})
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"]
    assert "Johanna" not in anonymous["Location"]


def test_unknown_language_rerenders_the_plan_page(
    clinician_client: Client, d1_plan: TreatmentPlan
) -> None:
    url = reverse("dosing:plan_calendar_pdf", kwargs={"pk": d1_plan.pk})
    response = clinician_client.post(url, {"lang": "xx", "name": "Johanna Testpatient"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Select a valid choice" in body
    assert "Johanna" not in body  # the name is not echoed back into the page


def test_plan_page_has_the_print_card(clinician_client: Client, d1_plan: TreatmentPlan) -> None:
    body = clinician_client.get(
        reverse("dosing:plan_detail", kwargs={"pk": d1_plan.pk})
    ).content.decode()
    assert "Patient name to print (not stored)" in body
    assert "csrfmiddlewaretoken" in body
    ics_url = reverse("dosing:plan_calendar_ics", kwargs={"pk": d1_plan.pk})
    ics_form = body[body.index(f'action="{ics_url}"') :]
    ics_form = ics_form[: ics_form.index("</form>")]
    assert 'name="name"' not in ics_form  # the .ics (GET) form carries no name
    for code in ("en", "nl", "fr", "da", "nb", "sv", "fi"):
        assert f'<option value="{code}"' in body


def test_daratumumab_premedication_prints_one_to_three_hours_and_the_day_after(
    clinician: User,
) -> None:
    """DARZALEX SmPC 4.2: antipyretic and antihistamine 1–3 h before every injection; an oral
    corticosteroid after it — not the isatuximab 15–60 min."""
    plan = _plan(clinician, "d-vrd-cepheus", cycles=1)
    text, _pages = _text(plan_calendar_pdf(plan=plan, language="en"))
    assert "1 to 3 hours before the infusion or injection you take" in text
    assert "15 to 60 minutes" not in text
    assert "paracetamol (antipyretic): 650–1000 mg" in text
    assert "antihistamine: diphenhydramine 25–50 mg or equivalent" in text
    assert "After the infusion or injection (for example the next day):" in text
    assert "corticosteroid after the injection: methylprednisolone ≤ 20 mg or equivalent" in text
    dutch, _pages = _text(plan_calendar_pdf(plan=plan, language="nl"))
    assert "1 tot 3 uur vóór het infuus of de injectie" in dutch
    assert "corticosteroïd na de injectie" in dutch


def test_isatuximab_premedication_still_prints_15_to_60_minutes(d1_plan: TreatmentPlan) -> None:
    text, _pages = _text(plan_calendar_pdf(plan=d1_plan, language="en"))
    assert "15 to 60 minutes before the infusion you take, or the nurse gives you:" in text
    assert "After the infusion" not in text
    dutch, _pages = _text(plan_calendar_pdf(plan=d1_plan, language="nl"))
    assert "15 tot 60 minuten vóór het infuus" in dutch


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Preventing shingles"),
        ("nl", "Gordelroos voorkomen"),
        ("fr", "Prévenir le zona"),
        ("da", "Forebyggelse af helvedesild"),
        ("nb", "Forebygging av helvetesild"),
        ("sv", "Förebygga bältros"),
        ("fi", "Vyöruusun ehkäisy"),
    ],
)
def test_anti_cd38_calendar_prints_the_shingles_note_in_every_language(
    clinician: User, language: str, heading: str
) -> None:
    plan = _plan(clinician, "dkd", cycles=1)
    text, _pages = _text(plan_calendar_pdf(plan=plan, language=language))
    assert heading in text
    assert "zoster" in text


def test_calendar_without_anti_cd38_has_no_shingles_note(clinician: User) -> None:
    plan = _plan(clinician, "pvd", cycles=1)
    text, _pages = _text(plan_calendar_pdf(plan=plan, language="en"))
    assert "Preventing shingles" not in text
