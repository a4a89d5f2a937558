from django.urls import path

from jaring.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list_view, name="claim_list"),
    path("baru/", views.claim_file_view, name="claim_file"),
    path("<int:claim_id>/", views.claim_detail_view, name="claim_detail"),
    path("<int:claim_id>/dokumen/", views.claim_document_view, name="claim_document"),
    path("<int:claim_id>/langkah/", views.claim_step_view, name="claim_step"),
    path("<int:claim_id>/beasiswa/", views.scholarship_file_view, name="scholarship_file"),
    path("dokumen/<int:document_id>/", views.document_download_view, name="document_download"),
    path("status/", views.status_view, name="status"),
    path("pekerja/<int:worker_id>/", views.worker_claims_view, name="worker_claims"),
]
