"""Content governance pages for editors and approvers (four-eyes publishing of regimens).

Thin views over ``dosing.governance``; the clinic never sees these pages, and drafts shown here
are marked as drafts everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import (
    CONTENT_APPROVER,
    CONTENT_EDITOR,
    user_can_edit_content,
    user_has_any_role,
)
from dosing.content_forms import DraftEditForm, ReasonForm
from dosing.governance import (
    GovernanceError,
    definition_yaml,
    regimen_version_diff,
    regimen_version_draft_create,
    regimen_version_draft_update,
    regimen_version_publish,
    regimen_version_return,
    regimen_version_submit,
    regimen_version_validate,
)
from dosing.models import ContentStatus, Regimen, RegimenVersion
from dosing.presentation import administrations_by_date, dose_rows, month_grids
from dosing.services import preview_data
from myeloma_core.errors import InvalidInput


def _content_user(request: HttpRequest) -> User:
    if not user_can_edit_content(request.user):
        raise PermissionDenied
    return cast(User, request.user)


def _refused(request: HttpRequest, error: GovernanceError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.warning(request, problem)


@require_GET
def content_index(request: HttpRequest) -> HttpResponse:
    _content_user(request)
    regimens = Regimen.objects.prefetch_related("versions").order_by("name")
    return render(request, "dosing/content/index.html", {"regimens": regimens})


@require_POST
def content_draft_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _content_user(request)
    regimen = get_object_or_404(Regimen, slug=slug)
    try:
        draft = regimen_version_draft_create(regimen=regimen, user=user)
    except GovernanceError as error:
        _refused(request, error)
        return redirect("content:index")
    return redirect("content:version", pk=draft.pk)


def _version_page(request: HttpRequest, version: RegimenVersion, **forms: Any) -> HttpResponse:
    published = version.regimen.versions.filter(status=ContentStatus.PUBLISHED).first()
    user = request.user
    context = {
        "version": version,
        "published": published,
        "diff": regimen_version_diff(version=version, against=published),
        "validation": regimen_version_validate(version=version),
        "history": version.history.select_related("history_user").order_by("-history_date"),
        "is_editor": user_has_any_role(user, (CONTENT_EDITOR,)),
        "is_approver": user_has_any_role(user, (CONTENT_APPROVER,)),
        "edit_form": forms.get("edit_form")
        or DraftEditForm(initial={"definition": definition_yaml(version)}),
        "reason_form": forms.get("reason_form") or ReasonForm(),
    }
    return render(request, "dosing/content/version.html", context)


@require_http_methods(["GET", "POST"])
def content_version(request: HttpRequest, pk: int) -> HttpResponse:
    user = _content_user(request)
    version = get_object_or_404(RegimenVersion.objects.select_related("regimen"), pk=pk)
    if request.method == "GET":
        return _version_page(request, version)
    action = request.POST.get("action")
    edit_form = DraftEditForm(request.POST) if action == "save" else None
    reason_form = ReasonForm(request.POST) if action in ("publish", "return") else None
    try:
        if action == "save" and edit_form is not None and edit_form.is_valid():
            regimen_version_draft_update(
                version=version,
                user=user,
                definition_yaml=edit_form.cleaned_data["definition"],
                reason=edit_form.cleaned_data["reason"],
            )
            messages.success(request, "Draft saved.")
        elif action == "submit":
            regimen_version_submit(version=version, user=user)
            messages.success(request, "Submitted for review by a second person.")
        elif (
            action == "publish"
            and reason_form is not None
            # An empty reason goes on to the governance rule's own message; an over-long one
            # is refused here, with the form's message (limit and length).
            and not reason_form.has_error("reason", "max_length")
        ):
            reason = reason_form.data.get("reason", "")
            regimen_version_publish(version=version, user=user, reason=str(reason))
            messages.success(request, "Published. Saved plans on the old version now say so.")
        elif action == "return" and reason_form is not None and reason_form.is_valid():
            regimen_version_return(
                version=version, user=user, reason=reason_form.cleaned_data["reason"]
            )
            messages.success(request, "Returned to draft.")
        else:
            return _version_page(request, version, edit_form=edit_form, reason_form=reason_form)
    except GovernanceError as error:
        _refused(request, error)
        version.refresh_from_db()
        return _version_page(request, version, edit_form=edit_form, reason_form=reason_form)
    return redirect("content:version", pk=version.pk)


@require_GET
def content_version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's calendar for its first golden case, marked as a draft on every line."""
    _content_user(request)
    version = get_object_or_404(RegimenVersion.objects.select_related("regimen"), pk=pk)
    case = (version.golden_cases or [None])[0]
    computed: dict[str, Any] | None = None
    problem = ""
    if case is None:
        problem = "This version has no golden case to preview with."
    else:
        try:
            computed = preview_data(
                version=version,
                patient=case["patient"],
                start_date=dt.date.fromisoformat(str(case["start_date"])),
                cycles=int(case["cycles"]),
            )
        except InvalidInput as error:
            problem = error.message
    return render(
        request,
        "dosing/content/preview.html",
        {
            "version": version,
            "case": case,
            "problem": problem,
            "computed": computed,
            "rows": dose_rows(computed) if computed else [],
            "months": month_grids(computed) if computed else [],
            "by_date": administrations_by_date(computed) if computed else [],
        },
    )
