from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jaring.registry"
    label = "registry"
    verbose_name = "Registri Peserta"

    def ready(self) -> None:
        from jaring.registry.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415
        from jaring.registry import rules  # noqa: PLC0415

        vocabulary_register(
            "sector", rules.SECTOR_LABELS, rules.SECTOR_LABELS_EN
        )  # words for codes (core.labels)
        vocabulary_register(
            "occupation", {o.code: o.label for o in rules.OCCUPATIONS}, rules.OCCUPATION_LABELS_EN
        )
        vocabulary_register("ecosystem", rules.ECOSYSTEM_LABELS, rules.ECOSYSTEM_LABELS_EN)
