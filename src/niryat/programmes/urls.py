from django.urls import path

from niryat.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list_view, name="programme-list"),
    path("<slug:slug>/", views.programme_detail_view, name="programme-detail"),
]
