"""The nurse worksheet of one isatuximab infusion day as an A4 PDF (WeasyPrint, like the patient
calendar): dose, volume, vials, the rate steps for that infusion number, the restart at half rate,
premedication with its timing, and the checks (domain-reference §13.9, §14.4–§14.5, §22 T6).

The page loads nothing from the network: its one stylesheet is read from our static files.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from dosing.models import TreatmentPlan
from followup.models import DoseRecord
from followup.toxicity import ISATUXIMAB, plan_administrations, plan_infusions
from myeloma_core.errors import InvalidInput
from myeloma_core.patient_notes import Place, TreatmentFacts
from patient_notes.selectors import notes_for

TEMPLATE = "followup/infusion_worksheet.html"
STYLESHEET = "css/worksheet-print.css"
# X25, X19, X20, X18: checks on every infusion day. Before the first (blood group, §13.9)
# the staff notes of content/patient_notes/ say what to check (``_first_infusion_checks``).
EVERY_INFUSION_CHECKS = (
    "Resuscitation facilities available; vital signs monitored throughout (X25).",
    "0.22 µm in-line filter (PES, polysulfone or nylon); not in the same line as other agents "
    "(X19).",
    "Bag used within 48 h at 2–8 °C then at most 8 h at room temperature, infusion included (X20).",
    "Increase the rate only if there is no infusion reaction (X22).",
)


def _first_infusion_checks(drugs: set[str]) -> list[str]:
    """The published staff notes for the first infusion (governed content), each marked when
    it is pending verification."""
    checks = []
    for published in notes_for(
        Place.WORKSHEET_FIRST_INFUSION, TreatmentFacts(drugs=frozenset(drugs))
    ):
        text = " ".join(published.note.text(translation.get_language() or "en").paragraphs)
        if published.note.pending:
            text = f"{text} ({gettext('pending verification')})"
        checks.append(text)
    return checks


def _worksheet_context(plan: TreatmentPlan, day: dt.date) -> dict[str, Any]:
    infusion = next((i for i in plan_infusions(plan) if i["date"] == day.isoformat()), None)
    if infusion is None:
        raise InvalidInput("date", f"{day.isoformat()} is not an isatuximab infusion day.")
    adm = next(
        a
        for a in plan_administrations(plan)
        if a["drug"] == ISATUXIMAB and a["date"] == day.isoformat()
    )
    others = [
        a
        for a in plan_administrations(plan)
        if a["date"] == day.isoformat() and a["drug"] != ISATUXIMAB
    ]
    steps = infusion["steps"]
    rows = [
        {
            "from_minute": step["from_minute"],
            "to_minute": steps[i + 1]["from_minute"]
            if i + 1 < len(steps)
            else infusion["total_minutes"],
            "rate_ml_h": step["rate_ml_h"],
        }
        for i, step in enumerate(steps)
    ]
    checks = list(EVERY_INFUSION_CHECKS)
    if infusion["infusion_number"] == 1:
        checks[:0] = _first_infusion_checks({ISATUXIMAB, *(a["drug"] for a in others)})
    return {
        "plan": plan,
        "day": day,
        "infusion": infusion,
        "rows": rows,
        "adm": adm,
        "others": others,
        "checks": checks,
        "records": DoseRecord.objects.filter(plan=plan, date=day),
        "printed_on": timezone.localdate(),
        "regimen": plan.regimen_version,
    }


def infusion_worksheet_pdf(*, plan: TreatmentPlan, day: dt.date) -> bytes:
    """The worksheet PDF of ``day``; InvalidInput when no isatuximab infusion is due then."""
    import weasyprint

    html = render_to_string(TEMPLATE, _worksheet_context(plan, day))
    stylesheet = finders.find(STYLESHEET)
    if not isinstance(stylesheet, str):
        raise FileNotFoundError(STYLESHEET)
    document = weasyprint.HTML(string=html)
    return bytes(document.write_pdf(stylesheets=[weasyprint.CSS(filename=stylesheet)]))
