"""Lines other apps add to the patient calendar, without dosing importing them.

The layers contract keeps dosing below the apps that record what happened on a plan
(followup). Such an app registers a provider in its ``AppConfig.ready()``; the calendar
prints the provider's lines and puts them in the body's revision, so a new line makes the
next print render a new body. A provider returns patient-facing text in the active
language: what was done and when, never a result the clinician has not released.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dosing.models import TreatmentPlan


@dataclass(frozen=True, slots=True)
class CalendarExtraLine:
    """One patient-facing line, e.g. "Assessment done on Monday 4 May 2026 (blood test)"."""

    text: str


CalendarExtrasProvider = Callable[["TreatmentPlan"], list[CalendarExtraLine]]

_providers: dict[str, CalendarExtrasProvider] = {}


def calendar_extras_register(name: str, provider: CalendarExtrasProvider) -> None:
    """Add (or replace, on a second ``ready()``) the provider known as ``name``."""
    _providers[name] = provider


def calendar_extra_lines(plan: TreatmentPlan) -> list[CalendarExtraLine]:
    """Every registered provider's lines for the plan, providers in name order."""
    return [line for name in sorted(_providers) for line in _providers[name](plan)]
