"""The content-governance pages, one set for every kind: thin views over ``governance.actions``.

The clinic never sees these pages; drafts shown here are marked as drafts everywhere.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import (
    CONTENT_APPROVER,
    CONTENT_EDITOR,
    user_can_edit_content,
    user_has_any_role,
)
from governance.actions import (
    CreateDraft,
    EditDraft,
    GovernanceError,
    Publish,
    RefreshDraft,
    Retire,
    ReturnToDraft,
    SubmitForReview,
    VersionAction,
    version_diff,
    version_document_yaml,
    version_stale_reason,
)
from governance.forms import DraftEditForm, ReasonForm
from governance.kinds import ContentKind, kind_named, kinds

SUCCESS = {
    "save": "Draft saved.",
    "submit": "Submitted for review by a second person.",
    "refresh": "Refreshed onto the published version: check the changes and submit it again.",
    "publish": "Published. The clinic now reads this version; saved plans on the old one say so.",
    "return": "Returned to draft.",
    "retire": "Retired. The clinic no longer reads this content; saved plans keep their version.",
}


REASONED: dict[str, type[VersionAction]] = {
    "publish": Publish,
    "return": ReturnToDraft,
    "retire": Retire,
}


def _content_user(request: HttpRequest) -> User:
    if not user_can_edit_content(request.user):
        raise PermissionDenied
    return cast(User, request.user)


def _kind(name: str) -> ContentKind:
    try:
        return kind_named(name)
    except LookupError:
        raise Http404 from None


def _refused(request: HttpRequest, error: GovernanceError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.warning(request, problem)


@require_GET
def content_index(request: HttpRequest) -> HttpResponse:
    _content_user(request)
    sections = [
        {
            "kind": kind,
            "lineages": [
                {
                    "key": key,
                    "title": kind.lineage_title(key),
                    "versions": [(v, kind.number(v)) for v in kind.versions(key)],
                }
                for key in kind.lineage_keys()
            ],
        }
        for kind in kinds()
    ]
    # Only an editor may create a draft (CreateDraft's role): nobody else is shown the button.
    can_create_draft = user_has_any_role(request.user, (CONTENT_EDITOR,))
    return render(
        request,
        "governance/index.html",
        {"sections": sections, "can_create_draft": can_create_draft},
    )


@require_POST
def draft_create(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    user = _content_user(request)
    content_kind = _kind(kind)
    try:
        draft = CreateDraft(content_kind, key, user=user).execute()
    except GovernanceError as error:
        _refused(request, error)
        return redirect("content:index")
    return redirect("content:version", kind=kind, pk=draft.pk)


def _page(request: HttpRequest, kind: ContentKind, version: Any, **forms: Any) -> HttpResponse:
    key = kind.lineage_key(version)
    published = kind.published(key)
    user = request.user
    problems = kind.validate(version)
    context = {
        "kind": kind,
        "version": version,
        "number": kind.number(version),
        "title": kind.title(version),
        "published": published,
        "published_number": None if published is None else kind.number(published),
        "diff": version_diff(version, against=published),
        "problems": problems,
        "golden_count": len(version.golden_cases or []),
        "stale": version_stale_reason(version),
        "history": version.history.select_related("history_user").order_by("-history_date"),
        "is_editor": user_has_any_role(user, (CONTENT_EDITOR,)),
        "is_approver": user_has_any_role(user, (CONTENT_APPROVER,)),
        "document_yaml": version_document_yaml(version),
        "edit_form": forms.get("edit_form")
        or DraftEditForm(
            initial={"document": version_document_yaml(version)},
            document_label=str(kind.document_label),
        ),
        "reason_form": forms.get("reason_form") or ReasonForm(),
    }
    return render(request, "governance/version.html", context)


def _action(
    request: HttpRequest,
    version: Any,
    user: User,
    edit_form: DraftEditForm | None,
    reason_form: ReasonForm | None,
) -> VersionAction | None:
    """The action the POST asks for, once its form is valid (None: show the form's errors)."""
    action = request.POST.get("action")
    if action == "save" and edit_form is not None and edit_form.is_valid():
        return EditDraft(
            version,
            user=user,
            document_yaml=edit_form.cleaned_data["document"],
            reason=edit_form.cleaned_data["reason"],
        )
    if action == "submit":
        return SubmitForReview(version, user=user)
    if action == "refresh":
        return RefreshDraft(version, user=user)
    if action in REASONED and reason_form is not None and reason_form.is_valid():
        return REASONED[action](version, user=user, reason=reason_form.cleaned_data["reason"])
    return None


@require_http_methods(["GET", "POST"])
def version_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = _content_user(request)
    content_kind = _kind(kind)
    version = get_object_or_404(content_kind.model, pk=pk)
    if request.method == "GET":
        return _page(request, content_kind, version)
    name = request.POST.get("action", "")
    edit_form = (
        DraftEditForm(request.POST, document_label=str(content_kind.document_label))
        if name == "save"
        else None
    )
    reason_form = ReasonForm(request.POST) if name in REASONED else None
    action = _action(request, version, user, edit_form, reason_form)
    if action is None:
        return _page(request, content_kind, version, edit_form=edit_form, reason_form=reason_form)
    try:
        action.execute()
    except GovernanceError as error:
        _refused(request, error)
        version.refresh_from_db()
        return _page(request, content_kind, version, edit_form=edit_form, reason_form=reason_form)
    messages.success(request, _(SUCCESS[name]))
    return redirect("content:version", kind=kind, pk=version.pk)


@require_GET
def version_preview(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """What a version gives for its golden cases, marked as not for clinical use."""
    _content_user(request)
    content_kind = _kind(kind)
    version = get_object_or_404(content_kind.model, pk=pk)
    context = {
        "kind": content_kind,
        "version": version,
        "number": content_kind.number(version),
        "title": content_kind.title(version),
        **content_kind.preview_context(version),
    }
    return render(request, content_kind.preview_template, context)
