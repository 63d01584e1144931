from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from niryat.api.api import api
from niryat.programmes.views import home_view

urlpatterns = [
    path("", home_view, name="home"),
    path("accounts/", include("niryat.accounts.urls")),
    path("audit/", include("niryat.audit.urls")),
    path("programmes/", include("niryat.programmes.urls")),
    path("enterprises/", include("niryat.registry.urls")),
    path("", include("niryat.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
