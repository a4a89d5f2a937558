"""Background jobs of the ledger: a month's billing run for a whole registry outlasts a web request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task

from jaring.contributions.services import billing_run
from jaring.core.context import traced
from jaring.core.errors import ErrorCode, PermissionDenied
from jaring.core.rules import may_handle_payments
from jaring.core.selectors import Viewer, viewer_for
from jaring.core.types import Period


@task()
@traced("task")
def bill_month(period: str, user_id: int) -> int:
    user = get_user_model().objects.filter(pk=user_id).first()
    viewer = viewer_for(user)
    if viewer is None:
        raise PermissionDenied("Pengguna tanpa peran tidak menagih.", code=ErrorCode.PAYMENTS_NOT_ALLOWED)
    return billing_run(period=Period.parse(period), viewer=viewer, actor=user).run.pk


def enqueue_billing(*, period: Period, viewer: Viewer) -> None:
    """Checked now (a clear refusal on the page), run after the request's transaction commits."""
    if not may_handle_payments(viewer.role) or viewer.user_id is None:
        raise PermissionDenied(
            "Hanya petugas kantor cabang atau administrator yang menagih.",
            code=ErrorCode.PAYMENTS_NOT_ALLOWED,
        )
    user_id = viewer.user_id
    transaction.on_commit(lambda: bill_month.enqueue(str(period), user_id))
