"""The calendar printed from a body rendered ahead (at save) and a cover rendered at print time.

Page texts are read back with pypdf. The queue tests (``task_queue``) run on the configured
backend: the database queue with its worker by default, RQ on a real Redis in CI
(``TASKS_BACKEND=redis REDIS_URL=…``, started by .ci/run).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from dosing import calendar_print
from dosing.calendar_pdf import calendar_revision, plan_calendar_pdf
from dosing.models import CalendarBody, TreatmentPlan
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


def _plan(user: User, cycles: int = 2, regimen: str = "isa-pd") -> TreatmentPlan:
    return plan_create(
        user=user,
        version=regimen_version_published(slug=regimen),
        patient=D1_PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=cycles,
        patient_reference="MM-0042",
    )


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _url(plan: TreatmentPlan) -> str:
    return reverse("dosing:plan_calendar_pdf", kwargs={"pk": plan.pk})


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> None:
    cache.clear()


@pytest.fixture
def saved_plan(
    clinician: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> TreatmentPlan:
    """A plan saved the way a clinician saves it: its body task runs after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return _plan(clinician)


def test_saving_a_plan_renders_its_body_without_a_name(saved_plan: TreatmentPlan) -> None:
    row = CalendarBody.objects.get(plan=saved_plan)
    assert row.language == "en"
    assert row.revision == calendar_revision(plan=saved_plan, language="en")
    assert row.pdf is not None and row.page_count == len(_pages(bytes(row.pdf)))
    cover = _pages(bytes(row.pdf))[0]
    assert "My treatment calendar" in cover and "Name:" in cover
    assert row.cover_page_count == 1  # two cycles: the cover fits one page


def test_print_puts_the_named_cover_before_the_stored_body(
    clinician_client: Client, saved_plan: TreatmentPlan
) -> None:
    response = clinician_client.post(_url(saved_plan), {"lang": "en", "name": "Johanna Test"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Calendar-Body"] == "stored"
    pages = _pages(response.content)
    full = _pages(plan_calendar_pdf(plan=saved_plan, language="en", patient_name="Johanna Test"))
    assert pages == full  # the same text on every page as the calendar rendered in one go
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {total}" in text
        assert "Plan MM-0042 · Isa-Pd version 1" in text
        assert "Check with your care team before any change." in text
    assert "Johanna Test" in pages[0]
    assert not any("Johanna" in text for text in pages[1:])
    stored = CalendarBody.objects.get(plan=saved_plan)
    assert b"Johanna" not in bytes(stored.pdf or b"")
    assert not any("Johanna" in text for text in _pages(bytes(stored.pdf or b"")))


def test_a_print_with_the_body_stored_only_reads(
    clinician_client: Client, saved_plan: TreatmentPlan
) -> None:
    """The stored body is looked up, not claimed: no insert to fail, no savepoint to undo.

    Eight reads: the session, the user, the role, the plan, the assessments done, the published
    patient notes and their versions (the revision names them), the body.
    """
    url = _url(saved_plan)
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.post(url, {"lang": "en", "name": "Johanna Test"})
    assert response.status_code == 200
    assert response["X-Calendar-Body"] == "stored"
    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert statements == ["SELECT"] * 8


def test_a_cover_of_two_pages_keeps_every_page_number(
    clinician: User, clinician_client: Client
) -> None:
    """IMROZ (pending verification): the cover's Notes box runs onto a second page."""
    plan = _plan(clinician, regimen="isa-vrd-imroz")
    response = clinician_client.post(_url(plan), {"lang": "en", "name": "Johanna Test"})
    assert CalendarBody.objects.get(plan=plan).cover_page_count == 2
    pages = _pages(response.content)
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
        assert "PENDING VERIFICATION" in text
    assert "Notes" in pages[0] and "Important information" in pages[2]  # 2: the box runs on
    assert pages == _pages(plan_calendar_pdf(plan=plan, language="en", patient_name="Johanna Test"))


def test_get_returns_the_calendar_with_a_blank_name_line(
    clinician_client: Client, saved_plan: TreatmentPlan
) -> None:
    response = clinician_client.get(_url(saved_plan), {"lang": "en", "name": "Johanna"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    pages = _pages(response.content)
    assert "Name:" in pages[0]
    assert not any("Johanna" in text for text in pages)  # a name in a URL is never printed
    assert f"page 1 of {len(pages)}" in pages[0]


def test_body_not_ready_is_rendered_once_by_the_print_and_said(
    clinician: User, clinician_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(clinician)  # the commit callbacks (the background task) never ran
    assert not CalendarBody.objects.filter(plan=plan).exists()
    renders = _count_body_renders(monkeypatch)
    first = clinician_client.post(_url(plan), {"lang": "nl", "name": "Johanna Test"})
    assert first.status_code == 200
    assert first["X-Calendar-Body"] == "rendered"
    second = clinician_client.post(_url(plan), {"lang": "nl", "name": "Piet Test"})
    assert second["X-Calendar-Body"] == "stored"
    assert renders == [plan.pk]
    assert "Piet Test" in _pages(second.content)[0]
    assert "Mijn behandelkalender" in _pages(second.content)[0]


def _count_body_renders(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    renders: list[Any] = []
    real: Callable[..., Any] = calendar_print.calendar_body_render

    def counting(*, plan: TreatmentPlan, language: str) -> Any:
        renders.append(plan.pk)
        return real(plan=plan, language=language)

    monkeypatch.setattr(calendar_print, "calendar_body_render", counting)
    return renders


def test_a_body_being_rendered_is_waited_for_not_rendered_again(
    clinician: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(clinician)
    revision = calendar_revision(plan=plan, language="en")
    finished = plan_calendar_pdf(plan=plan, language="en")
    # Another process claimed this document a moment ago and is rendering it.
    row = CalendarBody.objects.create(
        plan=plan, revision=revision, language="en", claimed_at=timezone.now()
    )
    renders = _count_body_renders(monkeypatch)

    def other_process_finishes(_seconds: float) -> None:
        CalendarBody.objects.filter(pk=row.pk).update(
            pdf=finished, page_count=len(_pages(finished)), cover_page_count=1
        )

    monkeypatch.setattr(calendar_print.time, "sleep", other_process_finishes)
    printed = calendar_print.plan_calendar_print(plan=plan, language="en", patient_name="Jo Test")
    assert renders == []
    assert printed.body_was_ready is False  # it had to wait: the response says so
    assert "Jo Test" in _pages(printed.pdf)[0]


def test_a_claim_left_by_a_dead_worker_is_taken_over_once(clinician: User) -> None:
    plan = _plan(clinician)
    revision = calendar_revision(plan=plan, language="en")
    old = timezone.now() - calendar_print.CLAIM_STALE - dt.timedelta(seconds=1)
    CalendarBody.objects.create(plan=plan, revision=revision, language="en", claimed_at=old)
    _row, first = calendar_print._claim(plan, revision, "en")
    _row, second = calendar_print._claim(plan, revision, "en")
    assert (first, second) == (True, False)


def test_a_reschedule_renders_a_new_body_and_drops_the_old(
    clinician: User,
    saved_plan: TreatmentPlan,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    before = CalendarBody.objects.get(plan=saved_plan).revision
    with django_capture_on_commit_callbacks(execute=True):
        plan_reschedule(
            plan=saved_plan,
            user=clinician,
            drug="isatuximab",
            planned_date=dt.date(2026, 1, 19),
            actual_date=dt.date(2026, 1, 21),
            scope="drug",
        )
    saved_plan.refresh_from_db()
    row = CalendarBody.objects.get(plan=saved_plan)
    assert row.revision != before
    assert row.revision == calendar_revision(plan=saved_plan, language="en")
    text = " ".join(_pages(bytes(row.pdf or b"")))
    # The late infusion's day, with the dexamethasone that is its premedication (X12, X27).
    assert (
        "Wednesday 21 January 2026 dexamethasone 40 mg TABLET at home "
        "isatuximab 720 mg INFUSION at the clinic"
    ) in text


def test_a_long_name_that_moves_the_pages_gets_a_full_render(
    clinician: User, saved_plan: TreatmentPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the named cover had more pages than the stored one, every page number would shift."""
    real = calendar_print.calendar_cover_render

    def cover_of_two_pages(**kwargs: Any) -> Any:
        rendered = real(**kwargs)
        return type(rendered)(pdf=rendered.pdf, page_count=2, cover_page_count=2)

    monkeypatch.setattr(calendar_print, "calendar_cover_render", cover_of_two_pages)
    printed = calendar_print.plan_calendar_print(
        plan=saved_plan, language="en", patient_name="Johanna Test"
    )
    pages = _pages(printed.pdf)
    assert pages == _pages(
        plan_calendar_pdf(plan=saved_plan, language="en", patient_name="Johanna Test")
    )


def test_pdf_renders_are_rate_limited_per_user(
    clinician_client: Client, saved_plan: TreatmentPlan, settings: Settings
) -> None:
    settings.CALENDAR_PDF_PER_MINUTE = 2
    url = _url(saved_plan)
    # Second 15 of the current minute (never hours away, or the login session would have expired):
    # the three requests fall in one minute however slow they are.
    start = timezone.now().replace(second=15, microsecond=0)
    with time_machine.travel(start, tick=False):
        assert clinician_client.get(url).status_code == 200
        assert clinician_client.post(url, {"name": "Jo Test"}).status_code == 200
        refused = clinician_client.post(url, {"name": "Jo Test"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert "at most 2 per minute" in refused.content.decode()
    assert "Jo" not in refused.content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        assert clinician_client.post(url, {"name": "Jo Test"}).status_code == 200


@pytest.mark.task_queue
@pytest.mark.django_db(transaction=True)
def test_saving_enqueues_the_body_for_a_worker(clinician: User, settings: Settings) -> None:
    """The save only enqueues (at commit); a worker of the configured backend renders the body.

    Transactional: the database worker closes its connection when its batch ends, as a real
    worker process does, which a test wrapped in one transaction would not survive.
    """
    plan = _plan(clinician)
    assert not CalendarBody.objects.filter(plan=plan).exists()  # nothing rendered in the save
    _run_worker(settings.TASKS_BACKEND)
    row = CalendarBody.objects.get(plan=plan)
    assert row.revision == calendar_revision(plan=plan, language="en")
    assert row.pdf is not None and "Name:" in _pages(bytes(row.pdf))[0]


def _run_worker(backend: str) -> None:
    """Work off the calendar queue in this process."""
    if backend == "redis":
        import django_rq

        worker = django_rq.get_worker(
            "calendar", job_class="django_tasks_rq.Job", worker_class="rq.SimpleWorker"
        )
        assert worker.work(burst=True)
    else:
        assert backend == "database"
        call_command("db_worker", "--queue-name", "calendar", "--batch", "--no-reload")


def test_the_plans_api_links_the_pdf_and_the_ics(clinician_client: Client) -> None:
    created = clinician_client.post(
        "/api/v1/plans",
        {
            "regimen": "isa-pd",
            "patient": D1_PATIENT,
            "start_date": "2026-01-05",
            "cycles": 2,
            "patient_reference": "MM-0042",
        },
        content_type="application/json",
    ).json()
    pdf = clinician_client.get(created["pdf_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    cover = _pages(pdf.content)[0]
    assert "My treatment calendar" in cover and "Name:" in cover
    ics = clinician_client.get(created["ics_url"])
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize(
    ("name", "font"),
    [
        ("王秀英", "Calendar-Fallback-SC-Bold"),  # Noto Sans SC: DejaVu has no Han characters
        ("فاطمة الزهراء", "Calendar-Sans-Bold"),  # DejaVu Sans Bold has Arabic
        ("Zoë Ørsted", "Calendar-Sans-Bold"),
    ],
)
def test_a_name_in_any_script_prints_in_real_glyphs(
    clinician_client: Client, saved_plan: TreatmentPlan, name: str, font: str
) -> None:
    response = clinician_client.post(_url(saved_plan), {"lang": "en", "name": name})
    reader = PdfReader(io.BytesIO(response.content))
    cover = reader.pages[0]
    resources: Any = cover["/Resources"]
    fonts = {str(f["/BaseFont"]) for f in resources["/Font"].values()}
    assert any(f.endswith(f"+{font}") for f in fonts), fonts  # a font that has the glyphs
    assert name in " ".join(cover.extract_text().split())
