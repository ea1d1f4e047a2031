"""The "current assessment": what the staging pages found, carried to the next pages.

Kept in the server-side session (database sessions: the cookie holds only the session id), so
nothing typed travels in a URL, a log or a Referer, and it ends with the session (logout, 10 h)
or after ``MAX_AGE`` of not being updated, whichever is first. One assessment per session: the
pages that read it show what was carried with a "clear" button, a saved plan clears it, and
every carried value is only a prefilled field the clinician confirms — nothing is decided on it.

A signed token in a hidden field was the alternative; it would have to pass through every page
in between (the four staging pages each add to it, the htmx fragments, the links to treatment
options and the plan wizard), turn links into POSTs, and carry the values to the browser and
back. The session gives the same result with the values never leaving the server.

Values are stored as the user typed them ("1,2" stays "1,2") and are keyed by the name of the
field they prefill. Each staging page owns the keys it wrote: when its result no longer gives a
value (the field was emptied), that value is forgotten, without touching another page's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from myeloma_core.units import UNIT_LABELS

SESSION_KEY = "current_assessment"
MAX_AGE = dt.timedelta(hours=2)
REFRESH_AFTER = dt.timedelta(minutes=1)  # an unchanged assessment is re-dated at most this often

# Prefill keys, by the page that may write them.
R2_ISS = "r2_iss"
IMS_HIGH_RISK = "ims_high_risk"
FRAILTY = "frailty"
SETTING = "setting"
CREATININE_VALUE = "creatinine_value"
CREATININE_UNIT = "creatinine_unit"
AGE_YEARS = "age_years"


def assessment_current(session: SessionBase) -> dict[str, str]:
    """The carried values, or ``{}`` when there are none or they are older than ``MAX_AGE``."""
    stored = session.get(SESSION_KEY)
    if not stored:
        return {}
    saved_at = dt.datetime.fromisoformat(stored["saved_at"])
    if timezone.now() - saved_at > MAX_AGE:
        assessment_forget(session)
        return {}
    return {key: value for key, (value, _page) in stored["values"].items()}


def assessment_remember(session: SessionBase, *, page: str, values: Mapping[str, Any]) -> None:
    """Store ``values`` from ``page``; a key given as ``None`` or "" is forgotten if ``page``
    wrote it (another page's value stays)."""
    stored = session.get(SESSION_KEY) or {"values": {}}
    carried: dict[str, list[str]] = dict(stored["values"])
    for key, value in values.items():
        if value not in (None, ""):
            carried[key] = [str(value), page]
        elif key in carried and carried[key][1] == page:
            del carried[key]
    now = timezone.now()
    unchanged = carried == stored["values"] and "saved_at" in stored
    if unchanged and now - dt.datetime.fromisoformat(stored["saved_at"]) < REFRESH_AFTER:
        return  # each htmx keystroke would otherwise write the session row again
    session[SESSION_KEY] = {"values": carried, "saved_at": now.isoformat()}


def assessment_forget(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


LABELS: dict[str, StrOrPromise] = {
    SETTING: _("Setting"),
    R2_ISS: _("R2-ISS"),
    IMS_HIGH_RISK: _("High-risk MM (IMS/IMWG 2025)"),
    FRAILTY: _("Frailty"),
    AGE_YEARS: _("Age (years)"),
    CREATININE_VALUE: _("Serum creatinine"),
}
VALUE_LABELS: dict[str, StrOrPromise] = {
    "ndmm": _("Newly diagnosed myeloma"),
    "smouldering_high_risk": _("High-risk smouldering myeloma"),
    "high_risk": _("high risk"),
    "not_high_risk": _("not high risk"),
    "not_assessable": _("not assessable"),
    "fit": _("fit"),
    "intermediate": _("intermediate fitness"),
    "frail": _("frail"),
}


def assessment_lines(values: Mapping[str, str]) -> list[tuple[StrOrPromise, str]]:
    """(label, value as shown) for each carried value, the creatinine with its unit."""
    lines = []
    for key, label in LABELS.items():
        if key not in values:
            continue
        value = values[key]
        if key == CREATININE_VALUE:
            unit = values.get(CREATININE_UNIT, "")
            shown = f"{value} {UNIT_LABELS.get(unit, unit)}".strip()
        else:
            shown = str(VALUE_LABELS.get(value, value))
        lines.append((label, shown))
    return lines
