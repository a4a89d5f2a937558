from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "jaring.claims"
    label = "claims"
    verbose_name = "Klaim"

    def ready(self) -> None:
        from jaring.claims.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.claims.selectors import claim_months_frame  # noqa: PLC0415
        from jaring.core.selectors import claim_months_set  # noqa: PLC0415

        claim_months_set(claim_months_frame)
        from jaring.claims.rules import schedule as labels  # noqa: PLC0415
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415

        # words for codes on pages (core.labels), Indonesian and English
        vocabulary_register("claim_type", labels.CLAIM_TYPE_LABELS, labels.CLAIM_TYPE_LABELS_EN)
        vocabulary_register("level", labels.LEVEL_LABELS, labels.LEVEL_LABELS_EN)
        vocabulary_register("aid", labels.AID_LABELS, labels.AID_LABELS_EN)
        vocabulary_register("mode", labels.MODE_LABELS, labels.MODE_LABELS_EN)
