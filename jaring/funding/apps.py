from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "jaring.funding"
    label = "funding"
    verbose_name = "Pendanaan"

    def ready(self) -> None:
        from jaring.funding.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.core.selectors import sponsor_names_set  # noqa: PLC0415
        from jaring.funding.selectors import sponsor_names_of  # noqa: PLC0415

        sponsor_names_set(sponsor_names_of)
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415
        from jaring.funding import rules  # noqa: PLC0415

        vocabulary_register(
            "outcome", rules.OUTCOME_LABELS, rules.OUTCOME_LABELS_EN
        )  # words for codes (core.labels)
        vocabulary_register("reason", rules.REASON_LABELS, rules.REASON_LABELS_EN)
