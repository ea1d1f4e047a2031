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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dosing.calendar_extras import calendar_extra_lines
from dosing.calendar_notes import NOTE_TEMPLATE, calendar_note_versions, calendar_notes
from dosing.calendar_pagination import month_sheets
from dosing.calendar_vocabulary import (
    FALLBACK_LANGUAGE,
    ROUTE_MARKS,
    calendar_language,
    day_entries,
    list_rows,
    medicines,
    premedication_sets,
    routes,
    unreviewed_languages,
)
from dosing.presentation import administrations_by_date, month_grids
from myeloma_core.vocabulary import Verification

if TYPE_CHECKING:
    from dosing.models import TreatmentPlan

TEMPLATE = "dosing/calendar_pdf.html"
STATIC_SCHEME = "static:"
CALENDAR_REFUSED = "The calendar may only load our own static files, not {url!r}."


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


def _context(plan: TreatmentPlan, patient_name: str, *, cover_only: bool) -> dict[str, Any]:
    computed = plan.computed
    administrations = day_entries(computed.get("administrations", []))
    shaped = {**computed, "administrations": administrations}
    sheets = [] if cover_only else [s for month in month_grids(shaped) for s in month_sheets(month)]
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
        "unreviewed_translation": language in unreviewed_languages()
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
        "medicines": medicines(administrations),
        "route_marks": [ROUTE_MARKS[r] for r in ("po", "iv", "sc") if r in routes(administrations)],
        "sheets": sheets,
        "premedication_sets": premedication_sets(administrations),
        "list_rows": [] if cover_only else list_rows(administrations_by_date(shaped)),
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
