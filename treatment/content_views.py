"""Content governance pages for guideline content (four-eyes publishing, like regimens).

Thin views over ``treatment.governance``; the clinic never sees these pages, and drafts shown here
are marked as drafts everywhere.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import (
    CONTENT_APPROVER,
    CONTENT_EDITOR,
    user_can_edit_content,
    user_has_any_role,
)
from dosing.content_forms import ReasonForm
from dosing.models import ContentStatus
from myeloma_site.text_limits import REASON_MAX_LENGTH, TextLengthValidator
from treatment.governance import (
    GovernanceError,
    guideline_diff,
    guideline_draft_create,
    guideline_draft_update,
    guideline_preview,
    guideline_publish,
    guideline_return,
    guideline_submit,
    guideline_validate,
    guideline_yaml,
)
from treatment.models import Guideline


class GuidelineEditForm(forms.Form):
    document = forms.CharField(
        label=_("Guideline and recommendations (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "font-monospace", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("What changed, and on which source"),
        validators=[TextLengthValidator()],
        widget=forms.TextInput(attrs={"maxlength": REASON_MAX_LENGTH}),
    )


def _content_user(request: HttpRequest) -> User:
    if not user_can_edit_content(request.user):
        raise PermissionDenied
    return cast(User, request.user)


def _refused(request: HttpRequest, error: GovernanceError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.warning(request, problem)


@require_POST
def guideline_draft_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    user = _content_user(request)
    try:
        draft = guideline_draft_create(slug=slug, user=user)
    except GovernanceError as error:
        _refused(request, error)
        return redirect("content:index")
    return redirect("guideline_content:version", pk=draft.pk)


def _version_page(request: HttpRequest, guideline: Guideline, **forms: Any) -> HttpResponse:
    published = Guideline.objects.filter(
        slug=guideline.slug, status=ContentStatus.PUBLISHED
    ).first()
    user = request.user
    context = {
        "guideline": guideline,
        "published": published,
        "diff": guideline_diff(guideline=guideline, against=published),
        "validation": guideline_validate(guideline=guideline),
        "history": guideline.history.select_related("history_user").order_by("-history_date"),
        "is_editor": user_has_any_role(user, (CONTENT_EDITOR,)),
        "is_approver": user_has_any_role(user, (CONTENT_APPROVER,)),
        "edit_form": forms.get("edit_form")
        or GuidelineEditForm(initial={"document": guideline_yaml(guideline)}),
        "reason_form": forms.get("reason_form") or ReasonForm(),
    }
    return render(request, "treatment/content/version.html", context)


@require_http_methods(["GET", "POST"])
def guideline_version(request: HttpRequest, pk: int) -> HttpResponse:
    user = _content_user(request)
    guideline = get_object_or_404(Guideline, pk=pk)
    if request.method == "GET":
        return _version_page(request, guideline)
    action = request.POST.get("action")
    edit_form = GuidelineEditForm(request.POST) if action == "save" else None
    reason_form = ReasonForm(request.POST) if action in ("publish", "return") else None
    try:
        if action == "save" and edit_form is not None and edit_form.is_valid():
            guideline_draft_update(
                guideline=guideline,
                user=user,
                document_yaml=edit_form.cleaned_data["document"],
                reason=edit_form.cleaned_data["reason"],
            )
            messages.success(request, "Draft saved.")
        elif action == "submit":
            guideline_submit(guideline=guideline, user=user)
            messages.success(request, "Submitted for review by a second person.")
        elif (
            action == "publish"
            and reason_form is not None
            # An empty reason goes on to the governance rule's own message; an over-long one
            # is refused here, with the form's message (limit and length).
            and not reason_form.has_error("reason", "max_length")
        ):
            reason = reason_form.data.get("reason", "")
            guideline_publish(guideline=guideline, user=user, reason=str(reason))
            messages.success(request, "Published. The clinic now reads this version.")
        elif action == "return" and reason_form is not None and reason_form.is_valid():
            guideline_return(
                guideline=guideline, user=user, reason=reason_form.cleaned_data["reason"]
            )
            messages.success(request, "Returned to draft.")
        else:
            return _version_page(request, guideline, edit_form=edit_form, reason_form=reason_form)
    except GovernanceError as error:
        _refused(request, error)
        guideline.refresh_from_db()
        return _version_page(request, guideline, edit_form=edit_form, reason_form=reason_form)
    return redirect("guideline_content:version", pk=guideline.pk)


@require_GET
def guideline_version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's options for each of its golden cases, marked as not for clinical use."""
    _content_user(request)
    guideline = get_object_or_404(Guideline, pk=pk)
    return render(
        request,
        "treatment/content/preview.html",
        {"guideline": guideline, "cases": guideline_preview(guideline=guideline)},
    )
