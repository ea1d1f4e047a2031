"""/content/: one set of pages for every kind of governed content.

``/content/versions/<pk>/`` and ``/content/regimens/<slug>/draft/`` are the regimen pages'
addresses from before there was more than one kind; they redirect (or post) to the same views.
"""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from governance import views

app_name = "content"

urlpatterns = [
    path("", views.content_index, name="index"),
    path("<str:kind>/<str:key>/draft/", views.draft_create, name="draft_create"),
    path("<str:kind>/versions/<int:pk>/", views.version_page, name="version"),
    path("<str:kind>/versions/<int:pk>/preview/", views.version_preview, name="preview"),
    path(
        "versions/<int:pk>/",
        RedirectView.as_view(url="/content/regimens/versions/%(pk)s/", permanent=True),
    ),
    path(
        "versions/<int:pk>/preview/",
        RedirectView.as_view(url="/content/regimens/versions/%(pk)s/preview/", permanent=True),
    ),
]
