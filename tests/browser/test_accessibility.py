"""axe-core (vendored, served from our static files so CSP allows it) on every page.

No violation of impact serious or critical; minor and moderate ones are printed for the record.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from dosing.models import PlanStatus, TreatmentPlan

AXE_PATH = "/static/vendor/axe/axe.min.js"
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => {
      const el = document.querySelector(n.target[0]);
      return {
        target: n.target.join(' '),
        in_navbar: el !== null && el.closest('nav.navbar') !== null,
        summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)
      };
    })
  }));
}"""


def _axe(page: Any, live_server: Any, found: dict[str, list[dict[str, Any]]]) -> None:
    page.wait_for_load_state("load")
    page.add_script_tag(url=live_server.url + AXE_PATH)
    violations = page.evaluate(RUN_AXE)
    key = page.url.removeprefix(live_server.url)
    found.setdefault(key, []).extend(violations)


def _report(found: dict[str, list[dict[str, Any]]]) -> None:
    """Print every finding; fail on any serious or critical one."""
    blocking = []
    for url, violations in found.items():
        for v in violations:
            for node in v["nodes"]:
                line = f"{url}: [{v['impact']}] {v['id']} — {v['help']} at {node['target']}"
                print(f"{line} {node['summary']}")
                if v["impact"] in BLOCKING:
                    blocking.append(f"{line} {node['summary']}")
    assert not blocking, "\n".join(blocking)


def _login(page: Any, live_server: Any, username: str, found: dict[str, Any]) -> None:
    page.goto(live_server.url + "/accounts/login/")
    _axe(page, live_server, found)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")


@pytest.mark.django_db(transaction=True)
def test_clinician_pages_have_no_serious_violations(live_server, page, clinician: User) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, "dr-test", found)
    _axe(page, live_server, found)  # home
    for path in (
        "/staging/",
        "/staging/diagnosis/",
        "/staging/smouldering/",
        "/staging/frailty/",
        "/plans/",
    ):
        page.goto(live_server.url + path)
        _axe(page, live_server, found)

    # A staging page with results and a field error (after an htmx swap).
    page.goto(live_server.url + "/staging/")
    page.get_by_label("β2-microglobulin", exact=True).fill("6.1")
    page.get_by_test_id("iss-stage").filter(has_text="ISS III").wait_for()
    _axe(page, live_server, found)

    # Every wizard step, then the saved plan.
    page.goto(live_server.url + "/plans/new/")
    _axe(page, live_server, found)
    page.get_by_label("Isa-Pd — isatuximab, pomalidomide, dexamethasone (ICARIA-MM)").check()
    page.get_by_role("button", name="Next: patient").click()
    page.get_by_label("Age (years)").wait_for()
    _axe(page, live_server, found)
    page.get_by_label("Age (years)").fill("68")
    page.get_by_label("male", exact=True).check()
    page.get_by_label("Weight (kg)").fill("72")
    page.get_by_label("Height (cm)").fill("178")
    page.get_by_label("Serum creatinine").fill("0.9")
    page.get_by_label("Unit of creatinine").select_option("mg/dL")
    page.get_by_label("Date the creatinine was measured").fill("2026-01-05")
    page.get_by_role("button", name="Next: doses").click()
    page.get_by_text("10 mg/kg × 72 kg").first.wait_for()
    _axe(page, live_server, found)
    page.get_by_role("link", name="Next: start date and cycles").click()
    page.get_by_label("Cycle 1 day 1").wait_for()
    _axe(page, live_server, found)
    page.get_by_label("Cycle 1 day 1").fill("2026-01-05")
    page.get_by_label("Number of cycles").fill("2")
    page.get_by_label("Pseudonymous patient reference").fill("MM-0042")
    page.get_by_role("button", name="Next: calendar").click()
    page.get_by_role("button", name="Save plan").wait_for()
    _axe(page, live_server, found)
    page.get_by_role("button", name="Save plan").click()
    page.get_by_role("heading", name="Treatment plan · MM-0042").wait_for()
    _axe(page, live_server, found)
    plan = TreatmentPlan.objects.get(status=PlanStatus.SAVED, patient_reference="MM-0042")
    page.goto(f"{live_server.url}/plans/{plan.pk}/reschedule/")
    _axe(page, live_server, found)
    page.goto(live_server.url + "/plans/")
    _axe(page, live_server, found)  # the list with a plan in it

    _report(found)
    assert len(found) >= 14


@pytest.mark.django_db(transaction=True)
def test_content_pages_have_no_serious_violations(live_server, page, editor: User) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    _login(page, live_server, "editor-test", found)
    page.goto(live_server.url + "/content/")
    _axe(page, live_server, found)
    row = page.get_by_role("row").filter(has_text="Isa-Pd")
    row.get_by_role("button", name="New draft").click()
    page.get_by_text("Not published: the clinic does not see this version.").wait_for()
    _axe(page, live_server, found)
    _report(found)
