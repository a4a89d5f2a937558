from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "jaring.funding"
    label = "funding"
    verbose_name = "Pendanaan"
