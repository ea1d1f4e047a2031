"""How the patient calendar speaks: route words and marks, the translated premedication names,
the calendar's languages, and the HTML of a month-grid cell and of a list row.

Used by the PDF (``calendar_pdf``, ``calendar_pagination``) and the .ics file (``calendar_ics``),
so both name a route with the same word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

FALLBACK_LANGUAGE = "en"


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
def unreviewed_languages() -> frozenset[str]:
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


def day_entries(administrations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
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


def list_rows(by_date: list[tuple[dt.date, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
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


def cell_html(day: Any) -> SafeString:
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


def _infusions(days: Iterable[Any]) -> Iterable[dict[str, Any]]:
    for day in days:
        for adm in day.administrations:
            if adm.get("premedication") and adm["status"] != "omitted":
                yield adm


def premedication_names(days: Iterable[Any]) -> list[str]:
    """The premedication names used on these days, in order of first use."""
    names = (item["name"] for adm in _infusions(days) for item in adm["premedication"])
    return list(dict.fromkeys(names))


def premedication_sets(administrations: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def medicines(administrations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each medicine once, in the order it first appears, with its route mark."""
    medicines: dict[str, dict[str, Any]] = {}
    for adm in administrations:
        medicines.setdefault(adm["drug"], {"drug": adm["drug"], "marks": []})
        if adm["mark"] not in medicines[adm["drug"]]["marks"]:
            medicines[adm["drug"]]["marks"].append(adm["mark"])
    return list(medicines.values())


def routes(administrations: list[dict[str, Any]]) -> set[str]:
    return {adm["route"] for adm in administrations}
