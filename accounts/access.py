"""Who may use the clinical parts of the app: the clinician role (superusers hold every role).

One rule for pages and the JSON API. Staging, treatment options, plans and their calendars are
for clinicians; the content roles (editor, approver) work on rule content in /content/ only,
and a user without a role is refused everything clinical. A logged-in user without the role
gets 403; an anonymous one the login page (pages) or 401 (API).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthorizationError
from ninja.security import SessionAuth

from accounts.roles import CLINICIAN, user_has_any_role

CLINICIAN_REQUIRED = "This requires the clinician role."


def user_is_clinician(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user_has_any_role(user, (CLINICIAN,))


def request_user_is_clinician(request: HttpRequest) -> bool:
    """``user_is_clinician`` for the request's user, asked once per request (view and menu)."""
    cached = getattr(request, "_user_is_clinician", None)
    if cached is None:
        cached = user_is_clinician(request.user)
        request._user_is_clinician = cached  # type: ignore[attr-defined]
    return bool(cached)


def clinician_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """View decorator: the login page when anonymous, 403 without the clinician role."""

    @wraps(view)
    def clinician_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request_user_is_clinician(request):
            raise PermissionDenied(CLINICIAN_REQUIRED)
        return view(request, *args, **kwargs)

    return clinician_view


class ClinicianSessionAuth(SessionAuth):
    """django-ninja session auth: 401 when not logged in, 403 without the clinician role."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if not user_is_clinician(user):
            raise AuthorizationError(message=CLINICIAN_REQUIRED)
        return user


clinician_auth = ClinicianSessionAuth()
