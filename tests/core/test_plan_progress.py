"""A plan's status and next treatment day from its administrations and today's date."""

from __future__ import annotations

import datetime as dt

from myeloma_core.plan_progress import plan_progress

ADMINISTRATIONS = [
    {"date": "2026-01-05", "drug": "isatuximab", "status": "planned"},
    {"date": "2026-01-05", "drug": "dexamethasone", "status": "planned"},
    {"date": "2026-01-12", "drug": "isatuximab", "status": "omitted"},
    {"date": "2026-01-19", "drug": "isatuximab", "status": "given"},
]


def test_before_the_start_the_next_day_is_the_first_day() -> None:
    progress = plan_progress(ADMINISTRATIONS, today=dt.date(2026, 1, 1), newer_version=False)
    assert progress.status == "active"
    assert progress.next_date == dt.date(2026, 1, 5)
    assert [a["drug"] for a in progress.next_administrations] == ["isatuximab", "dexamethasone"]


def test_today_counts_and_an_omitted_day_is_skipped() -> None:
    on_day = plan_progress(ADMINISTRATIONS, today=dt.date(2026, 1, 5), newer_version=False)
    assert on_day.next_date == dt.date(2026, 1, 5)
    after = plan_progress(ADMINISTRATIONS, today=dt.date(2026, 1, 6), newer_version=False)
    assert after.next_date == dt.date(2026, 1, 19)


def test_finished_after_the_last_day_even_with_a_newer_version() -> None:
    progress = plan_progress(ADMINISTRATIONS, today=dt.date(2026, 1, 20), newer_version=True)
    assert progress.status == "finished"
    assert progress.next_date is None
    assert progress.last_date == dt.date(2026, 1, 19)


def test_a_newer_version_with_treatment_left_needs_recompute() -> None:
    progress = plan_progress(ADMINISTRATIONS, today=dt.date(2026, 1, 6), newer_version=True)
    assert progress.status == "needs_recompute"


def test_a_plan_without_administrations_is_finished() -> None:
    progress = plan_progress([], today=dt.date(2026, 1, 6), newer_version=False)
    assert progress.status == "finished" and progress.last_date is None
