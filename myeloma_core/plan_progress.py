"""Where a saved plan stands today: derived from its administrations and the date, never stored.

Status words (what the plan page and the plans list show):

- ``finished``: no administration is left on or after today (omitted ones do not count);
- ``needs_recompute``: treatment remains but a newer version of its regimen is published — the
  plan stays on its version until a clinician re-computes it (dosing governance: never a silent
  change);
- ``active``: treatment remains on the plan's own, current version (including a plan that has
  not started yet: its next treatment day is its start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

PlanState = Literal["active", "needs_recompute", "finished"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanProgress:
    status: PlanState
    next_date: dt.date | None
    next_administrations: tuple[Mapping[str, Any], ...]
    last_date: dt.date | None


def plan_progress(
    administrations: Iterable[Mapping[str, Any]], *, today: dt.date, newer_version: bool
) -> PlanProgress:
    """The next treatment day (with what is due) and the status as of ``today``."""
    due = [adm for adm in administrations if adm.get("status") != "omitted"]
    dates = [dt.date.fromisoformat(adm["date"]) for adm in due]
    upcoming = [date for date in dates if date >= today]
    next_date = min(upcoming) if upcoming else None
    status: PlanState
    if next_date is None:
        status = "finished"
    elif newer_version:
        status = "needs_recompute"
    else:
        status = "active"
    return PlanProgress(
        status=status,
        next_date=next_date,
        next_administrations=tuple(
            adm for adm, date in zip(due, dates, strict=True) if date == next_date
        ),
        last_date=max(dates) if dates else None,
    )
