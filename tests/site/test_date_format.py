"""One date format per language on every screen: weekday, day, month name, year.

The formats are set once per language (myeloma_site/formats/). Expected strings by hand from
the calendar: 5 Jan 2026 is a Monday ("ma" in Dutch), 2 Mar 2026 a Monday, 4 May 2026 a Monday.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from dosing.models import TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_create
from tests.governance.workflow import draft_create

pytestmark = pytest.mark.django_db

PATIENT: dict[str, Any] = {
    "age_years": 68,
    "sex": "male",
    "weight_kg": 72,
    "height_cm": 178,
    "creatinine": {"value": 0.9, "unit": "mg/dL"},
    "on_dialysis": False,
    "measured_on": "2026-01-05",
}
ASSESSMENT_FORM = {
    "serum_m_protein_unit": "g/L",
    "urine_m_protein_unit": "mg/24h",
    "involved_flc_unit": "mg/L",
    "uninvolved_flc_unit": "mg/L",
    "mrd_method": "ngs",
}
# Any way of writing a date that is not the language's own: ISO, numeric with slashes, Django's
# English default ("Jan. 5, 2026"). A cited source's own date ("SmPC 18.07.2025") is content.
FOREIGN_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b"
)
OWN_FORMAT = {
    "en": "Mon 5 Jan 2026",
    "nl": "ma 5 januari 2026",
    "fr": "lun 5 janvier 2026",
    "da": "man 5. januar 2026",
    "nb": "man 5. januar 2026",
    "sv": "mån 5 januari 2026",
    "fi": "ma 5. tammikuuta 2026",
}


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: element text and title, never attributes or scripts, nor
    what a field holds for editing (a content document's YAML keeps its ISO dates)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "textarea"}:
            self._skip += 1
        for name, value in attrs:
            if name in {"aria-label", "title", "alt"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "textarea"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def plan(clinician: User, clinician_client: Client) -> TreatmentPlan:
    plan = plan_create(
        user=clinician,
        version=regimen_version_published(slug="isa-pd"),
        patient=PATIENT,
        start_date=dt.date(2026, 1, 5),
        cycles=2,
        patient_reference="MM-0042",
    )
    url = reverse("followup:assessment_create", kwargs={"pk": plan.pk})
    baseline = {"baseline": "on", "heavy_chain": "IgG", "light_chain": "kappa"}
    for date, protein in (("2026-01-05", "35"), ("2026-03-02", "3"), ("2026-05-04", "2")):
        fields = ASSESSMENT_FORM | {"date": date, "serum_m_protein": protein}
        if date == "2026-01-05":
            fields |= baseline | {"plasmacytoma": "absent"}
        assert clinician_client.post(url, fields).status_code == 302
    # A late isatuximab dose (C1 D15, Mon 19 Jan → Wed 21 Jan): its change history names both days.
    reschedule = reverse("dosing:plan_reschedule", kwargs={"pk": plan.pk})
    late = {"administration": "isatuximab|2026-01-19", "scope": "drug", "reason": "ward full"}
    assert (
        clinician_client.post(reschedule, late | {"actual_date": "2026-01-21"}).status_code == 302
    )
    return plan


def _pages(plan: TreatmentPlan) -> list[str]:
    return [
        reverse("dosing:plan_detail", kwargs={"pk": plan.pk}),
        reverse("dosing:plan_list"),
        reverse("followup:dose_check", kwargs={"pk": plan.pk}) + "?date=2026-01-05",
        reverse("followup:toxicity_crs"),
    ]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_clinician_page_writes_dates_one_way(
    language: str, clinician_client: Client, plan: TreatmentPlan
) -> None:
    clinician_client.cookies["django_language"] = language
    for url in _pages(plan):
        response = clinician_client.get(url)
        assert response.status_code == 200, url
        text = _visible(response.content.decode())
        assert not FOREIGN_DATE.findall(text), (url, FOREIGN_DATE.findall(text)[:5])
    detail = _visible(clinician_client.get(_pages(plan)[0]).content.decode())
    assert OWN_FORMAT[language] in detail
    if language == "nl":
        assert "ma 2 maart 2026" in detail  # the second assessment, in the response table
        assert "ma 19 januari 2026" in detail and "wo 21 januari 2026" in detail


@pytest.mark.parametrize("language", ["en", "nl"])
def test_content_pages_write_dates_one_way(language: str, client: Client, editor: User) -> None:
    client.force_login(editor)
    client.cookies["django_language"] = language
    draft = draft_create("regimens", "isa-pd", user=editor)
    version_url = reverse("content:version", kwargs={"kind": "regimens", "pk": draft.pk})
    for url in (reverse("content:index"), version_url):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible(response.content.decode())
        assert not FOREIGN_DATE.findall(text), (url, FOREIGN_DATE.findall(text)[:5])
    saved = timezone.localtime(draft.history.earliest().history_date)
    with translation.override(language):
        expected = formats.date_format(saved, "DATETIME_FORMAT")
    assert expected in _visible(client.get(version_url).content.decode())


@pytest.mark.parametrize("language", list(OWN_FORMAT))
def test_each_language_has_weekday_day_month_name_and_year(language: str) -> None:
    from django.template import Context, Template

    with translation.override(language):
        shown = Template("{{ day|date }}").render(Context({"day": dt.date(2026, 1, 5)}))
    assert shown == OWN_FORMAT[language]


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "measured on Mon 5 Jan 2026, 30 days"),
        ("nl", "measured on ma 5 januari 2026, 30 days"),
    ],
)
def test_domain_texts_show_their_days_in_the_language_format(language: str, shown: str) -> None:
    """Domain texts (English, ISO days, also in the API) on a clinician screen."""
    from django.template import Context, Template

    text = "The creatinine was measured on 2026-01-05, 30 days before cycle 1 day 1"
    template = Template("{% load clinician_text %}{{ text|clinician_text }}")
    with translation.override(language):
        assert shown in template.render(Context({"text": text}))
