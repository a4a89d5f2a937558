from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "jaring.insights"
    label = "insights"
    verbose_name = "Cakupan"

    def ready(self) -> None:
        from jaring.core.changes import coverage_changed  # noqa: PLC0415 (models load first)
        from jaring.insights.tasks import coverage_announced  # noqa: PLC0415 (as above)

        coverage_changed.connect(coverage_announced, dispatch_uid="insights.coverage_announced")
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415
        from jaring.insights import rules  # noqa: PLC0415

        vocabulary_register("target_kind", rules.TARGET_KIND_LABELS, rules.TARGET_KIND_LABELS_EN)
