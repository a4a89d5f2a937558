"""Commands of the project as a whole: `jaring migrate` (tables, then cards for workers who never had one)
`jaring user add` (a login with its role and scope) and `jaring token issue|revoke|list` (API tokens)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management import call_command

from jaring.core.cli import Commands, Output
from jaring.core.errors import ErrorCode, NotFound
from jaring.core.rules import ROLE_LABELS, Role
from jaring.core.selectors import SYSTEM, api_tokens
from jaring.core.services import api_token_issue, api_token_revoke, user_create
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


def _token_out(token: Any) -> dict[str, Any]:
    def at(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {"id": token.pk, "prefix": token.prefix, "name": token.name, "user": token.user.get_username(),
            "created_at": at(token.created_at), "expires_at": at(token.expires_at),
            "last_used_at": at(token.last_used_at), "revoked_at": at(token.revoked_at)}  # fmt: skip


def cmd_token_issue(args: argparse.Namespace) -> Output:
    token, key = api_token_issue(username=args.username, name=args.name, days=args.days, actor=None)
    return Output({**_token_out(token), "token": key},
                  lambda d: (f"Token {d['prefix']} untuk {d['user']} ({d['name']}): {d['token']}\n"
                             "Simpan sekarang: kunci ini tidak dapat ditampilkan lagi."))  # fmt: skip


def cmd_token_revoke(args: argparse.Namespace) -> Output:
    token = api_token_revoke(token=args.token, actor=None)
    return Output(_token_out(token), lambda d: f"Token {d['prefix']} ({d['user']}) dicabut.")


def cmd_token_list(args: argparse.Namespace) -> Output:
    rows = [_token_out(t) for t in api_tokens(username=args.user)]
    return Output({"items": rows}, lambda d: "\n".join(
        f"{r['id']:>4} {r['prefix']} {r['user']:<20} {r['name']:<30} "
        + ("dicabut" if r["revoked_at"] else f"terakhir dipakai {r['last_used_at'] or '-'}")
        for r in d["items"]) or "Belum ada token.")  # fmt: skip


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
    tokens = commands.group("token", "API tokens of partner systems (acting as a user, with its scope)")
    issue = tokens.add("issue", cmd_token_issue, "issue a token for a user; the key is printed once")
    issue.add_argument("username")
    issue.add_argument("--name", required=True, help="what it is for, e.g. 'SIPD Kab. Tangerang'")
    issue.add_argument(
        "--days", type=int, default=None, help="valid for this many days (default: until revoked)"
    )
    revoke = tokens.add("revoke", cmd_token_revoke, "revoke a token by its id or prefix")
    revoke.add_argument("token")
    listing = tokens.add("list", cmd_token_list, "tokens, newest first (never their keys)")
    listing.add_argument("--user", default="", help="only this user's tokens")
