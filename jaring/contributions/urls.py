from django.urls import path

from jaring.contributions import views

app_name = "contributions"
urlpatterns = [
    path("", views.bill_list_view, name="bill_list"),
    path("tagihan/<int:bill_id>/", views.bill_detail_view, name="bill_detail"),
    path("tagihan/<int:bill_id>/tagihan.xlsx", views.bill_xlsx_view, name="bill_xlsx"),
    path("tagihan/<int:bill_id>/tagihan.pdf", views.bill_pdf_view, name="bill_pdf"),
    path("pembayaran/", views.payment_list_view, name="payment_list"),
    path("rekonsiliasi/", views.reconciliation_view, name="reconciliation"),
    path("rekonsiliasi/<int:payment_id>/", views.payment_resolve_view, name="payment_resolve"),
    path("tunggakan/", views.arrears_view, name="arrears"),
    path("pekerja/<int:worker_id>/kalender/", views.coverage_view, name="coverage"),
    path("pekerja/<int:worker_id>/kartu.pdf", views.card_pdf_view, name="card_pdf"),
    path("kartu.pdf", views.village_cards_view, name="village_cards"),
]
