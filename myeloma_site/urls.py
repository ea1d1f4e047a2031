"""URL configuration. Everything requires login except login, /healthz and static files.

The clinical apps (staging, treatment options, plans and their calendars) are mounted through
``_clinical``: every one of their pages requires the clinician role (``accounts.access``), also
pages added later. Their API routers get the same rule in ``myeloma_site.api``.
"""

from __future__ import annotations

from importlib import import_module

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from accounts.access import clinician_required
from myeloma_site import views
from myeloma_site.api import api


def _api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API answers anonymous callers with 401 itself (not a redirect to the login page)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


def _clinical(urlconf: str) -> tuple[list[URLPattern | URLResolver], str, str]:
    """The URLconf ``urlconf`` with every page behind ``clinician_required``."""
    module = import_module(urlconf)
    patterns: list[URLPattern | URLResolver] = []
    for pattern in module.urlpatterns:
        if not isinstance(pattern, URLPattern):
            raise TypeError(f"{urlconf}: nested URLconfs are not guarded: {pattern!r}")
        patterns.append(
            URLPattern(
                pattern.pattern,
                clinician_required(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
        )
    return patterns, module.app_name, module.app_name


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("staging/", _clinical("staging.urls")),
    path("treatment/", _clinical("treatment.urls")),
    path("plans/", _clinical("dosing.urls")),
    path("plans/", _clinical("costs.urls")),
    path("followup/", _clinical("followup.urls")),
    path("content/", include("governance.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", _api_urls()),
]
