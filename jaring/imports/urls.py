from django.urls import path

from jaring.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list_view, name="batch_list"),
    path("templat.xlsx", views.template_view, name="template"),
    path("<int:batch_id>/", views.batch_detail_view, name="batch_detail"),
    path("<int:batch_id>/simpan/", views.batch_commit_view, name="batch_commit"),
    path("<int:batch_id>/masalah/", views.batch_issues_view, name="batch_issues"),
    path("<int:batch_id>/ditolak.xlsx", views.batch_rejected_view, name="batch_rejected"),
]
