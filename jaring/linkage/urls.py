from django.urls import path

from jaring.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("<int:pair_id>/", views.pair_view, name="pair"),
    path("<int:pair_id>/putuskan/", views.pair_decide_view, name="pair_decide"),
    path("gabungan/", views.merges_view, name="merges"),
    path("gabungan/<int:merge_id>/batal/", views.merge_undo_view, name="merge_undo"),
    path("pengaturan/", views.settings_view, name="settings"),
    path("konflik-nik/", views.conflicts_view, name="conflicts"),
    path("konflik-nik/<int:conflict_id>/", views.conflict_resolve_view, name="conflict_resolve"),
]
