from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "jaring.contributions"
    label = "contributions"
    verbose_name = "Iuran"

    def ready(self) -> None:
        from jaring.contributions.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.contributions.rules import PAYER_TYPE_LABELS, PAYER_TYPE_LABELS_EN  # noqa: PLC0415
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415

        vocabulary_register(
            "payer_type", PAYER_TYPE_LABELS, PAYER_TYPE_LABELS_EN
        )  # words for codes on pages (core.labels)
        from jaring.contributions.selectors import sponsor_worker_ids  # noqa: PLC0415
        from jaring.core.selectors import sponsor_workers_set  # noqa: PLC0415

        sponsor_workers_set(sponsor_worker_ids)  # a sponsor opens the workers it funds (core.Viewer.worker_q)
