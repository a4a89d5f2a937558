from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "jaring.regions"
    label = "regions"
    verbose_name = "Wilayah"

    def ready(self) -> None:
        from jaring.core.selectors import region_directory_set  # noqa: PLC0415 (models load before ready)
        from jaring.regions.selectors import Directory  # noqa: PLC0415 (as above)

        region_directory_set(Directory())
