"""The printable patient treatment calendar (WeasyPrint PDF) of a saved plan.

One render function, ``plan_calendar_pdf``, used by the view, the tests and the benchmark. It
reads only the plan's stored snapshot (``plan.computed``), so a reprint reproduces the plan as
saved and a reschedule shows on the next print. The patient's name, when typed at print time,
is printed on the cover and never stored. WeasyPrint is imported inside the function (the
import is costly) and may fetch nothing but our own static files (architecture §4, §6).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import mimetypes
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from dosing.presentation import CalendarMonth, administrations_by_date, month_grids

if TYPE_CHECKING:
    from dosing.models import TreatmentPlan

TEMPLATE = "dosing/calendar_pdf.html"
STATIC_SCHEME = "static:"
FALLBACK_LANGUAGE = "en"
CALENDAR_REFUSED = "The calendar may only load our own static files, not {url!r}."


@dataclass(frozen=True, slots=True)
class RouteMark:
    """How a route is printed: a word (never colour alone), where it happens, a CSS hook."""

    word: StrOrPromise
    where: StrOrPromise
    explanation: StrOrPromise
    css: str
    symbol: str = ""  # the single mark printed in the month grids (tablets only)


# A tablet day in a month grid reads "pomalidomide 4 mg ▭": one character in the text, not a
# framed word per medicine per day (the key on every month page and the cover explain it).
# Clinic days keep the framed word INFUSION / INJECTION: they are the days one must travel.
TABLET_SYMBOL = "\u25ad"

ROUTE_MARKS = {
    "po": RouteMark(
        word=_("TABLET"),
        where=_("at home"),
        explanation=_("tablets or capsules you swallow, at home"),
        css="mark-po",
        symbol=TABLET_SYMBOL,
    ),
    "iv": RouteMark(
        word=_("INFUSION"),
        where=_("at the clinic"),
        explanation=_("a drip into a vein, given at the clinic"),
        css="mark-iv",
    ),
    "sc": RouteMark(
        word=_("INJECTION"),
        where=_("at the clinic"),
        explanation=_("an injection under the skin, given at the clinic"),
        css="mark-sc",
    ),
}

# Premedication names as the shipped content stores them (X13–X16, daratumumab SmPC 4.2), so the
# catalogues can
# translate them; a name not listed here is printed as stored (English), never blank.
PREMEDICATION_NAMES = (
    gettext_noop("paracetamol (acetaminophen)"),
    gettext_noop("H2 antagonist or proton pump inhibitor"),
    gettext_noop("paracetamol (antipyretic)"),
    gettext_noop("antihistamine"),
    gettext_noop("corticosteroid after the infusion"),
    gettext_noop("corticosteroid after the injection"),
)


def _number(value: Any) -> str:
    """720.0 → "720", 1.3 → "1.3" (or "1,3" under a comma locale)."""
    return str(floatformat(value, "-2"))


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, 1)


@cache
def _unreviewed_languages() -> frozenset[str]:
    """Languages whose catalogue a native clinical speaker has not yet reviewed."""
    path = Path(settings.BASE_DIR) / "content" / "translations.yaml"
    if not path.exists():
        return frozenset()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(
        code
        for code, entry in (data.get("languages") or {}).items()
        if (entry or {}).get("review_status") != "reviewed"
    )


def calendar_language(value: str | None) -> str:
    """A language of ``settings.LANGUAGES``; anything else falls back to English."""
    codes = {code for code, _name in settings.LANGUAGES}
    return value if value in codes else FALLBACK_LANGUAGE


def _static_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves our static files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _static_path(url)
            found = finders.find(path) if path else None
            if not found or isinstance(found, list):
                raise ValueError(CALENDAR_REFUSED.format(url=url))
            body = Path(found).read_bytes()
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher(fail_on_errors=True)


def _static_path(url: str) -> str | None:
    """``static:css/x.css`` or ``/static/css/x.css`` → ``css/x.css``; None for anything else."""
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if url.startswith(STATIC_SCHEME):
        path = url.removeprefix(STATIC_SCHEME)
    elif url.startswith(static_prefix):
        path = url.removeprefix(static_prefix)
    else:
        return None
    path = path.split("?")[0].split("#")[0].lstrip("/")
    if not path or ".." in Path(path).parts:
        return None
    return path


def _day_entries(administrations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = []
    for adm in administrations:
        mark = ROUTE_MARKS.get(adm["route"])
        entries.append(
            {
                **adm,
                "dose_text": f"{_number(adm['dose']['value'])}\u00a0{adm['dose']['unit']}",
                "mark": mark.word if mark else adm["route"].upper(),
                "mark_css": mark.css if mark else "mark-other",
                "symbol": mark.symbol if mark else "",
                "where": mark.where if mark else "",
                "omitted": adm["status"] == "omitted",
                "premedication": [
                    {**item, "name": gettext(item["name"])}
                    for item in adm.get("premedication") or []
                ],
            }
        )
    return entries


def _tablet_key(adms: list[dict[str, Any]]) -> tuple[Any, ...] | None:
    """What a tablet-only day consists of, or None for a day that must stay a row of its own.

    A day stays apart when anything on it differs from routine: an infusion or injection,
    a medicine not given, a moved administration, or premedication.
    """
    key = []
    for adm in adms:
        if (
            adm["route"] != "po"
            or adm["status"] == "omitted"
            or adm.get("planned_date", adm["date"]) != adm["date"]
            or adm.get("premedication")
        ):
            return None
        key.append((adm["drug"], adm["dose"]["value"], adm["dose"]["unit"]))
    return tuple(key) or None


def _list_rows(by_date: list[tuple[dt.date, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """The chronological list: consecutive days of the same cycle with the same tablets at the
    same doses, and nothing else, become one row ("Tuesday 6 – Sunday 11 January 2026")."""
    rows: list[dict[str, Any]] = []
    for day, adms in by_date:
        key = _tablet_key(adms)
        cycle = adms[0]["cycle"]
        last = rows[-1] if rows else None
        if (
            last is not None
            and key is not None
            and last["key"] == key
            and last["cycle"] == cycle
            and last["last"] + dt.timedelta(days=1) == day
        ):
            last["last"] = day
            continue
        rows.append({"first": day, "last": day, "key": key, "cycle": cycle, "adms": adms})
    for row in rows:
        row["range"] = row["first"] != row["last"]
        row["first_format"] = (
            "l j F Y"
            if row["first"].year != row["last"].year
            else "l j F"
            if row["first"].month != row["last"].month
            else "l j"
        )
        row["html"] = _row_html(row)
    return rows


# Cells and list rows are built here as one run of inline HTML whose lines are separated by
# newlines (``white-space: pre-line`` in the stylesheet): no <br>, <div> or nested block per
# medicine, so WeasyPrint styles and lays out a few boxes per cell instead of a dozen.


def _adm_html(adm: dict[str, Any], *, grid: bool, suffix: str = "") -> SafeString:
    """One medicine on one line: "pomalidomide 4 mg ▭" (grid) or with the framed word (list)."""
    if grid and adm["symbol"] and not adm["omitted"]:
        return escape(f"{adm['drug']} {adm['dose_text']}\u00a0{adm['symbol']}")
    star = "★ " if grid and adm["premedication"] and not adm["omitted"] else ""
    html = format_html(
        '<b{}>{}{}</b> {}{}<span class="mark {}">{}</span>{}{}',
        mark_safe(' class="omitted"') if adm["omitted"] else "",
        star,
        adm["drug"],
        adm["dose_text"],
        # In a 39 mm grid column "2.50 mg INJECTION" needs two lines; "720 mg INFUSION" fits one.
        " " if grid and adm["route"] == "sc" else "\u00a0",
        adm["mark_css"],
        adm["mark"],
        "" if grid else f" {adm['where']}",
        suffix,
    )
    if adm["omitted"]:
        html = format_html("{}{}<b>{}</b>", html, " " if grid else " — ", gettext("NOT GIVEN"))
    return html


def _cell_html(day: Any) -> SafeString:
    if not day.in_month:
        return SafeString("")
    parts = [format_html('<b class="day-number">{}</b>', day.date.day)]
    if day.new_cycle:
        starts = gettext("Cycle %(n)s starts") % {"n": day.new_cycle}
        parts[0] = format_html('{} <span class="cycle-start">{}</span>', parts[0], starts)
    parts.extend(_adm_html(adm, grid=True) for adm in day.administrations)
    return format_html_join("\n", "{}", ((part,) for part in parts))


def _row_html(row: dict[str, Any]) -> SafeString:
    last = date_format(row["last"], "l j F Y")
    if row["range"]:
        last = f"{date_format(row['first'], row['first_format'])} – {last}"
    suffix = ", " + gettext("once every day") if row["range"] else ""
    lines = [format_html("<b>{}</b>", capfirst(last))]
    lines.extend(_adm_html(adm, grid=False, suffix=suffix) for adm in row["adms"])
    return format_html_join("\n", "{}", ((line,) for line in lines))


# Month sheets (A4 landscape): the height a week row takes, estimated from its fullest day, so a
# month that does not fit on one page continues on the next at a week boundary (heading
# repeated) instead of a row being cut. Calibrated on the rendered D1 calendar.
SHEET_HEIGHT_MM = 210 - 8 - 18 - 11 - 7  # page − margins − month heading − weekday row
KEY_MM = 7  # the one-line key under every grid
KEY_WITH_PREMEDICATION_MM = 17  # the key and the premedication reminder: three lines
LINE_MM = 11 * 0.3528 * 1.15 * 1.05  # 11 pt at line-height 1.15, plus 5 % for the framed words
ROW_MIN_MM = 12


def _cell_lines(day: Any) -> int:
    # "5 Cycle 1 starts" shares the day number's line; "Cycle 10 starts" may wrap.
    lines = 1 + (1 if day.new_cycle and day.new_cycle >= 10 else 0)
    # "dexamethasone 40 mg ▭" wraps once, between the name and the dose, in a 39 mm column;
    # "2.50 mg INJECTION" wraps once more.
    return lines + sum(3 if adm["route"] == "sc" else 2 for adm in day.administrations)


def _row_height_mm(week: Iterable[Any]) -> float:
    return max(ROW_MIN_MM, max(_cell_lines(day) for day in week) * LINE_MM + 2.5)


def _cell(day: Any) -> dict[str, Any]:
    css = "outside" if not day.in_month else "treatment" if day.administrations else ""
    return {"css": css, "html": _cell_html(day)}


def _month_sheets(month: CalendarMonth) -> list[dict[str, Any]]:
    days = [day for week in month.weeks for day in week]
    premedication = _premedication_names(days)
    budget = SHEET_HEIGHT_MM - (KEY_WITH_PREMEDICATION_MM if premedication else KEY_MM)
    sheets: list[list[tuple[Any, ...]]] = [[]]
    used = 0.0
    for week in month.weeks:
        height = _row_height_mm(week)
        if sheets[-1] and used + height > budget:
            sheets.append([])
            used = 0.0
        sheets[-1].append(week)
        used += height
    first = dt.date(month.year, month.month, 1)
    return [
        {
            "first": first,
            "continued": index > 0,
            "header": month.weeks[0],
            "weeks": [[_cell(day) for day in week] for week in weeks],
            "premedication_names": premedication if index == len(sheets) - 1 else [],
        }
        for index, weeks in enumerate(sheets)
    ]


def _infusions(days: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for day in days:
        for adm in day.administrations:
            if adm.get("premedication") and adm["status"] != "omitted":
                yield adm


def _premedication_names(days: Iterable[Any]) -> list[str]:
    """The premedication names used on these days, in order of first use."""
    names = (item["name"] for adm in _infusions(days) for item in adm["premedication"])
    return list(dict.fromkeys(names))


def _premedication_sets(administrations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each distinct premedication list with the first infusion date it applies to.

    ``before`` and ``after`` split the items by when they are given; ``minutes`` or ``hours`` is
    the window before the infusion (SARCLISA 15–60 min, daratumumab 1–3 h) when the content gives
    one — plans saved before it did print without a window, never a wrong one.
    """
    sets: list[dict[str, Any]] = []
    for adm in administrations:
        items = adm.get("premedication") or []
        if not items or adm["status"] == "omitted":
            continue
        window = (adm.get("premedication_timing") or {}).get("before_minutes")
        key = (items, window)
        if sets and sets[-1]["key"] == key:
            continue
        hours = (
            [window[0] // 60, window[1] // 60]
            if window and window[0] % 60 == 0 and window[1] % 60 == 0
            else None
        )
        sets.append(
            {
                "key": key,
                "from": dt.date.fromisoformat(adm["date"]),
                "items": [i for i in items if i.get("when") != "after"],
                "after": [i for i in items if i.get("when") == "after"],
                "minutes": None if hours else window,
                "hours": hours,
            }
        )
    return sets


def _medicines(administrations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each medicine once, in the order it first appears, with its route mark."""
    medicines: dict[str, dict[str, Any]] = {}
    for adm in administrations:
        medicines.setdefault(adm["drug"], {"drug": adm["drug"], "marks": []})
        if adm["mark"] not in medicines[adm["drug"]]["marks"]:
            medicines[adm["drug"]]["marks"].append(adm["mark"])
    return list(medicines.values())


def _assessment_points(plan: TreatmentPlan, drugs: set[str]) -> list[dict[str, Any]]:
    """I2TEAMM (§11.2): response/MRD is typically assessed around 9 and 12 months in NDMM.

    A trial endpoint, printed as an assessment point the care team decides on — not a rule.
    """
    indication = plan.regimen_version.regimen.indication.lower()
    if "isatuximab" not in drugs or "newly diagnosed" not in indication or not plan.start_date:
        return []
    return [{"months": months, "month": _add_months(plan.start_date, months)} for months in (9, 12)]


def _context(plan: TreatmentPlan, patient_name: str) -> dict[str, Any]:
    computed = plan.computed
    administrations = _day_entries(computed.get("administrations", []))
    shaped = {**computed, "administrations": administrations}
    sheets = [sheet for month in month_grids(shaped) for sheet in _month_sheets(month)]
    regimen = computed.get("regimen", {})
    drugs = {adm["drug"] for adm in administrations}
    cycles = computed.get("cycles", [])
    dates = [dt.date.fromisoformat(adm["date"]) for adm in administrations]
    lengths = sorted({c["length_days"] for c in cycles})
    language = translation.get_language() or FALLBACK_LANGUAGE
    return {
        "plan": plan,
        "language": language,
        "unreviewed_translation": language in _unreviewed_languages(),
        "patient_name": patient_name,
        "regimen": regimen,
        "regimen_short": str(regimen.get("name", "")).split(" — ")[0],
        "pending": regimen.get("verification") == "pending",
        "start_date": dt.date.fromisoformat(computed["start_date"])
        if computed.get("start_date")
        else plan.start_date,
        "last_date": max(dates) if dates else None,
        "cycle_count": len(cycles),
        "cycle_length": lengths[0] if len(lengths) == 1 else None,
        "cycle_lengths": lengths,
        "medicines": _medicines(administrations),
        "route_marks": [
            ROUTE_MARKS[r] for r in ("po", "iv", "sc") if r in _routes(administrations)
        ],
        "sheets": sheets,
        "premedication_sets": _premedication_sets(administrations),
        "list_rows": _list_rows(administrations_by_date(shaped)),
        "isatuximab": "isatuximab" in drugs,
        # Supportive care reaches the patient only as a translated text named by the content
        # (PatientNote); the clinician wording and its source stay on the clinician screens.
        "shingles_note": any(
            note.get("patient_note") == "herpes_zoster"
            for note in computed.get("supportive_care", [])
        ),
        "milestones": [
            {**m, "date": dt.date.fromisoformat(m["date"])} for m in computed.get("milestones", [])
        ],
        "assessment_points": _assessment_points(plan, drugs),
        "reference": plan.patient_reference or str(plan.pk)[:8],
        # The blood test the doses were calculated from (issue 11), as on the plan page.
        "creatinine_measured_on": computed.get("patient", {}).get("creatinine_measured_on")
        or plan.patient.get("measured_on"),
        "printed_on": timezone.localdate(),
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
    }


def _routes(administrations: list[dict[str, Any]]) -> set[str]:
    return {adm["route"] for adm in administrations}


def _render_thread_niceness() -> None:
    """Linux schedules threads, so this lowers only the render thread's priority: when the cores
    are busy, short requests (staging, dosing, plan pages) run first and PDFs take the rest."""
    with contextlib.suppress(OSError):  # elsewhere the render just keeps normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


# One render thread per process, renders in turn. Rendering is CPU-bound Python: under threaded
# workers (gunicorn gthread) concurrent renders would only share the GIL and all finish late,
# while the short requests of the other threads waited behind them.
_RENDERER = ThreadPoolExecutor(
    max_workers=1, thread_name_prefix="calendar-pdf", initializer=_render_thread_niceness
)


def plan_calendar_pdf(*, plan: TreatmentPlan, language: str, patient_name: str = "") -> bytes:
    """The patient calendar of a saved plan as A4 PDF bytes, in ``language``."""
    import weasyprint

    with translation.override(calendar_language(language)):
        html = render_to_string(TEMPLATE, _context(plan, patient_name.strip()))
    document = weasyprint.HTML(
        string=html, base_url=STATIC_SCHEME, url_fetcher=_static_url_fetcher()
    )
    return bytes(_RENDERER.submit(document.write_pdf).result())
