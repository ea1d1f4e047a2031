"""The geometry of a plan's timeline picture: the whole course on one line, in SVG user units.

Pure arithmetic, no drawing: the plan page and its print draw the same SVG from this. The picture
is ``WIDTH`` units wide and scales to its container (390 px phone to A4 print), so every x is a
linear map of the day since cycle 1 day 1 (day 0) onto [``MARGIN``, ``WIDTH`` − ``MARGIN``]:
``x(day) = MARGIN + day × (WIDTH − 2 × MARGIN) / span_days``, where ``span_days`` runs from day 0
to the day after the last cycle, treatment day or milestone (a 6 × 28-day plan spans 168 days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 600.0  # shown 340–720 px wide: a 13-unit label is 7.5–15.5 px
MARGIN = 8.0
CYCLE_TOP, CYCLE_HEIGHT = 2.0, 20.0
MARK_TOP, MARK_HEIGHT = 25.0, 11.0
MILESTONE_Y = 43.0
HEIGHT = 50.0
# Below this width a cycle band has no room for its number; every n-th one is labelled instead.
LABEL_MIN_WIDTH = 20.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleSpan:
    number: int
    start_date: dt.date
    length_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentDay:
    """One treatment day; ``planned_date`` differs from ``date`` when it was moved."""

    date: dt.date
    planned_date: dt.date
    omitted: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedPoint:
    date: dt.date
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleBand:
    number: int
    x: float
    width: float
    label_x: float
    labelled: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class DayMark:
    date: dt.date
    x: float
    moved_from_x: float | None  # where it was planned, when it was moved
    omitted: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PointMark:
    date: dt.date
    x: float
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineGeometry:
    span_days: int
    start_date: dt.date
    end_date: dt.date  # the last day of the course
    cycles: tuple[CycleBand, ...]
    days: tuple[DayMark, ...]
    milestones: tuple[PointMark, ...]
    today_x: float | None
    # The rows, for the drawing (SVG user units; the picture is WIDTH × HEIGHT).
    width: float = WIDTH
    height: float = HEIGHT
    cycle_top: float = CYCLE_TOP
    cycle_height: float = CYCLE_HEIGHT
    mark_top: float = MARK_TOP
    mark_height: float = MARK_HEIGHT
    milestone_y: float = MILESTONE_Y

    @property
    def label_y(self) -> float:
        """Baseline of a cycle number, centred in its band (14-unit text)."""
        return self.cycle_top + self.cycle_height / 2 + 5

    @property
    def mark_bottom(self) -> float:
        return self.mark_top + self.mark_height

    @property
    def mark_middle(self) -> float:
        return self.mark_top + self.mark_height / 2

    def _ticks(self, days: Sequence[DayMark]) -> str:
        return " ".join(f"M{day.x} {self.mark_top}v{self.mark_height}" for day in days)

    @property
    def given_path(self) -> str:
        """Every treatment day kept on its planned date, as one SVG path (one element, not
        hundreds: an 18-cycle plan has over a hundred)."""
        return self._ticks([d for d in self.days if d.moved_from_x is None and not d.omitted])

    @property
    def moved_path(self) -> str:
        return self._ticks([d for d in self.moved if not d.omitted])

    @property
    def moved_from_path(self) -> str:
        """A line under each moved day from where it was planned to where it is."""
        return " ".join(f"M{day.moved_from_x} {self.mark_bottom}H{day.x}" for day in self.moved)

    @property
    def moved(self) -> tuple[DayMark, ...]:
        return tuple(day for day in self.days if day.moved_from_x is not None)

    @property
    def omitted(self) -> tuple[DayMark, ...]:
        return tuple(day for day in self.days if day.omitted)


def _label_step(band_width: float) -> int:
    """Label every cycle when there is room, else every 2nd, 3rd, … (cycle 1 always)."""
    step = 1
    while band_width * step < LABEL_MIN_WIDTH:
        step += 1
    return step


def timeline_geometry(
    *,
    cycles: Sequence[CycleSpan],
    treatment_days: Sequence[TreatmentDay],
    milestones: Sequence[DatedPoint] = (),
    today: dt.date | None = None,
) -> TimelineGeometry:
    """Where each cycle, treatment day and milestone sits on the picture (see the module doc).

    ``today`` gets a line only inside the course. Raises ``ValueError`` without a cycle.
    """
    if not cycles:
        raise ValueError("A timeline needs at least one cycle.")
    start = min(cycle.start_date for cycle in cycles)
    ends = [(c.start_date - start).days + c.length_days for c in cycles]
    ends += [(d.date - start).days + 1 for d in treatment_days]
    ends += [(m.date - start).days + 1 for m in milestones]
    span = max(ends)
    scale = (WIDTH - 2 * MARGIN) / span

    def x(date: dt.date) -> float:
        return round(MARGIN + (date - start).days * scale, 2)

    step = _label_step(min(c.length_days for c in cycles) * scale)
    bands = tuple(
        CycleBand(
            number=c.number,
            x=x(c.start_date),
            width=round(c.length_days * scale, 2),
            label_x=round(x(c.start_date) + c.length_days * scale / 2, 2),
            labelled=(c.number - 1) % step == 0,
        )
        for c in sorted(cycles, key=lambda c: c.start_date)
    )
    days = tuple(
        DayMark(
            date=d.date,
            x=x(d.date),
            moved_from_x=None if d.planned_date == d.date else x(d.planned_date),
            omitted=d.omitted,
        )
        for d in sorted(treatment_days, key=lambda d: d.date)
    )
    points = tuple(PointMark(date=m.date, x=x(m.date), label=m.label) for m in milestones)
    inside = today is not None and 0 <= (today - start).days < span
    return TimelineGeometry(
        span_days=span,
        start_date=start,
        end_date=start + dt.timedelta(days=span - 1),
        cycles=bands,
        days=days,
        milestones=points,
        today_x=x(today) if inside and today is not None else None,
    )
