from __future__ import annotations

from django.urls import path

from costs import views

app_name = "costs"

urlpatterns = [
    path(
        "<uuid:pk>/administrations.csv",
        views.plan_administrations_csv,
        name="plan_administrations_csv",
    ),
]
