from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "jaring.funding"
    label = "funding"
    verbose_name = "Pendanaan"

    def ready(self) -> None:
        from jaring.funding.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415
        from jaring.funding.rules import OUTCOME_LABELS, REASON_LABELS  # noqa: PLC0415

        vocabulary_register("outcome", OUTCOME_LABELS)  # words for codes on pages (core.labels)
        vocabulary_register("reason", REASON_LABELS)
