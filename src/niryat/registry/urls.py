from django.urls import path

from niryat.registry import duplicate_views, import_views, views

app_name = "registry"

urlpatterns = [
    path("", views.enterprise_list_view, name="enterprise-list"),
    path("new/", views.enterprise_create_view, name="enterprise-create"),
    path("<int:enterprise_id>/", views.enterprise_detail_view, name="enterprise-detail"),
    path("<int:enterprise_id>/edit/", views.enterprise_edit_view, name="enterprise-edit"),
    path("<int:enterprise_id>/programmes/", views.enterprise_enrolment_view, name="enterprise-enrolment"),
    path("duplicates/", duplicate_views.duplicate_list_view, name="duplicate-list"),
    path("duplicates/<int:candidate_id>/", duplicate_views.duplicate_detail_view,
         name="duplicate-detail"),
    path("duplicates/<int:candidate_id>/decide/", duplicate_views.duplicate_decide_view,
         name="duplicate-decide"),
    path("import/", import_views.import_upload_view, name="import-upload"),
    path("import/template.csv", import_views.import_template_view, name="import-template"),
    path("import/<int:batch_id>/", import_views.import_detail_view, name="import-detail"),
    path("import/<int:batch_id>/commit/", import_views.import_commit_view, name="import-commit"),
    path("import/<int:batch_id>/errors.<str:fmt>", import_views.import_errors_view,
         name="import-errors"),
]
