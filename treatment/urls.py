from __future__ import annotations

from django.urls import path

from treatment import views

app_name = "treatment"

urlpatterns = [
    path("", views.index, name="index"),
]
