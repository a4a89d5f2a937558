from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jaring.linkage"
    label = "linkage"
    verbose_name = "Deteksi Duplikat"

    def ready(self) -> None:
        from jaring.linkage.tasks import intake_announced, nik_check_announced  # noqa: PLC0415 (models load first)
        from jaring.registry.signals import nik_check_requested, workers_registered  # noqa: PLC0415 (as above)

        workers_registered.connect(intake_announced, dispatch_uid="linkage.intake_announced")
        nik_check_requested.connect(nik_check_announced, dispatch_uid="linkage.nik_check_announced")
