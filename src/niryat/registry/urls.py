from django.urls import path

from niryat.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.enterprise_list_view, name="enterprise-list"),
    path("new/", views.enterprise_create_view, name="enterprise-create"),
    path("<int:enterprise_id>/", views.enterprise_detail_view, name="enterprise-detail"),
    path("<int:enterprise_id>/edit/", views.enterprise_edit_view, name="enterprise-edit"),
]
