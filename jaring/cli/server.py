"""`jaring serve` (the web app on loopback with a background worker), `tasks-worker` and `manage`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from django.core.management import call_command, execute_from_command_line

from jaring.core.cli import Commands, Output, UsageError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _nothing(d: dict[str, object]) -> str:
    return ""


def cmd_serve(args: argparse.Namespace) -> Output:
    if args.host not in LOOPBACK:
        raise UsageError("jaring serve: listens on loopback only (127.0.0.1)")
    os.environ["JARING_SERVE_STATIC"] = "1"
    worker = subprocess.Popen([sys.executable, "-m", "jaring.cli", "tasks-worker"])
    try:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    finally:
        worker.terminate()
    return Output({}, _nothing)


def cmd_tasks_worker(args: argparse.Namespace) -> Output:
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
