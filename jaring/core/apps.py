from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jaring.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from axes.signals import user_locked_out  # noqa: PLC0415 (apps are ready only now)
        from django.contrib.auth.signals import user_login_failed  # noqa: PLC0415 (as above)

        from jaring.core import checks  # noqa: F401, PLC0415 (registers the deploy checks once apps are ready)
        from jaring.core.services import login_failed, login_locked  # noqa: PLC0415 (as above)

        user_login_failed.connect(login_failed, dispatch_uid="core.login_failed")
        user_locked_out.connect(login_locked, dispatch_uid="core.login_locked")
        from jaring.core.audit import ACTION_LABELS  # noqa: PLC0415 (as above)
        from jaring.core.labels import vocabulary_register  # noqa: PLC0415 (as above)
        from jaring.core.rules import ROLE_LABELS, ROLE_LABELS_EN  # noqa: PLC0415 (as above)

        vocabulary_register("audit_action", ACTION_LABELS)
        vocabulary_register("role", ROLE_LABELS, ROLE_LABELS_EN)
