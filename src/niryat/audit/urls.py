from django.urls import path

from niryat.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list_view, name="event-list"),
    path("export/", views.event_export_view, name="event-export"),
]
