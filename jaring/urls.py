import os

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from jaring.api import api
from jaring.contributions.views import card_check_view, public_check_view
from jaring.core.views import PasswordChangeView
from jaring.home import home
from jaring.jobs import jobs_view
from jaring.regions.views import region_options_view

urlpatterns = [
    path("", home, name="home"),
    path("pekerjaan/", jobs_view, name="jobs"),  # long work, left and found again
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", PasswordChangeView.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("wilayah/pilih/", region_options_view, name="region_options"),  # the region picker's options
    path("cek/", public_check_view, name="public_check"),  # the public coverage check (no account)
    path("cek/kartu/<str:token>/", card_check_view, name="card_check"),  # a membership card's QR
    path("pekerja/", include("jaring.registry.urls")),
    path("impor/", include("jaring.imports.urls")),
    path("iuran/", include("jaring.contributions.urls")),
    path("dana/", include("jaring.funding.urls")),
    path("klaim/", include("jaring.claims.urls")),
    path("duplikat/", include("jaring.linkage.urls")),
    path("cakupan/", include("jaring.insights.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if os.environ.get("JARING_SERVE_STATIC") == "1" or settings.DEBUG:
    # `jaring serve` (one laptop, one village office) serves its own static files; production uses a web server.
    from django.contrib.staticfiles.views import serve as static_serve

    urlpatterns += [re_path(r"^static/(?P<path>.*)$", static_serve, {"insecure": True})]
