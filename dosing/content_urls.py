from __future__ import annotations

from django.urls import path

from dosing import content_views

app_name = "content"

urlpatterns = [
    path("", content_views.content_index, name="index"),
    path("regimens/<slug:slug>/draft/", content_views.content_draft_create, name="draft_create"),
    path("versions/<int:pk>/", content_views.content_version, name="version"),
    path("versions/<int:pk>/preview/", content_views.content_version_preview, name="preview"),
]
