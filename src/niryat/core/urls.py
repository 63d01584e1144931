from django.urls import path

from niryat.core import views

app_name = "core"

urlpatterns = [
    path("jobs/", views.job_list_view, name="job-list"),
    path("jobs/<uuid:job_id>/", views.job_detail_view, name="job-detail"),
    path("jobs/<uuid:job_id>/download/", views.job_download_view, name="job-download"),
]
