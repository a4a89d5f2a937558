from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "jaring.funding"
    label = "funding"
    verbose_name = "Pendanaan"

    def ready(self) -> None:
        from jaring.funding.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
