from django.urls import path

from jaring.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.worker_list_view, name="worker_list"),
    path("baru/", views.worker_register_view, name="worker_register"),
    path("<int:worker_id>/", views.worker_detail_view, name="worker_detail"),
    path("<int:worker_id>/usulan/<int:proposal_id>/", views.proposal_decide_view, name="proposal_decide"),
]
