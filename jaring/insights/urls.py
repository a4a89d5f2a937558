from django.urls import path

from jaring.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("ekspor/", views.export_view, name="export"),
    path("laporan/", views.report_pdf_view, name="report_pdf"),
    path("peta/", views.geo_view, name="geo"),
    path("peringkat/", views.ranking_view, name="ranking"),
    path("desa-100/", views.goals_view, name="goals"),
    path("target/", views.target_view, name="target"),
]
