from __future__ import annotations

from django.urls import path

from treatment import content_views

app_name = "guideline_content"

urlpatterns = [
    path("<slug:slug>/draft/", content_views.guideline_draft_create_view, name="draft_create"),
    path("versions/<int:pk>/", content_views.guideline_version, name="version"),
    path("versions/<int:pk>/preview/", content_views.guideline_version_preview, name="preview"),
]
