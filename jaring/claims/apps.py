from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "jaring.claims"
    label = "claims"
    verbose_name = "Klaim"

    def ready(self) -> None:
        from jaring.claims.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.claims.rules import AID_LABELS, CLAIM_TYPE_LABELS, LEVEL_LABELS, MODE_LABELS  # noqa: PLC0415
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415

        vocabulary_register("claim_type", CLAIM_TYPE_LABELS)  # words for codes on pages (core.labels)
        vocabulary_register("level", LEVEL_LABELS)
        vocabulary_register("aid", AID_LABELS)
        vocabulary_register("mode", MODE_LABELS)
