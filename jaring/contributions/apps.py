from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self) -> None:
        from jaring.contributions.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
