from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "jaring.claims"
    label = "claims"
    verbose_name = "Klaim"

    def ready(self) -> None:
        from jaring.claims.services import movers_register  # noqa: PLC0415 (models load before ready)

        movers_register()
