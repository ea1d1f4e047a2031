"""Every page of the app, looked at (issue 16, Measured): a screenshot at 1280 px and at 390 px
(var/screenshots/<width>/<name>.png), no sideways overflow at either width, and axe-core with no
violation at all in each of the seven languages.

The pages come from the URL resolver: a named URL is either visited here (``PAGES``) or listed
as not a page with the reason (``NOT_PAGES``, ``NOT_PAGE_NAMESPACES``), so a new page cannot be
forgotten (``test_every_named_url_is_visited_or_says_why_not``). One browser; one context per role,
each page loaded once per language.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dosing.models import RegimenVersion, TreatmentPlan
from dosing.selectors import regimen_version_published
from dosing.services import plan_draft_set_patient, plan_draft_set_schedule, plan_draft_start
from followup.models import DiseaseAssessment
from governance.models import ContentStatus
from tests.followup.test_toxicity_api import PATIENT, START, _plan
from tests.governance.workflow import document_yaml, draft_create, draft_edit

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = (1280, 390)
AXE_PATH = "/static/vendor/axe/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)
  }));
}"""
SUBMIT = """(values) => {
  const form = document.querySelector('main form[method=post]');
  for (const [name, value] of Object.entries(values)) {
    const fields = form.querySelectorAll(`[name="${name}"]`);
    if (!fields.length) {
      const input = Object.assign(document.createElement('input'), {type: 'hidden', name, value});
      form.appendChild(input);
    }
    fields.forEach(f => {
      if (f.type === 'checkbox' || f.type === 'radio') { f.checked = f.value === value; }
      else { f.value = value; }
    });
  }
  form.submit();
}"""
OVERFLOW = """() => ({
  scroll: document.documentElement.scrollWidth,
  inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))
})"""

# Named URLs that are not pages, with the reason.
NOT_PAGES = {
    "healthz": "health check for the load balancer (JSON)",
    "logout": "POST only: logs out and redirects",
    "set_language": "POST only: stores the language and redirects",
    "dosing:plan_recompute": "POST only: recomputes as a new draft and redirects",
    "dosing:plan_calendar_pdf": "the calendar as a PDF download",
    "dosing:plan_calendar_ics": "the calendar as an iCalendar download",
    "costs:plan_administrations_csv": "the administrations as a CSV download",
    "followup:infusion_worksheet": "the nurse worksheet as a PDF download",
    "content:draft_create": "POST only: creates a draft and redirects to its version page",
    "staging:assessment_clear": "POST only: forgets the carried staging results and redirects",
}
NOT_PAGE_NAMESPACES = {
    "api-v1": "the JSON API (docs/api.md); its schema and docs are not clinician pages",
    "admin": "Django's own admin pages (its templates and CSS); the admin index stands for them",
}


@dataclass(frozen=True)
class Page:
    name: str  # the URL name it covers
    shot: str  # the screenshot's file name
    role: str  # clinician, editor, admin or anonymous
    path: Callable[[dict[str, Any]], str]
    post: dict[str, str] | None = None  # submitted with the page's form: the results page


def _at(name: str, kind: str = "", **keys: str) -> Callable[[dict[str, Any]], str]:
    """The URL of ``name`` with its arguments taken from the test data (``kind``: as given)."""
    fixed = {"kind": kind} if kind else {}
    return lambda data: reverse(name, kwargs=fixed | {arg: data[key] for arg, key in keys.items()})


PAGES = [
    Page("login", "login", "anonymous", _at("login")),
    Page("home", "home", "clinician", _at("home")),
    Page("staging:index", "staging", "clinician", _at("staging:index")),
    Page(
        "staging:index",
        "staging-results",
        "clinician",
        _at("staging:index"),
        post={
            "beta2_microglobulin_value": "6.1",
            "beta2_microglobulin_unit": "mg/L",
            "albumin_value": "30",
            "albumin_unit": "g/L",
            "ldh_status": "high",
        },
    ),
    Page("staging:diagnosis", "staging-diagnosis", "clinician", _at("staging:diagnosis")),
    Page("staging:smouldering", "staging-smouldering", "clinician", _at("staging:smouldering")),
    Page("staging:frailty", "staging-frailty", "clinician", _at("staging:frailty")),
    Page("treatment:index", "treatment", "clinician", _at("treatment:index")),
    Page(
        "treatment:index",
        "treatment-options",
        "clinician",
        _at("treatment:index"),
        post={
            "setting": "rrmm",
            "prior_lines": "1",
            "exposed_to": "bortezomib",
            "refractory_to": "bortezomib",
        },
    ),
    Page("dosing:plan_list", "plan-list", "clinician", _at("dosing:plan_list")),
    Page("dosing:plan_new", "plan-new", "clinician", _at("dosing:plan_new")),
    Page(
        "dosing:plan_regimen",
        "plan-step-regimen",
        "clinician",
        _at("dosing:plan_regimen", pk="draft"),
    ),
    Page(
        "dosing:plan_patient",
        "plan-step-patient",
        "clinician",
        _at("dosing:plan_patient", pk="draft"),
    ),
    Page("dosing:plan_doses", "plan-step-doses", "clinician", _at("dosing:plan_doses", pk="draft")),
    Page(
        "dosing:plan_schedule",
        "plan-step-schedule",
        "clinician",
        _at("dosing:plan_schedule", pk="draft"),
    ),
    Page(
        "dosing:plan_preview",
        "plan-step-preview",
        "clinician",
        _at("dosing:plan_preview", pk="draft"),
    ),
    Page("dosing:plan_detail", "plan-detail", "clinician", _at("dosing:plan_detail", pk="plan")),
    Page(
        "dosing:plan_administrations",
        "plan-administrations",
        "clinician",
        _at("dosing:plan_administrations", pk="plan"),
    ),
    Page(
        "dosing:plan_reschedule",
        "plan-reschedule",
        "clinician",
        _at("dosing:plan_reschedule", pk="plan"),
    ),
    Page(
        "followup:assessment_create",
        "followup-response-new",
        "clinician",
        _at("followup:assessment_create", pk="plan"),
    ),
    Page(
        "followup:assessment_edit",
        "followup-response-edit",
        "clinician",
        _at("followup:assessment_edit", pk="plan", assessment_id="assessment"),
    ),
    Page(
        "followup:dose_check",
        "followup-dose-check",
        "clinician",
        _at("followup:dose_check", pk="plan"),
    ),
    Page("followup:toxicity_crs", "toxicity-crs", "clinician", _at("followup:toxicity_crs")),
    Page("followup:toxicity_icans", "toxicity-icans", "clinician", _at("followup:toxicity_icans")),
    Page("followup:toxicity_kva", "toxicity-kva", "clinician", _at("followup:toxicity_kva")),
    Page("password_change", "password-change", "clinician", _at("password_change")),
    Page("password_change_done", "password-change-done", "clinician", _at("password_change_done")),
    Page("content:index", "content-list", "editor", _at("content:index")),
    Page(
        "content:version",
        "content-version-published",
        "editor",
        _at("content:version", kind="regimens", pk="published_version"),
    ),
    Page(
        "content:version",
        "content-version-draft-diff",
        "editor",
        _at("content:version", kind="regimens", pk="draft_version"),
    ),
    Page(
        "content:preview",
        "content-preview",
        "editor",
        _at("content:preview", kind="regimens", pk="draft_version"),
    ),
    Page("admin:index", "admin-index", "admin", _at("admin:index")),
]


def _named_urls(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            yield from _named_urls(entry, f"{namespace}:{inner}".strip(":") if inner else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_named_url_is_visited_or_says_why_not() -> None:
    names = set(_named_urls(get_resolver()))
    pages = {page.name for page in PAGES}
    listed = pages | set(NOT_PAGES)
    forgotten = {
        name
        for name in names - listed
        if name.split(":", 1)[0] not in NOT_PAGE_NAMESPACES or name == "admin:index"
    }
    assert not forgotten, f"named URLs neither screenshotted nor listed in NOT_PAGES: {forgotten}"
    assert listed <= names, f"listed but no longer named: {listed - names}"
    assert not pages & set(NOT_PAGES)


def _data(clinician: User, editor: User) -> dict[str, Any]:
    """A saved Isa-Pd plan with a baseline assessment, a draft plan at its last wizard step, and
    a regimen draft that differs from its published version."""
    plan: TreatmentPlan = _plan(clinician)
    assessment = DiseaseAssessment.objects.create(
        plan=plan,
        date=START - dt.timedelta(days=3),
        baseline=True,
        findings={"serum_m_protein": {"value": 35, "unit": "g/L"}, "plasmacytoma": "absent"},
        heavy_chain="IgG",
        light_chain="kappa",
        created_by=clinician,
    )
    draft = plan_draft_start(user=clinician, version=regimen_version_published(slug="isa-pd"))
    plan_draft_set_patient(plan=draft, patient=PATIENT)
    plan_draft_set_schedule(plan=draft, start_date=START, cycles=2, patient_reference="MM-0042")
    published = RegimenVersion.objects.get(regimen__slug="isa-pd", status=ContentStatus.PUBLISHED)
    content_draft = draft_create("regimens", "isa-pd", user=editor)
    changed = document_yaml(content_draft).replace("\nmax_cycles: null\n", "\nmax_cycles: 12\n")
    draft_edit(content_draft, user=editor, document_yaml=changed, reason="Twelve cycles")
    return {
        "plan": str(plan.pk),
        "assessment": str(assessment.pk),
        "draft": str(draft.pk),
        "published_version": str(published.pk),
        "draft_version": str(content_draft.pk),
    }


def _context(browser: Any, live_server: Any, user: User | None) -> Any:
    context = browser.new_context(locale="en-GB", viewport={"width": WIDTHS[0], "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _language(page: Any, live_server: Any, code: str) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}]
    )


def _overflow(page: Any, shot: str, width: int, found: list[str]) -> None:
    measured = page.evaluate(OVERFLOW)
    if measured["scroll"] > measured["inner"]:
        found.append(
            f"{shot} at {width} px: scrollWidth {measured['scroll']} > {measured['inner']}"
            f" (widest: {', '.join(measured['wide'])})"
        )


def _axe(page: Any, live_server: Any, label: str, found: list[str]) -> None:
    page.add_script_tag(url=live_server.url + AXE_PATH)
    for v in page.evaluate(RUN_AXE):
        found.append(f"{label}: [{v['impact']}] {v['id']} — {v['help']} at {v['targets']}")


@pytest.mark.django_db(transaction=True)
def test_every_page_fits_both_widths_and_passes_axe_in_every_language(
    live_server: Any, browser: Any, clinician: User, editor: User, admin_user: User
) -> None:
    started = time.monotonic()
    data = _data(clinician, editor)
    users = {"clinician": clinician, "editor": editor, "admin": admin_user, "anonymous": None}
    pages = {role: _context(browser, live_server, user) for role, user in users.items()}
    overflow: list[str] = []
    violations: list[str] = []
    errors: list[str] = []
    for width in WIDTHS:
        (SCREENSHOTS / str(width)).mkdir(parents=True, exist_ok=True)
    for entry in PAGES:
        page = pages[entry.role]
        url = live_server.url + entry.path(data)
        for code, _name in settings.LANGUAGES:
            _language(page, live_server, code)
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = page.goto(url)
            page.wait_for_load_state("load")
            if response is None or response.status != 200:
                errors.append(f"{entry.shot} ({code}): HTTP {response and response.status}")
                break
            if entry.post is not None:
                with page.expect_navigation():
                    page.evaluate(SUBMIT, entry.post)
                page.wait_for_load_state("load")
            if code == "en":
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.screenshot(
                        path=SCREENSHOTS / str(width) / f"{entry.shot}.png", full_page=True
                    )
                    _overflow(page, entry.shot, width, overflow)
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            _axe(page, live_server, f"{entry.shot} ({code})", violations)
    for page in pages.values():
        page.context.close()
    elapsed = time.monotonic() - started
    print(f"{len(PAGES)} pages × {len(settings.LANGUAGES)} languages in {elapsed:.0f} s")
    for line in errors + overflow + violations:
        print(line)
    assert not errors, "\n".join(errors)
    assert not overflow, "\n".join(overflow)
    assert not violations, "\n".join(violations)
