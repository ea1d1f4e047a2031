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
import gc
import hashlib
import io
import json
import mimetypes
import threading
from collections.abc import Iterable, Iterator
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

from dosing.calendar_extras import calendar_extra_lines
from dosing.calendar_notes import NOTE_TEMPLATE, calendar_note_versions, calendar_notes
from dosing.presentation import CalendarMonth, administrations_by_date, month_grids
from myeloma_core.vocabulary import Verification

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


def _context(plan: TreatmentPlan, patient_name: str, *, cover_only: bool) -> dict[str, Any]:
    computed = plan.computed
    administrations = _day_entries(computed.get("administrations", []))
    shaped = {**computed, "administrations": administrations}
    sheets = (
        [] if cover_only else [s for month in month_grids(shaped) for s in _month_sheets(month)]
    )
    regimen = computed.get("regimen", {})
    drugs = {adm["drug"] for adm in administrations}
    cycles = computed.get("cycles", [])
    dates = [dt.date.fromisoformat(adm["date"]) for adm in administrations]
    lengths = sorted({c["length_days"] for c in cycles})
    language = translation.get_language() or FALLBACK_LANGUAGE
    notes = calendar_notes(plan, drugs, language)
    return {
        "plan": plan,
        "language": language,
        "unreviewed_translation": language in _unreviewed_languages()
        or notes["unreviewed_note_translation"],
        "patient_name": patient_name,
        "regimen": regimen,
        "regimen_short": str(regimen.get("name", "")).split(" — ")[0],
        "pending": regimen.get("verification") == Verification.PENDING,
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
        "list_rows": [] if cover_only else _list_rows(administrations_by_date(shaped)),
        "cover_only": cover_only,
        # The clinic's phone box of the isatuximab calendar (the notes around it are content).
        "isatuximab": "isatuximab" in drugs,
        **notes,
        "milestones": [
            {**m, "date": dt.date.fromisoformat(m["date"])} for m in computed.get("milestones", [])
        ],
        # What was done on the plan so far (followup registers it; dates and kinds of test only).
        "done_lines": [] if cover_only else [line.text for line in calendar_extra_lines(plan)],
        "reference": plan.patient_reference or str(plan.pk)[:8],
        # The blood test the doses were calculated from (issue 11), as on the plan page.
        "creatinine_measured_on": computed.get("patient", {}).get("creatinine_measured_on")
        or plan.patient.get("measured_on"),
        "printed_on": timezone.localdate(),
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
    }


# Fonts for a name DejaVu Sans cannot print (Chinese, …): Noto Sans SC Bold and Noto Sans
# Arabic Bold, SIL Open Font License 1.1 (static/fonts/LICENSE-NotoSans*.txt), from the npm
# packages @expo-google-fonts/noto-sans-sc and noto-sans-arabic 0.4.3. A cover loads only the
# ones its name needs: reading the 10 MB CJK font costs time in every render that declares it.
NAME_FONT = "fonts/DejaVuSans-Bold.ttf"
NAME_FALLBACK_FONTS = (
    ("Calendar Fallback Arabic", "fonts/NotoSansArabic-Bold.ttf"),
    ("Calendar Fallback SC", "fonts/NotoSansSC-Bold.ttf"),
)


@cache
def _font_characters(path: str) -> frozenset[int]:
    """The code points a bundled font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(finders.find(path)), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _name_fallback_css(name: str) -> str | None:
    """@font-face rules for the fallback fonts with glyphs the name's font lacks, or None."""
    missing = {ord(ch) for ch in name if not ch.isspace()} - _font_characters(NAME_FONT)
    families = [
        (family, path) for family, path in NAME_FALLBACK_FONTS if missing & _font_characters(path)
    ]
    if not families:
        return None
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; src: url("{STATIC_SCHEME}{path}"); '
        "font-weight: bold }"
        for family, path in families
    )
    stack = ", ".join(f'"{family}"' for family, _path in families)
    return f'{faces} .patient-name {{ font-family: "Calendar Sans", {stack}, sans-serif }}'


def _routes(administrations: list[dict[str, Any]]) -> set[str]:
    return {adm["route"] for adm in administrations}


# Python's collector ran 2–3 full collections per render, a median 15 % of its time, over
# objects WeasyPrint keeps until the render ends anyway (calendar-pdf-performance.md §1, §2).
# It is off while a render runs (our measurement: 0.78× against 0.86× with a raised
# threshold) and back on, collecting the render's cycles, after the last concurrent render
# in the process ends.
_gc_lock = threading.Lock()
_gc_renders = 0
_gc_was_enabled = True


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    global _gc_renders, _gc_was_enabled
    with _gc_lock:
        if _gc_renders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_renders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_renders -= 1
            if _gc_renders == 0 and _gc_was_enabled:
                gc.enable()


UA_STYLESHEET = Path(__file__).with_name("calendar_ua.css")


@cache
def _calendar_html_class() -> Any:
    """WeasyPrint's HTML with the user-agent stylesheet cut to the calendar's elements.

    Same output (the left-out rules cannot match), 0.94× the render time on top of the
    collector lever in our measurement (calendar-pdf-performance.md §2: 0.87×). Overrides a
    private method of WeasyPrint, which is pinned (pyproject.toml) for this reason too.
    """
    import weasyprint
    from weasyprint.html import UA_COUNTER_STYLE

    stylesheet = weasyprint.CSS(filename=str(UA_STYLESHEET), counter_style=UA_COUNTER_STYLE)

    class CalendarHTML(weasyprint.HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [stylesheet]

    return CalendarHTML


COVER_END_ANCHOR = "cover-end"  # an empty block at the end of the cover (the template)


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """A rendered calendar, how many pages it has, and how many of the first are the cover."""

    pdf: bytes
    page_count: int
    cover_page_count: int


def _render(
    plan: TreatmentPlan,
    *,
    language: str,
    patient_name: str = "",
    cover_only: bool = False,
    page_total: int | None = None,
) -> RenderedPdf:
    """Lay out and write the calendar (or only its cover, with "of ``page_total``" pages)."""
    import weasyprint

    with translation.override(calendar_language(language)):
        html = render_to_string(
            TEMPLATE, _context(plan, patient_name.strip(), cover_only=cover_only)
        )
    document = _calendar_html_class()(
        string=html, base_url=STATIC_SCHEME, url_fetcher=_static_url_fetcher()
    )
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # one per render, as WeasyPrint makes (shared: no gain, §3)
    stylesheets = []
    fallback = _name_fallback_css(patient_name)
    if fallback is not None:
        stylesheets.append(
            weasyprint.CSS(string=fallback, url_fetcher=_static_url_fetcher(), font_config=fonts)
        )
    if page_total is not None:
        # The cover printed alone still says "page 1 of 23": the total of the whole calendar.
        total = f'.page-count::after {{ content: "{int(page_total)}" !important }}'
        stylesheets.append(weasyprint.CSS(string=total))
    with _collector_paused():
        rendered = document.render(stylesheets=stylesheets, font_config=fonts)
        pdf = bytes(rendered.write_pdf())
    cover_pages = next(
        index + 1 for index, page in enumerate(rendered.pages) if COVER_END_ANCHOR in page.anchors
    )
    return RenderedPdf(pdf=pdf, page_count=len(rendered.pages), cover_page_count=cover_pages)


def calendar_renderer_warm_up() -> None:
    """Import WeasyPrint and render a page with the calendar's stylesheet and fonts once."""
    html = '<link rel="stylesheet" href="static:css/calendar-print.css"><p>warm</p>'
    document = _calendar_html_class()(
        string=html, base_url=STATIC_SCHEME, url_fetcher=_static_url_fetcher()
    )
    document.write_pdf()


def plan_calendar_pdf(*, plan: TreatmentPlan, language: str, patient_name: str = "") -> bytes:
    """The whole patient calendar of a saved plan as A4 PDF bytes, in ``language``, in one
    synchronous render (the reference the split render is measured and compared against)."""
    return _render(plan, language=language, patient_name=patient_name).pdf


def calendar_body_render(*, plan: TreatmentPlan, language: str) -> RenderedPdf:
    """The calendar with a blank name line, for storing: a print replaces only its cover."""
    return _render(plan, language=language)


def calendar_cover_render(
    *, plan: TreatmentPlan, language: str, patient_name: str, page_total: int
) -> RenderedPdf:
    """Only the cover, with the typed name, numbered as the first pages of ``page_total``."""
    return _render(
        plan,
        language=language,
        patient_name=patient_name,
        cover_only=True,
        page_total=page_total,
    )


def calendar_cover_merge(*, body: bytes, cover: bytes, cover_page_count: int) -> bytes:
    """The stored calendar with its first pages' content replaced by the named cover's.

    The page objects stay (pikepdf, 3–6 ms against pypdf's 20–30 ms in the study), so the
    bookmarks and the document's metadata are the body's, and every later page is untouched.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(body)) as target, pikepdf.open(io.BytesIO(cover)) as source:
        if len(source.pages) != cover_page_count:
            raise ValueError("The cover does not have the stored cover's page count.")
        for index in range(cover_page_count):
            page, named = target.pages[index].obj, source.pages[index].obj
            page.Contents = target.copy_foreign(named.Contents)
            page.Resources = target.copy_foreign(named.Resources)
            if "/Annots" in named:
                page.Annots = target.copy_foreign(named.Annots)
            elif "/Annots" in page:
                del page.Annots
        out = io.BytesIO()
        target.save(out)
        return out.getvalue()


@cache
def _design_digest() -> str:
    """The template, stylesheet and translations as deployed: a new one is a new revision."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in (
        base / "templates" / TEMPLATE,
        base / "templates" / NOTE_TEMPLATE,
        Path(str(finders.find("css/calendar-print.css"))),
        UA_STYLESHEET,
        base / "content" / "translations.yaml",
        *sorted((base / "locale").rglob("*.mo")),
    ):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def calendar_revision(*, plan: TreatmentPlan, language: str) -> str:
    """A digest of everything the nameless calendar prints, in ``language``, today.

    The footer says "printed <date>" on every page, so the date is part of it: a print on a
    later day renders a new body once (it is never shown with another day's date). The lines
    other apps add (``calendar_extras``: the assessments done) and the published notes are part
    of it too.
    """
    language = calendar_language(language)
    with translation.override(language):
        done_lines = [line.text for line in calendar_extra_lines(plan)]
    inputs = {
        "plan": str(plan.pk),
        "computed": plan.computed,
        "reference": plan.patient_reference,
        "start_date": plan.start_date,
        "indication": plan.regimen_version.indication,
        "language": language,
        "done_lines": done_lines,
        # A publication of a note changes what the calendar prints.
        "notes": calendar_note_versions(),
        "printed_on": timezone.localdate(),
        "clinic": [settings.CLINIC_NAME, settings.CLINIC_PHONE],
        "design": _design_digest(),
    }
    text = json.dumps(inputs, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
