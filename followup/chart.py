"""The response picture: M-protein (or dFLC, urine, marrow) over time as server-side SVG geometry.

One picture for screen and print (domain-reference §21 "Picture"): the tracked value at each
assessment with its category, the treatment start, the nadir, progression and the I2TEAMM
9- and 12-month landmarks with their window. Pure arithmetic here; the template draws it with
classes only (no inline style or script: CSP).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from myeloma_core.response_mrd import LANDMARK_MONTHS, add_months, landmark_end
from myeloma_core.response_types import Category, ResponseAssessment
from myeloma_core.units import format_number
from webparts.dates import clinic_date

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 28, 44


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    x: float
    y: float
    date: dt.date
    value: str
    category: str
    css: str
    label_y: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Marker:
    x: float
    label: str
    css: str
    label_y: float
    window_width: float = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    plot_height: int
    quantity: str
    unit: str
    points: tuple[Point, ...]
    polyline: str
    markers: tuple[Marker, ...]
    ticks: tuple[Tick, ...]
    nadir: Point | None
    description: str


def _css(category: Category | None) -> str:
    return "cat-baseline" if category is None else f"cat-{category.value.lower()}"


def response_chart(
    result: ResponseAssessment, *, treatment_start: dt.date, window_days: int
) -> Chart | None:
    """The geometry of the picture; None when the patient has no tracked quantity."""
    if result.tracked_quantity is None or result.tracked_unit is None:
        return None
    tracked = [r for r in result.assessments if r.tracked_value is not None]
    if not tracked:
        return None
    landmarks = [(m, add_months(treatment_start, m)) for m in LANDMARK_MONTHS]
    first = min(result.assessments[0].date, treatment_start)
    last = max(result.assessments[-1].date, landmark_end(treatment_start, 12, window_days))
    span = max((last - first).days, 1)
    top_value = max((r.tracked_value for r in tracked if r.tracked_value is not None), default=1)
    top = float(top_value) * 1.15 if top_value > 0 else 1.0
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x_of(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_h * (1 - float(value) / top), 1)

    points = []
    for r in tracked:
        if r.tracked_value is None:
            continue
        y = y_of(r.tracked_value)
        points.append(
            Point(
                x=x_of(r.date),
                y=y,
                date=r.date,
                value=format_number(r.tracked_value, places=2),
                category=r.category.value if r.category else _("baseline"),
                css=_css(r.category),
                label_y=max(y - 9, TOP - 6),
            )
        )
    bottom_label = HEIGHT - 8
    markers = [
        Marker(
            x=x_of(treatment_start),
            label=_("treatment start"),
            css="marker-start",
            label_y=bottom_label,
        )
    ]
    for months, day in landmarks:
        markers.append(
            Marker(
                x=x_of(day),
                label=_("%(n)d months") % {"n": months},
                css="marker-landmark",
                label_y=bottom_label,
                window_width=round(plot_w * window_days / span, 1),
            )
        )
    if result.progression.progressed and result.progression.date is not None:
        markers.append(
            Marker(
                x=x_of(result.progression.date),
                label=_("progression"),
                css="marker-pd",
                label_y=TOP - 12,
            )
        )
    nadir = None
    if result.nadir is not None:
        nadir = next((p for p in points if p.date == result.nadir.date), None)
    ticks = tuple(
        Tick(
            y=round(TOP + plot_h * (1 - fraction), 1), label=format_number(top * fraction, places=1)
        )
        for fraction in (0, 0.5, 1)
    )
    unit = result.tracked_unit
    description = _(
        "%(quantity)s over time (%(unit)s): %(values)s. Nadir %(nadir)s. "
        "Dashed lines: treatment start and the 9- and 12-month MRD-CR landmarks."
    ) % {
        "quantity": result.tracked_quantity,
        "unit": unit,
        "values": "; ".join(f"{clinic_date(p.date)} {p.value} ({p.category})" for p in points),
        "nadir": (
            f"{format_number(result.nadir.value, places=2)} {unit} "
            f"({clinic_date(result.nadir.date)})"
            if result.nadir
            else "—"
        ),
    }
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        plot_height=HEIGHT - BOTTOM - TOP,
        quantity=result.tracked_quantity,
        unit=unit,
        points=tuple(points),
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        markers=tuple(markers),
        ticks=ticks,
        nadir=nadir,
        description=description,
    )
