"""Every audit event can be traced to the request, command or background job that wrote it (decision 0003):
`req-...` from a page or the API, `cli-...` from the command line, `task-...` from a background job."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jaring.cli import main
from jaring.contributions.factories import member
from jaring.contributions.tasks import bill_month
from jaring.core.factories import make_user
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.registry.factories import worker_cells

pytestmark = pytest.mark.django_db


def test_a_command_line_run_a_background_job_and_a_page_each_leave_their_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    member()
    assert main(["bill", "--period", "2026-11", "--json"]) == 0
    run_id = json.loads(capsys.readouterr().out)["run_id"]
    cli = AuditEvent.objects.get(action="billing.run", entity_id=str(run_id))
    assert cli.request_id.startswith("cli-")

    clerk = make_user(Role.BRANCH, branch_code="KC-TGR-CKP")
    task_run = bill_month.call("2026-12", clerk.pk)
    task = AuditEvent.objects.get(action="billing.run", entity_id=str(task_run))
    assert task.request_id.startswith("task-") and task.request_id != cli.request_id

    client = Client()
    client.force_login(clerk)
    response = client.post("/pekerja/baru/", worker_cells(full_name="Sarmin"))
    assert response.status_code == 302
    page = AuditEvent.objects.get(action="worker.register", changes__has_key="warnings",
                                  entity_id=response["Location"].strip("/").split("/")[-1])  # fmt: skip
    assert page.request_id.startswith("req-")
