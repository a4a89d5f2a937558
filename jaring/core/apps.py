from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jaring.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from jaring.core import checks  # noqa: F401, PLC0415 (registers the deploy checks once apps are ready)
