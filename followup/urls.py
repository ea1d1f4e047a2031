from __future__ import annotations

from django.urls import path

from followup import dose_check_views, toxicity_views, views

app_name = "followup"

urlpatterns = [
    path("plans/<uuid:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path(
        "plans/<uuid:pk>/assessments/<uuid:assessment_id>/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path("plans/<uuid:pk>/dose-check/", dose_check_views.dose_check, name="dose_check"),
    path(
        "plans/<uuid:pk>/infusion-worksheet/",
        dose_check_views.infusion_worksheet,
        name="infusion_worksheet",
    ),
    path("toxicity/crs/", toxicity_views.crs, name="toxicity_crs"),
    path("toxicity/icans/", toxicity_views.icans, name="toxicity_icans"),
    path("toxicity/kva/", toxicity_views.kva, name="toxicity_kva"),
]
