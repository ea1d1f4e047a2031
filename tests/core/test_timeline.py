"""The timeline picture's geometry (myeloma_core.timeline), with positions computed by hand.

The picture is 600 units wide with an 8-unit margin, so x(day) = 8 + day × 584 / span_days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from myeloma_core.timeline import (
    CycleSpan,
    DatedPoint,
    TreatmentDay,
    timeline_geometry,
)

START = dt.date(2026, 1, 5)


def _cycles(count: int, length: int) -> list[CycleSpan]:
    return [
        CycleSpan(
            number=n, start_date=START + dt.timedelta(days=(n - 1) * length), length_days=length
        )
        for n in range(1, count + 1)
    ]


def _on(day: int) -> dt.date:
    return START + dt.timedelta(days=day)


def test_six_28_day_cycles_span_168_days_across_the_width() -> None:
    geometry = timeline_geometry(cycles=_cycles(6, 28), treatment_days=())
    assert geometry.span_days == 168
    # Boundaries at days 0, 28, …, 140: 8 + k × 584 / 6 = 8 + k × 97.33…
    assert [band.x for band in geometry.cycles] == [8, 105.33, 202.67, 300, 397.33, 494.67]
    assert {band.width for band in geometry.cycles} == {97.33}
    last = geometry.cycles[-1]
    assert last.x + last.width == pytest.approx(592)  # day 168 = 600 − 8
    assert geometry.cycles[0].label_x == pytest.approx(8 + 97.33 / 2, abs=0.01)
    assert all(band.labelled for band in geometry.cycles)
    assert geometry.end_date == dt.date(2026, 6, 21)  # day 167, the last day of cycle 6


def test_treatment_days_moved_and_omitted() -> None:
    scale = 584 / 168
    geometry = timeline_geometry(
        cycles=_cycles(6, 28),
        treatment_days=(
            TreatmentDay(date=_on(0), planned_date=_on(0)),
            TreatmentDay(date=_on(9), planned_date=_on(7)),  # given two days late
            TreatmentDay(date=_on(14), planned_date=_on(14), omitted=True),
        ),
    )
    first, moved, omitted = geometry.days
    assert first.x == 8 and first.moved_from_x is None
    assert moved.x == round(8 + 9 * scale, 2) == 39.29
    assert moved.moved_from_x == round(8 + 7 * scale, 2) == 32.33
    assert omitted.omitted and omitted.x == round(8 + 14 * scale, 2) == 56.67
    assert geometry.moved == (moved,) and geometry.omitted == (omitted,)
    # One SVG path per kind of mark: ticks from y 25 to 36, the move drawn along y 36.
    assert geometry.given_path == "M8.0 25.0v11.0"
    assert geometry.moved_path == "M39.29 25.0v11.0"
    assert geometry.moved_from_path == "M32.33 36.0H39.29"


def test_a_milestone_after_the_last_cycle_extends_the_span() -> None:
    # A response assessment 2 weeks after cycle 6 ends: day 182; the span runs to day 183.
    geometry = timeline_geometry(
        cycles=_cycles(6, 28),
        treatment_days=(),
        milestones=(DatedPoint(date=_on(182), label="Response assessment"),),
    )
    assert geometry.span_days == 183
    assert geometry.milestones[0].x == round(8 + 182 * 584 / 183, 2) == 588.81
    assert geometry.cycles[1].x == round(8 + 28 * 584 / 183, 2) == 97.36


def test_narrow_cycles_label_every_nth() -> None:
    # 40 cycles of 7 days: 584 / 280 × 7 = 14.6 units per band < 20 ⇒ every 2nd is labelled.
    geometry = timeline_geometry(cycles=_cycles(40, 7), treatment_days=())
    labelled = [band.number for band in geometry.cycles if band.labelled]
    assert labelled[:4] == [1, 3, 5, 7]
    assert len(labelled) == 20


def test_today_is_drawn_only_inside_the_course() -> None:
    inside = timeline_geometry(cycles=_cycles(6, 28), treatment_days=(), today=_on(14))
    assert inside.today_x == round(8 + 14 * 584 / 168, 2)
    before = timeline_geometry(cycles=_cycles(6, 28), treatment_days=(), today=_on(-1))
    after = timeline_geometry(cycles=_cycles(6, 28), treatment_days=(), today=_on(168))
    assert before.today_x is None and after.today_x is None


def test_no_cycle_no_timeline() -> None:
    with pytest.raises(ValueError, match="at least one cycle"):
        timeline_geometry(cycles=(), treatment_days=())
