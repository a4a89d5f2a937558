from django.urls import path

from jaring.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.program_list_view, name="program_list"),
    path("program/baru/", views.program_create_view, name="program_create"),
    path("program/<int:program_id>/", views.program_detail_view, name="program_detail"),
    path("program/<int:program_id>/alokasi/", views.program_allocate_view, name="program_allocate"),
    path("sponsor/", views.sponsor_list_view, name="sponsor_list"),
    path("donasi/", views.donation_view, name="donation"),
    path("donasi/<int:program_id>/", views.donation_receipt_view, name="donation_receipt"),
    path("rencana/", views.plan_view, name="plan"),
    path("berakhir/", views.ending_view, name="ending"),
    path("tumpang-tindih/", views.overlap_view, name="overlap"),
]
