from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jaring.registry"
    label = "registry"
    verbose_name = "Registri Peserta"

    def ready(self) -> None:
        from jaring.registry.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
