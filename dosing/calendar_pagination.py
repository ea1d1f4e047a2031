"""Pagination of the calendar's month grids in millimetres: which weeks go on which A4 sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from dosing.calendar_vocabulary import cell_html, premedication_names
from dosing.presentation import CalendarMonth

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
    return {"css": css, "html": cell_html(day)}


def month_sheets(month: CalendarMonth) -> list[dict[str, Any]]:
    days = [day for week in month.weeks for day in week]
    premedication = premedication_names(days)
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
