from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "jaring.claims"
    label = "claims"
    verbose_name = "Klaim"
