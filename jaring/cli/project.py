"""Commands of the project as a whole: `jaring migrate` (tables, then cards for workers who never had one)
and `jaring user add` (a login with its role and scope)."""

from __future__ import annotations

import argparse
import time

from django.core.management import call_command

from jaring.core.cli import Commands, Output
from jaring.core.errors import ErrorCode, NotFound
from jaring.core.rules import ROLE_LABELS, Role
from jaring.core.selectors import SYSTEM
from jaring.core.services import user_create
from jaring.funding.selectors import sponsor_find
from jaring.registry.services import memberships_issue_missing


def cmd_migrate(args: argparse.Namespace) -> Output:
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0 if args.json else 1)
    # Databases from before decision 0010 hold workers who never got a card: they get one (idempotent).
    cards = memberships_issue_missing(actor=None)
    return Output(
        {"migrated": True, "cards_issued": cards, "seconds": round(time.perf_counter() - started, 2)},
        lambda d: (
            "Migrasi selesai."
            + (f" {d['cards_issued']:,} kartu KPJ diterbitkan." if d["cards_issued"] else "")
        ),
    )


def cmd_user_add(args: argparse.Namespace) -> Output:
    if args.sponsor and sponsor_find(viewer=SYSTEM, key=args.sponsor) is None:
        raise NotFound(
            f"Sponsor '{args.sponsor}' tidak dikenal.", code=ErrorCode.SPONSOR_NOT_FOUND, field="sponsor"
        )
    user, password = user_create(
        username=args.username, role=Role(args.role), region_code=args.region, branch_code=args.branch,
        sponsor_ref=args.sponsor, actor=None,
    )  # fmt: skip
    data = {"username": user.get_username(), "role": args.role, "region": args.region, "branch": args.branch,
            "password": password}  # fmt: skip
    label = ROLE_LABELS[Role(args.role)]
    return Output(data, lambda d: (f"Pengguna {d['username']} ({label}) dibuat. Kata sandi awal: {d['password']}"
                                   " (tampil sekali; minta pengguna menggantinya)."))  # fmt: skip


def register(commands: Commands) -> None:
    commands.add("migrate", cmd_migrate, "create or update the database tables")
    users = commands.group("user", "logins and their roles")
    user_add = users.add("add", cmd_user_add, "create a login with a role and its region or branch")
    user_add.add_argument("username")
    user_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    user_add.add_argument(
        "--region", default="", help="region code: province/regency (region), village (village)"
    )
    user_add.add_argument("--branch", default="", help="branch office code (branch), e.g. KC-TGR-CKP")
    user_add.add_argument("--sponsor", default="", help="sponsor code (sponsor), e.g. pt-contoh-tbk")
