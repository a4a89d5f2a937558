from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jaring.registry"
    label = "registry"
    verbose_name = "Registri Peserta"

    def ready(self) -> None:
        from jaring.registry.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415
        from jaring.registry.rules import ECOSYSTEM_LABELS, OCCUPATIONS, SECTOR_LABELS  # noqa: PLC0415

        vocabulary_register("sector", SECTOR_LABELS)  # words for codes on pages (core.labels)
        vocabulary_register("occupation", {o.code: o.label for o in OCCUPATIONS})
        vocabulary_register("ecosystem", ECOSYSTEM_LABELS)
