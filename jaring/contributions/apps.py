from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self) -> None:
        from jaring.contributions.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.contributions.rules import PAYER_TYPE_LABELS  # noqa: PLC0415
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415

        vocabulary_register("payer_type", PAYER_TYPE_LABELS)  # words for codes on pages (core.labels)
