from __future__ import annotations

from django.urls import path

from staging import views

app_name = "staging"

urlpatterns = [
    path("", views.staging_index, name="index"),
    path("diagnosis/", views.diagnosis, name="diagnosis"),
    path("smouldering/", views.smouldering, name="smouldering"),
    path("frailty/", views.frailty, name="frailty"),
    path("current/clear/", views.assessment_clear, name="assessment_clear"),
]
