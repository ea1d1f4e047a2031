"""Background tasks of dosing (django-tasks; the backend is chosen in settings.TASKS).

Calendar renders have a queue of their own, worked by their own worker processes, so a burst
of saves never delays other tasks (RQ has no task priorities; a queue per kind works on both).
"""

from __future__ import annotations

from django_tasks import task

from dosing.calendar_print import calendar_body_ensure
from dosing.models import TreatmentPlan

CALENDAR_QUEUE = "calendar"


@task(queue_name=CALENDAR_QUEUE)
def calendar_body_task(plan_id: str, language: str) -> bool:
    """Render and store a saved plan's nameless calendar; True if this task rendered it.

    A plan deleted or replaced since the task was enqueued needs nothing.
    """
    plans = TreatmentPlan.objects.select_related("regimen_version__regimen")
    plan = plans.filter(pk=plan_id).first()
    if plan is None or not plan.computed:
        return False
    _row, was_ready = calendar_body_ensure(plan=plan, language=language)
    return not was_ready
