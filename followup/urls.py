from __future__ import annotations

from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path("plans/<uuid:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path(
        "plans/<uuid:pk>/assessments/<uuid:assessment_id>/",
        views.assessment_edit,
        name="assessment_edit",
    ),
]
