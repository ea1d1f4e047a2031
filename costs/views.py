"""The pharmacy CSV of a saved plan's administrations (the API's fields, one row each).

Access: the plan's team rule of dosing (``plan_visible``: 404 for other teams) and the clinician
role (403 otherwise).
"""

from __future__ import annotations

import csv
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.roles import CLINICIAN, user_has_any_role
from costs.selectors import administration_rows, site_country
from dosing.models import PlanStatus
from dosing.selectors import plan_visible

# A cell a spreadsheet would run as a formula starts with one of these (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 720, as the API's JSON number reads, not 720.0
    return "" if value is None else value


@require_GET
def plan_administrations_csv(request: HttpRequest, pk: UUID) -> HttpResponse:
    plan = plan_visible(user=request.user, pk=pk, status=PlanStatus.SAVED)
    if plan is None:
        raise Http404
    if not user_has_any_role(request.user, (CLINICIAN,)):
        raise PermissionDenied
    rows = administration_rows(plan=plan, country=site_country())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-administrations.csv"'
    response["Cache-Control"] = "no-store"
    if rows:
        writer = csv.DictWriter(response, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _cell(value) for key, value in row.items()})
    return response
