from __future__ import annotations

from django.urls import path

from followup import toxicity_views, views

app_name = "followup"

urlpatterns = [
    path("plans/<uuid:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path(
        "plans/<uuid:pk>/assessments/<uuid:assessment_id>/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path("toxicity/crs/", toxicity_views.crs, name="toxicity_crs"),
    path("toxicity/icans/", toxicity_views.icans, name="toxicity_icans"),
    path("toxicity/kva/", toxicity_views.kva, name="toxicity_kva"),
]
