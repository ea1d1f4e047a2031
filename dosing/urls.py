from __future__ import annotations

from django.urls import path

from dosing import views

app_name = "dosing"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_new, name="plan_new"),
    path("<uuid:pk>/regimen/", views.plan_regimen, name="plan_regimen"),
    path("<uuid:pk>/patient/", views.plan_patient, name="plan_patient"),
    path("<uuid:pk>/doses/", views.plan_doses, name="plan_doses"),
    path("<uuid:pk>/schedule/", views.plan_schedule, name="plan_schedule"),
    path("<uuid:pk>/preview/", views.plan_preview, name="plan_preview"),
    path("<uuid:pk>/", views.plan_detail, name="plan_detail"),
    path("<uuid:pk>/administrations/", views.plan_administrations, name="plan_administrations"),
    path("<uuid:pk>/recompute/", views.plan_recompute, name="plan_recompute"),
    path("<uuid:pk>/reschedule/", views.plan_reschedule, name="plan_reschedule"),
    path("<uuid:pk>/calendar.pdf", views.plan_calendar_pdf_download, name="plan_calendar_pdf"),
    path("<uuid:pk>/calendar.ics", views.plan_calendar_ics_download, name="plan_calendar_ics"),
]
