"""The patient calendar of a saved plan as an iCalendar file (.ics) for a phone calendar.

One all-day event per treatment day, from the stored snapshot. The UID depends only on the plan
and the date, and SEQUENCE counts the recorded reschedules, so importing a newer download
updates the events in place; a date that no longer has treatment (it was moved or omitted)
comes back as a cancelled event with the same UID, so the phone removes it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dosing.calendar_vocabulary import ROUTE_MARKS, calendar_language
from dosing.presentation import administrations_by_date

if TYPE_CHECKING:
    from dosing.models import TreatmentPlan

UID_DOMAIN = "myeloma-clinic"
# The reminder fires at 18:00 the evening before an all-day event (which starts at 00:00).
REMINDER_BEFORE = dt.timedelta(hours=6)


def event_uid(plan: TreatmentPlan, day: dt.date) -> str:
    return f"{plan.pk}-{day.isoformat()}@{UID_DOMAIN}"


def _dose(adm: dict[str, Any]) -> str:
    value = adm["dose"]["value"]
    number = str(int(value)) if float(value).is_integer() else str(value)
    mark = ROUTE_MARKS.get(adm["route"])
    word = str(mark.word) if mark else adm["route"].upper()
    where = f" {mark.where}" if mark else ""
    return f"{adm['drug']} {number} {adm['dose']['unit']} — {word}{where}"


def _former_dates(plan: TreatmentPlan) -> set[dt.date]:
    """Every treatment date any earlier snapshot of this plan had (its saved history)."""
    dates: set[dt.date] = set()
    for computed in plan.history.values_list("computed", flat=True):
        for adm in (computed or {}).get("administrations", []):
            if adm.get("status") != "omitted":
                dates.add(dt.date.fromisoformat(adm["date"]))
    return dates


def plan_calendar_ics(*, plan: TreatmentPlan, language: str, reminders: bool) -> bytes:
    """All-day events for the plan's treatment days (omitted doses left out)."""
    from icalendar import Alarm, Calendar, Event

    stamp = timezone.now()
    sequence = plan.adjustments.count()
    calendar = Calendar()
    calendar.add("prodid", f"-//{UID_DOMAIN}//Treatment calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    with translation.override(calendar_language(language)):
        regimen = str(plan.computed.get("regimen", {}).get("name", "")).split(" — ")[0]
        calendar.add("x-wr-calname", _("Treatment calendar — %(regimen)s") % {"regimen": regimen})
        footer = _("Check with your care team before any change.")
        clinic = settings.CLINIC_NAME + (
            f", {settings.CLINIC_PHONE}" if settings.CLINIC_PHONE else ""
        )
        current: set[dt.date] = set()
        for day, adms in administrations_by_date(plan.computed):
            given = [adm for adm in adms if adm["status"] != "omitted"]
            if not given:
                continue
            current.add(day)
            event = Event()
            event.add("uid", event_uid(plan, day))
            event.add("dtstamp", stamp)
            event.add("sequence", sequence)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            event.add(
                "summary",
                _("Treatment: %(medicines)s")
                % {"medicines": ", ".join(dict.fromkeys(adm["drug"] for adm in given))},
            )
            lines = [_dose(adm) for adm in given]
            event.add("description", "\n".join([*lines, "", clinic, footer]))
            if reminders:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add(
                    "description",
                    _("Tomorrow: %(medicines)s") % {"medicines": "; ".join(lines)},
                )
                alarm.add("trigger", -REMINDER_BEFORE)
                event.add_component(alarm)
            calendar.add_component(event)
        for day in sorted(_former_dates(plan) - current):
            cancelled = Event()
            cancelled.add("uid", event_uid(plan, day))
            cancelled.add("dtstamp", stamp)
            cancelled.add("sequence", sequence)
            cancelled.add("dtstart", day)
            cancelled.add("dtend", day + dt.timedelta(days=1))
            cancelled.add("status", "CANCELLED")
            cancelled.add("summary", _("No treatment on this day any more (moved or omitted)"))
            calendar.add_component(cancelled)
    return bytes(calendar.to_ical())
