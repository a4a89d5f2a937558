"""Long work, left and found again (issue #14): the page `/pekerjaan/` lists the background work a user started
(a list checked and saved, a billing run, a duplicate search), waiting, running (with its progress where the work
reports one), finished or failed, each linking to its result; it refreshes itself while something runs. Project
level: it reads the task queue and several apps, as the home page does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from jaring.core.rules import Role
from jaring.core.selectors import Viewer
from jaring.core.views_util import viewer_required
from jaring.imports.selectors import batch_owners, batch_progress

SCAN = 300  # the latest task results a page looks through


@dataclass(frozen=True)
class Kind:
    label: Callable[[list[Any]], str]  # the work in words, from the task's arguments
    owner_arg: int | None  # which argument is the user who started it (None: the batch's uploader)
    link: Callable[[list[Any]], str]
    batch_arg: int | None = None  # which argument is an import batch (its progress, its uploader)


KINDS: dict[str, Kind] = {
    "jaring.imports.tasks.stage_batch": Kind(
        lambda a: _("Memeriksa daftar #%(n)s") % {"n": a[0]}, None,
        lambda a: reverse("imports:batch_detail", args=[a[0]]), batch_arg=0),
    "jaring.imports.tasks.commit_batch": Kind(
        lambda a: _("Menyimpan daftar #%(n)s dan menerbitkan kartu") % {"n": a[0]}, 1,
        lambda a: reverse("imports:batch_detail", args=[a[0]]), batch_arg=0),
    "jaring.linkage.tasks.dedupe_batch": Kind(
        lambda a: _("Mencari data ganda dari daftar #%(n)s") % {"n": a[0]}, None,
        lambda a: reverse("linkage:queue"), batch_arg=0),
    "jaring.contributions.tasks.bill_month": Kind(
        lambda a: _("Penagihan bulan %(period)s") % {"period": a[0]}, 1,
        lambda a: reverse("contributions:bill_list") + f"?period={a[0]}"),
}  # fmt: skip

STATUS = {"READY": ("open", gettext_lazy("Menunggu giliran")), "RUNNING": ("staging", gettext_lazy("Sedang berjalan")),
          "SUCCESSFUL": ("paid", gettext_lazy("Selesai")), "FAILED": ("rejected", gettext_lazy("Gagal"))}  # fmt: skip


@dataclass(frozen=True)
class Job:
    label: str
    status: str
    status_label: str
    badge: str
    enqueued_at: dt.datetime
    finished_at: dt.datetime | None
    link: str
    progress: str  # "1.200 / 5.000 baris" while a list is worked on


def jobs_of(viewer: Viewer, *, limit: int = 30) -> list[Job]:
    """The viewer's background work, newest first (an administrator's: everyone's)."""
    results = list(
        DBTaskResult.objects.filter(task_path__in=list(KINDS))
        .order_by("-enqueued_at")
        .only("status", "enqueued_at", "finished_at", "args_kwargs", "task_path")[:SCAN]
    )
    batch_ids = {int(r.args_kwargs["args"][k.batch_arg]) for r in results
                 if (k := KINDS[r.task_path]).batch_arg is not None}  # fmt: skip
    owners, progress = batch_owners(batch_ids=batch_ids), batch_progress(batch_ids=batch_ids)
    out = []
    for r in results:
        kind, args = KINDS[r.task_path], list(r.args_kwargs.get("args", []))
        if kind.owner_arg is not None:
            owner = args[kind.owner_arg] if len(args) > kind.owner_arg else None
        else:
            owner = owners.get(int(args[kind.batch_arg or 0]))
        if viewer.role != Role.ADMIN and owner != viewer.user_id:
            continue
        badge, words = STATUS.get(r.status, ("open", gettext_lazy("Menunggu giliran")))
        done = (
            progress.get(int(args[kind.batch_arg]))
            if kind.batch_arg is not None and r.status == "RUNNING"
            else None
        )
        out.append(Job(kind.label(args), r.status, str(words), badge, r.enqueued_at, r.finished_at, kind.link(args),
                       done or ""))  # fmt: skip
        if len(out) >= limit:
            break
    return out


@viewer_required
def jobs_view(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    jobs = jobs_of(viewer)
    return render(
        request, "jobs.html", {"jobs": jobs, "working": any(j.status in ("READY", "RUNNING") for j in jobs)}
    )
