"""`jaring serve` (the web app on loopback with a background worker), `tasks-worker` and `manage`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading

from django.core.management import call_command, execute_from_command_line
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jaring.core.cli import Commands, Output, UsageError
from jaring.imports.services import batches_interrupted

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _nothing(d: dict[str, object]) -> str:
    return ""


class Supervised:
    """The background worker of `jaring serve`, started again whenever it stops (issue #13: a worker that died
    left every later job queued for ever). Each start recovers what the dead one was running."""

    def __init__(self, command: list[str], *, pause: float = 2.0) -> None:
        self.command, self.pause = command, pause
        self.process = subprocess.Popen(command)
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="jaring-worker-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.pause):
            code = self.process.poll()
            if code is not None and not self._stop.is_set():
                self.restarts += 1
                print(f"jaring: background worker stopped (exit {code}); starting it again", file=sys.stderr)
                self.process = subprocess.Popen(self.command)

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()


def cmd_serve(args: argparse.Namespace) -> Output:
    if args.host not in LOOPBACK:
        raise UsageError("jaring serve: listens on loopback only (127.0.0.1)")
    os.environ["JARING_SERVE_STATIC"] = "1"
    worker = Supervised([sys.executable, "-m", "jaring.cli", "tasks-worker"])
    try:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    finally:
        worker.stop()
    return Output({}, _nothing)


def tasks_recover() -> dict[str, int]:
    """What a worker that stopped was running, made visible before a new one starts: its tasks failed (never run
    again by themselves: the job may be what stopped it) and the import batches they held put right."""
    stopped = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    tasks = stopped.count()
    for result in stopped:
        result.set_failed(RuntimeError("the background worker stopped while this task ran"))
    return {"tasks_failed": tasks, **batches_interrupted()}


def cmd_tasks_worker(args: argparse.Namespace) -> Output:
    recovered = tasks_recover()
    if any(recovered.values()):
        print(f"jaring: recovered after a stopped worker: {recovered}", file=sys.stderr)
    call_command("db_worker", interval=0.5, verbosity=0)
    return Output({}, _nothing)


def cmd_manage(args: argparse.Namespace) -> Output:
    execute_from_command_line(["jaring manage", *args.rest])
    return Output({}, _nothing)


def register(commands: Commands) -> None:
    serve = commands.add("serve", cmd_serve, "serve the web app on 127.0.0.1 with a background task worker")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    commands.add(
        "tasks-worker", cmd_tasks_worker, "run background tasks (imports, billing) from the database queue"
    )
    manage = commands.raw("manage", "any Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage, json=False)
