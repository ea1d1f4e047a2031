"""Printing the patient calendar fast: the nameless body is rendered ahead, the cover at print.

When a plan is saved or rescheduled, or an assessment recorded on it (followup),
``calendar_body_schedule`` enqueues a background task
(django-tasks, ``dosing.tasks``) that renders the calendar with a blank name line and stores
it (``CalendarBody``, keyed by plan, revision and language). A print then renders only the
cover with the typed name and puts its pages in front of the stored rest: 0.06–0.08× the
full render (measured by `make bench-pdf`; figures in docs/development.md).

If the body is not stored yet, the print renders it itself, once: the first caller claims a
row and renders; anyone else asking for the same document meanwhile waits for that render
instead of starting a second one. A claim older than ``CLAIM_STALE`` (a worker that died) is
taken over. The name is never stored and never logged; it only reaches the cover render.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from dosing.calendar_pdf import (
    RenderedPdf,
    calendar_body_render,
    calendar_cover_merge,
    calendar_cover_render,
    calendar_revision,
    plan_calendar_pdf,
)
from dosing.calendar_vocabulary import calendar_language
from dosing.models import CalendarBody, TreatmentPlan

CLAIM_STALE = dt.timedelta(seconds=120)  # 30× the slowest measured body render
POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class PrintedCalendar:
    pdf: bytes
    body_was_ready: bool  # False: this request rendered (or waited for) the body itself


def _claim(plan: TreatmentPlan, revision: str, language: str) -> tuple[CalendarBody, bool]:
    """The row for this document, and whether this caller now holds the claim to render it."""
    now = timezone.now()
    # Looked up first: a print usually finds the body stored, and then only reads.
    row = CalendarBody.objects.filter(plan=plan, revision=revision, language=language).first()
    if row is None:
        try:
            with transaction.atomic():
                row = CalendarBody.objects.create(
                    plan=plan, revision=revision, language=language, claimed_at=now
                )
            return row, True
        except IntegrityError:
            row = CalendarBody.objects.get(plan=plan, revision=revision, language=language)
    if row.pdf is None and row.claimed_at < now - CLAIM_STALE:
        taken = CalendarBody.objects.filter(
            pk=row.pk, pdf__isnull=True, claimed_at=row.claimed_at
        ).update(claimed_at=now)
        return row, taken == 1
    return row, False


def _stored(row: CalendarBody) -> RenderedPdf:
    return RenderedPdf(
        pdf=bytes(row.pdf or b""),
        page_count=row.page_count or 0,
        cover_page_count=row.cover_page_count or 0,
    )


def _render_into(row: CalendarBody, plan: TreatmentPlan, language: str) -> RenderedPdf:
    try:
        body = calendar_body_render(plan=plan, language=language)
    except BaseException:
        CalendarBody.objects.filter(pk=row.pk, pdf__isnull=True).delete()  # others may retry
        raise
    row.pdf = body.pdf
    row.page_count = body.page_count
    row.cover_page_count = body.cover_page_count
    row.rendered_at = timezone.now()
    row.save(update_fields=["pdf", "page_count", "cover_page_count", "rendered_at"])
    # Earlier revisions of this plan's calendar in this language are never printed again.
    CalendarBody.objects.filter(plan=plan, language=language).exclude(pk=row.pk).delete()
    return body


def calendar_body_ensure(*, plan: TreatmentPlan, language: str) -> tuple[RenderedPdf, bool]:
    """The stored nameless calendar of the plan as it is now, and whether it was there already.

    Renders it here when nobody has; waits for the render when someone else is doing it.
    """
    language = calendar_language(language)
    revision = calendar_revision(plan=plan, language=language)
    ready = True
    while True:
        row, claimed = _claim(plan, revision, language)
        if claimed:
            return _render_into(row, plan, language), False
        if row.pdf is not None:
            return _stored(row), ready
        ready = False
        time.sleep(POLL_SECONDS)


def plan_calendar_print(
    *, plan: TreatmentPlan, language: str, patient_name: str = ""
) -> PrintedCalendar:
    """The calendar to hand to the patient: the stored body, with the named cover in front."""
    body, was_ready = calendar_body_ensure(plan=plan, language=language)
    name = patient_name.strip()
    if not name:
        return PrintedCalendar(pdf=body.pdf, body_was_ready=was_ready)
    cover = calendar_cover_render(
        plan=plan, language=language, patient_name=name, page_total=body.page_count
    )
    if cover.page_count != body.cover_page_count:
        # A name that pushes the cover onto another page moves every page after it.
        pdf = plan_calendar_pdf(plan=plan, language=language, patient_name=name)
        return PrintedCalendar(pdf=pdf, body_was_ready=was_ready)
    pdf = calendar_cover_merge(
        body=body.pdf, cover=cover.pdf, cover_page_count=body.cover_page_count
    )
    return PrintedCalendar(pdf=pdf, body_was_ready=was_ready)


def calendar_body_schedule(*, plan: TreatmentPlan, language: str | None = None) -> None:
    """After the transaction that saved the plan commits, render its body in the background.

    In the language the plan was saved in (the clinician's); another language is rendered
    the first time it is printed.
    """
    from dosing.tasks import calendar_body_task

    code = calendar_language(language or translation.get_language())
    plan_id = str(plan.pk)
    transaction.on_commit(lambda: calendar_body_task.enqueue(plan_id, code))
