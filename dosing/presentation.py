"""Shapes the stored plan snapshot for screens: month grids, the dose table, the list by date.

Presentation only: every number shown here was computed by ``myeloma_core`` and stored.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from myeloma_core.ranges import cycle_day_ranges
from myeloma_core.regimen import Route
from myeloma_core.timeline import (
    CycleSpan,
    DatedPoint,
    TimelineGeometry,
    TreatmentDay,
    timeline_geometry,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarDay:
    date: dt.date
    in_month: bool
    administrations: tuple[dict[str, Any], ...]
    new_cycle: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarMonth:
    year: int
    month: int
    weeks: tuple[tuple[CalendarDay, ...], ...]


@dataclass(slots=True, kw_only=True)
class DoseRow:
    drug: str
    dose: dict[str, Any]
    route: str
    calculation: str
    rule_applied: str | None
    inputs: list[dict[str, str]]
    vials: list[dict[str, Any]] | None
    volume_ml: float | None
    waste_mg: float | None
    warnings: list[str]
    cycle_days: list[tuple[int, int]] = field(default_factory=list)

    @property
    def days(self) -> str:
        """The days this dose applies to, as ranges ("C1–6 D1–21")."""
        return cycle_day_ranges(self.cycle_days)


def _by_date(administrations: list[dict[str, Any]]) -> dict[dt.date, list[dict[str, Any]]]:
    days: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for adm in administrations:
        days[dt.date.fromisoformat(adm["date"])].append(adm)
    return days


def month_grids(computed: dict[str, Any]) -> list[CalendarMonth]:
    """Monday-first month grids covering every administration and cycle start."""
    administrations = computed.get("administrations", [])
    if not administrations:
        return []
    by_date = _by_date(administrations)
    cycle_starts = {
        dt.date.fromisoformat(c["start_date"]): c["number"] for c in computed.get("cycles", [])
    }
    first, last = min(by_date), max(by_date)
    months = []
    year, month = first.year, first.month
    cal = calendar.Calendar(firstweekday=0)
    while (year, month) <= (last.year, last.month):
        weeks = tuple(
            tuple(
                CalendarDay(
                    date=day,
                    in_month=day.month == month,
                    administrations=tuple(by_date.get(day, ())) if day.month == month else (),
                    new_cycle=cycle_starts.get(day) if day.month == month else None,
                )
                for day in week
            )
            for week in cal.monthdatescalendar(year, month)
        )
        months.append(CalendarMonth(year=year, month=month, weeks=weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def dose_rows(computed: dict[str, Any]) -> list[DoseRow]:
    """One row per drug and distinct dose, with the cycle days it applies to."""
    rows: dict[tuple[Any, ...], DoseRow] = {}
    for adm in computed.get("administrations", []):
        key = (adm["drug"], adm["dose"]["value"], adm["route"], adm["calculation"])
        row = rows.get(key)
        if row is None:
            row = rows[key] = DoseRow(
                drug=adm["drug"],
                dose=adm["dose"],
                route=adm["route"],
                calculation=adm["calculation"],
                rule_applied=adm.get("rule_applied"),
                inputs=adm.get("inputs", []),
                vials=adm.get("vials"),
                volume_ml=adm.get("volume_ml"),
                waste_mg=adm.get("vials_waste_mg"),
                warnings=adm.get("warnings", []),
            )
        row.cycle_days.append((adm["cycle"], adm["day"]))
    return list(rows.values())


def administrations_by_date(computed: dict[str, Any]) -> list[tuple[dt.date, list[dict[str, Any]]]]:
    return sorted(_by_date(computed.get("administrations", [])).items())


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleRow:
    number: int
    start_date: dt.date
    length_days: int
    days_by_drug: dict[str, str]
    changed: bool


def plan_cycle_rows(computed: dict[str, Any]) -> tuple[list[str], list[CycleRow]]:
    """The cycle × drug matrix: per cycle, each drug's treatment days as ranges ("D1–21").

    ``changed`` marks a cycle with a dose given on another date or omitted.
    """
    administrations = computed.get("administrations", [])
    drugs = list(dict.fromkeys(adm["drug"] for adm in administrations))
    rows = []
    for cycle in computed.get("cycles", []):
        in_cycle = [adm for adm in administrations if adm["cycle"] == cycle["number"]]
        rows.append(
            CycleRow(
                number=cycle["number"],
                start_date=dt.date.fromisoformat(cycle["start_date"]),
                length_days=cycle["length_days"],
                days_by_drug={
                    drug: cycle_day_ranges(
                        (adm["cycle"], adm["day"])
                        for adm in in_cycle
                        if adm["drug"] == drug and adm.get("status") != "omitted"
                    ).partition(" ")[2]
                    for drug in drugs
                },
                changed=any(adm.get("status", "planned") != "planned" for adm in in_cycle),
            )
        )
    return drugs, rows


def plan_timeline(computed: dict[str, Any], *, today: dt.date) -> TimelineGeometry | None:
    """The timeline picture of a stored plan: cycles, clinic days (IV or SC: oral doses are
    taken at home), moved and omitted days, milestones (response/MRD assessments, transplant).

    A day is omitted when every clinic dose of it was; moved when one was given on another
    date than planned (the mark shows both dates).
    """
    cycles = [
        CycleSpan(
            number=c["number"],
            start_date=dt.date.fromisoformat(c["start_date"]),
            length_days=c["length_days"],
        )
        for c in computed.get("cycles", [])
    ]
    if not cycles:
        return None
    clinic: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for adm in computed.get("administrations", []):
        if adm["route"] != Route.PO:
            clinic[dt.date.fromisoformat(adm["date"])].append(adm)
    days = [
        TreatmentDay(
            date=date,
            planned_date=min(dt.date.fromisoformat(a.get("planned_date", a["date"])) for a in adms),
            omitted=all(a.get("status") == "omitted" for a in adms),
        )
        for date, adms in clinic.items()
    ]
    milestones = [
        DatedPoint(date=dt.date.fromisoformat(m["date"]), label=m["label"])
        for m in computed.get("milestones", [])
    ]
    return timeline_geometry(cycles=cycles, treatment_days=days, milestones=milestones, today=today)
