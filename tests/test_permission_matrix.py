"""The permission matrix (issue #13), generated from the URL configuration and the OpenAPI document: every page
and every API route, as every role and as nobody, on a record inside the role's scope and on one outside it,
reading and writing. A new page or route fails `test_every_route_is_in_the_matrix` until it is given its
permission and the kind of record it opens.

What must hold, everywhere:
- no answer is a server error;
- nobody signed in gets nothing but the sign-in page (pages) or 401 (API), except the public pages;
- a role without the route's permission is refused (403), reading or writing, and a refused write writes
  nothing (no audit event, the record unchanged);
- a record outside the role's scope is never shown (403 or 404) and never written;
- inside its scope, a role with the permission reads the page (the matrix is not vacuous)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model, Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from jaring.claims.models import Claim, ClaimDocument
from jaring.contributions.models import Bill, Payer, Payment
from jaring.contributions.selectors import card_token
from jaring.core.models import AuditEvent
from jaring.core.rules import Permission, Role, may
from jaring.core.selectors import SYSTEM
from jaring.demo.load import demo_load
from jaring.funding.models import Program, Sponsor
from jaring.imports.models import ImportBatch
from jaring.linkage.models import CandidatePair, Merge, NikConflict
from jaring.linkage.services import nik_check_record, pair_merge
from jaring.registry.models import ContactChangeProposal, Membership, Worker

pytestmark = pytest.mark.django_db

SIGNED_IN = "signed_in"  # any role
PUBLIC = "public"

# Every page: (what it needs, the kind of record each path argument names, whether it writes).
PAGES: dict[str, tuple[Permission | str, tuple[str, ...], bool]] = {
    "home": (SIGNED_IN, (), False),
    "jobs": (SIGNED_IN, (), False),
    "login": (PUBLIC, (), False),
    "logout": (PUBLIC, (), True),
    "password_change": (SIGNED_IN, (), False),
    "set_language": (PUBLIC, (), True),
    "registry:worker_list": (SIGNED_IN, (), False),
    "registry:worker_register": (Permission.REGISTER_WORKERS, (), False),
    "registry:worker_detail": (SIGNED_IN, ("worker",), False),
    "registry:proposal_decide": (Permission.EDIT_WORKERS, ("proposal_worker", "proposal"), True),
    "imports:batch_list": (SIGNED_IN, (), False),
    "imports:template": (SIGNED_IN, (), False),
    "imports:batch_detail": (SIGNED_IN, ("batch",), False),  # rows only for those who see personal data
    "imports:batch_commit": (Permission.IMPORT, ("batch",), True),
    "imports:batch_issues": (Permission.IMPORT, ("batch",), False),
    "imports:batch_rejected": (Permission.SEE_PERSONAL_DATA, ("batch",), False),
    "contributions:bill_list": (SIGNED_IN, (), False),
    "contributions:bill_detail": (SIGNED_IN, ("bill",), False),
    "contributions:bill_xlsx": (SIGNED_IN, ("bill",), False),
    "contributions:bill_pdf": (SIGNED_IN, ("bill",), False),
    "contributions:payment_list": (SIGNED_IN, (), False),
    "contributions:reconciliation": (Permission.HANDLE_PAYMENTS, (), False),
    "contributions:payment_resolve": (Permission.HANDLE_PAYMENTS, ("payment",), True),
    "contributions:arrears": (SIGNED_IN, (), False),
    "contributions:coverage": (SIGNED_IN, ("worker",), False),
    "contributions:card_pdf": (SIGNED_IN, ("worker",), False),
    "contributions:village_cards": (SIGNED_IN, (), False),
    "public_check": (PUBLIC, (), False),
    "region_options": (SIGNED_IN, (), False),
    "card_check": (PUBLIC, ("card",), False),
    "funding:program_list": (SIGNED_IN, (), False),
    "funding:program_create": (Permission.MANAGE_FUNDING, (), False),
    "funding:program_detail": (SIGNED_IN, ("program",), False),
    "funding:program_allocate": (Permission.MANAGE_FUNDING, ("program",), True),
    "funding:sponsor_list": (SIGNED_IN, (), False),
    "funding:donation": (Permission.MANAGE_FUNDING, (), False),
    "funding:donation_receipt": (SIGNED_IN, ("program",), False),
    "funding:plan": (SIGNED_IN, (), False),
    "funding:ending": (SIGNED_IN, (), False),
    "funding:overlap": (SIGNED_IN, (), False),
    "claims:claim_list": (Permission.REPORT_CLAIMS, (), False),
    "claims:claim_file": (Permission.REPORT_CLAIMS, (), True),
    "claims:claim_detail": (Permission.REPORT_CLAIMS, ("claim",), False),
    "claims:claim_document": (Permission.REPORT_CLAIMS, ("claim",), True),
    "claims:claim_step": (Permission.REPORT_CLAIMS, ("claim",), True),
    "claims:scholarship_file": (Permission.REPORT_CLAIMS, ("claim",), True),
    "claims:document_download": (Permission.DECIDE_CLAIMS, ("document",), False),
    "claims:status": (PUBLIC, (), False),
    "claims:worker_claims": (SIGNED_IN, ("worker",), False),  # empty for roles without claims
    "linkage:queue": (Permission.REVIEW_DUPLICATES, (), False),
    "linkage:pair": (Permission.REVIEW_DUPLICATES, ("pair",), False),
    "linkage:pair_decide": (Permission.REVIEW_DUPLICATES, ("pair",), True),
    "linkage:merges": (Permission.REVIEW_DUPLICATES, (), False),
    "linkage:merge_undo": (Permission.ADMINISTER, ("merge",), True),
    "linkage:settings": (Permission.ADMINISTER, (), True),
    "linkage:conflicts": (Permission.REVIEW_DUPLICATES, (), False),
    "linkage:conflict_resolve": (Permission.REVIEW_DUPLICATES, ("conflict",), True),
    "insights:dashboard": (Permission.SEE_COVERAGE, (), False),
    "insights:export": (Permission.SEE_COVERAGE, (), False),
    "insights:report_pdf": (Permission.SEE_COVERAGE, (), False),
    "insights:geo": (Permission.SEE_COVERAGE, (), False),
    "insights:ranking": (Permission.SEE_COVERAGE, (), False),
    "insights:goals": (Permission.SEE_COVERAGE, (), False),
    "insights:target": (Permission.SET_TARGETS, (), False),
}
# Every API route (the OpenAPI operation id's path and method): the same, by path.
ROUTES: dict[tuple[str, str], tuple[Permission | str, tuple[str, ...], bool]] = {
    ("GET", "/api/v1/regions/"): (SIGNED_IN, (), False),
    ("GET", "/api/v1/regions/{code}/children"): (SIGNED_IN, ("region",), False),
    ("POST", "/api/v1/workers/search"): (SIGNED_IN, (), False),
    ("GET", "/api/v1/workers/{worker_id}"): (SIGNED_IN, ("worker",), False),
    ("PATCH", "/api/v1/workers/{worker_id}"): (Permission.EDIT_WORKERS, ("worker",), True),
    ("POST", "/api/v1/workers/"): (Permission.REGISTER_WORKERS, (), True),
    ("POST", "/api/v1/imports/"): (Permission.IMPORT, (), True),
    ("GET", "/api/v1/imports/{batch_id}"): (SIGNED_IN, ("batch",), False),
    ("GET", "/api/v1/imports/{batch_id}/issues"): (Permission.IMPORT, ("batch",), False),
    ("POST", "/api/v1/imports/{batch_id}/commit"): (Permission.IMPORT, ("batch",), True),
    ("GET", "/api/v1/contributions/bills"): (SIGNED_IN, (), False),
    ("GET", "/api/v1/contributions/bills/{bill_id}"): (SIGNED_IN, ("bill",), False),
    ("POST", "/api/v1/contributions/billing-runs"): (Permission.HANDLE_PAYMENTS, (), True),
    ("POST", "/api/v1/contributions/payments"): (Permission.HANDLE_PAYMENTS, (), True),
    ("POST", "/api/v1/contributions/payments/notify"): (PUBLIC, (), True),  # signed by the bank instead
    ("GET", "/api/v1/contributions/workers/{worker_id}/coverage"): (SIGNED_IN, ("worker",), False),
    ("GET", "/api/v1/contributions/workers/{worker_id}/card"): (SIGNED_IN, ("worker",), False),
    ("GET", "/api/v1/funding/programs"): (SIGNED_IN, (), False),
    ("POST", "/api/v1/funding/programs"): (Permission.MANAGE_FUNDING, (), True),
    ("POST", "/api/v1/funding/programs/{program_id}/allocate"): (
        Permission.MANAGE_FUNDING,
        ("program",),
        True,
    ),
    ("GET", "/api/v1/funding/budget-plan"): (SIGNED_IN, (), False),
    ("GET", "/api/v1/funding/ending"): (SIGNED_IN, (), False),
    ("GET", "/api/v1/claims/disability-table"): (SIGNED_IN, (), False),
    ("POST", "/api/v1/claims/assess"): (Permission.REPORT_CLAIMS, (), False),
    ("POST", "/api/v1/claims/"): (Permission.REPORT_CLAIMS, (), True),
    ("GET", "/api/v1/claims/"): (Permission.REPORT_CLAIMS, (), False),
    ("GET", "/api/v1/claims/{claim_id}"): (Permission.REPORT_CLAIMS, ("claim",), False),
    ("POST", "/api/v1/claims/{claim_id}/steps"): (Permission.DECIDE_CLAIMS, ("claim",), True),
    ("POST", "/api/v1/claims/{claim_id}/reject"): (Permission.DECIDE_CLAIMS, ("claim",), True),
    ("GET", "/api/v1/insights/coverage"): (Permission.SEE_COVERAGE, (), False),
}
# Query strings a page needs to show its record (none of them personal data); {village} is the demo village.
QUERIES = {"contributions:village_cards": "?desa={village}"}
EMPTY_FOR_SPONSOR = {"contributions:village_cards"}  # a sponsor's scope holds no village: 400, none chosen

# Where each kind of record lives: the lookup of its village (or region) code.
KINDS: dict[str, tuple[type[Model], str]] = {
    "worker": (Worker, "village__code"),
    "card": (Membership, "worker__village__code"),
    "proposal_worker": (ContactChangeProposal, "worker__village__code"),
    "proposal": (ContactChangeProposal, "worker__village__code"),
    "batch": (ImportBatch, "region_code"),
    "bill": (Bill, "payer__village__code"),
    "payment": (Payment, "payer__village__code"),
    "program": (Program, "sponsor__region_code"),
    "claim": (Claim, "worker__village__code"),
    "document": (ClaimDocument, "claim__worker__village__code"),
    "pair": (CandidatePair, "worker_a__village__code"),
    "merge": (Merge, "survivor__village__code"),
    "conflict": (NikConflict, "worker__village__code"),
}
OUTSIDE = "35.25"  # Kab. Gresik: outside every demo login's scope but the administrator's
ROLES = {"admin": Role.ADMIN, "cabang": Role.BRANCH, "pemda": Role.REGION, "desa": Role.VILLAGE,
         "agen": Role.AGENT, "sponsor": Role.SPONSOR}  # fmt: skip


def _pages() -> Iterator[tuple[str, URLPattern]]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) in ("admin/", "api/v1/"):
                    continue  # Django's admin (staff only, its own tests) and the API (ROUTES)
                yield from walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name:
                yield f"{namespace}{p.name}", p

    return walk(get_resolver().url_patterns, "")


def _routes() -> set[tuple[str, str]]:
    from jaring.api import api  # noqa: PLC0415

    document = api.get_openapi_schema()
    return {(m.upper(), path) for path, ops in document["paths"].items() for m in ops}


def test_every_route_is_in_the_matrix() -> None:
    pages = {name for name, _ in _pages()} - {"static"}
    assert pages == set(PAGES), (
        f"pages missing from the matrix: {pages - set(PAGES)}; gone: {set(PAGES) - pages}"
    )
    assert _routes() == set(ROUTES), (
        f"API routes missing: {_routes() - set(ROUTES)}; gone: {set(ROUTES) - _routes()}"
    )


@dataclass
class Result:
    failures: list[str]

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)


def _record(kind: str, *, inside: Q | None) -> int | None:
    model, lookup = KINDS[kind]
    query = model.objects.all()  # type: ignore[attr-defined]
    query = query.filter(inside) if inside is not None else query.filter(**{f"{lookup}__startswith": OUTSIDE})
    if kind == "proposal_worker":
        found = query.values_list("worker_id", flat=True).first()
    else:
        found = query.values_list("pk", flat=True).first()
    return found


def _scope_q(role_region: str, kind: str) -> Q:
    _, lookup = KINDS[kind]
    return (
        Q(**{f"{lookup}__startswith": role_region})
        if role_region
        else ~Q(**{f"{lookup}__startswith": OUTSIDE})
    )


def _move_worker(worker_id: int, village: str) -> None:
    Worker.objects.filter(pk=worker_id).update(village_id=village, district_code=village[:8],
                                               regency_code=village[:5], province_code=village[:2])  # fmt: skip


def _place(kind: str, village: str, *, skip: int) -> None:
    """Put one record of a kind where the matrix needs it (a demo record moved, as a list could have put it):
    the demo data set puts most of what it makes in Kab. Tangerang."""
    model, _ = KINDS[kind]
    found = model.objects.order_by("pk")[skip : skip + 1].first()  # type: ignore[attr-defined]
    if found is None:
        return
    if kind in ("worker",):
        _move_worker(found.pk, village)
    elif kind in ("claim", "conflict", "proposal"):
        _move_worker(found.worker_id, village)
    elif kind == "document":
        _move_worker(found.claim.worker_id, village)
    elif kind == "pair":
        _move_worker(found.worker_a_id, village)
        _move_worker(found.worker_b_id, village)
    elif kind == "merge":
        _move_worker(found.survivor_id, village)
    elif kind == "batch":
        ImportBatch.objects.filter(pk=found.pk).update(region_code=village)
    elif kind in ("bill", "payment"):
        Payer.objects.filter(pk=found.payer_id).update(village_id=village, district_code=village[:8],
                                                       regency_code=village[:5], province_code=village[:2])  # fmt: skip
    elif kind == "program":
        Program.objects.filter(pk=found.pk).update(region_codes=village)
        Sponsor.objects.filter(pk=found.sponsor_id).update(region_code=village)


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    demo_load(workers=300, seed=5, out_dir=tmp_path)
    from jaring.core.models import UserProfile  # noqa: PLC0415

    village = UserProfile.objects.get(user__username="desa").region_code
    gresik = "35.25.01.2001"
    for kind in KINDS:
        if kind == "proposal_worker":
            continue
        _place(kind, village, skip=0)
        _place(kind, gresik, skip=1)
    # The demo merges nothing and records one NIK case: one merge and one case on each side of the scopes.
    for skip, where in ((0, village), (1, gresik)):
        pair = CandidatePair.objects.order_by("pk")[skip]  # placed above
        pair_merge(pair_id=pair.pk, reason="matrix", viewer=SYSTEM, actor=None)
        worker = Worker.objects.filter(village_id=where, merged_into__isnull=True).first()
        assert worker is not None
        nik_check_record(
            worker_id=worker.pk, name="Sutrisno", birth_date="1980", village_code=where, user_id=None
        )
    return {"users": {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}}


def _path(pattern_name: str, args: tuple[str, ...], ids: list[int | None]) -> str | None:
    from django.urls import reverse  # noqa: PLC0415

    if any(i is None for i in ids):
        return None
    parts = [
        card_token(membership_id=i) if kind == "card" and i else i for kind, i in zip(args, ids, strict=True)
    ]
    return reverse(pattern_name, args=parts) if args else reverse(pattern_name)


def test_every_page_and_route_as_every_role_inside_and_outside_its_scope(world: dict[str, Any]) -> None:
    result = Result([])
    regions = {"admin": "", "cabang": "36.03", "pemda": "36.03", "desa": "", "agen": "", "sponsor": None}
    from jaring.core.models import UserProfile  # noqa: PLC0415

    for username in ("desa", "agen"):
        regions[username] = UserProfile.objects.get(user__username=username).region_code
    checked = 0
    driven: set[tuple[str, str]] = set()
    # a village with workers inside each role's scope (the demo village is not in Kab. Tangerang)
    villages = {who: Worker.objects.filter(village__code__startswith=scope).values_list("village_id", flat=True).first()
                for who, scope in regions.items() if scope is not None}  # fmt: skip
    for name, (needs, args, writes) in PAGES.items():
        if name in ("logout", "set_language", "login"):
            continue  # signing in and out, the language switch: core/tests
        for who in (None, *ROLES):
            client = Client()
            role = ROLES.get(who or "")
            if who:
                client.force_login(world["users"][who])
            for where in ("inside", "outside"):
                if not args and where == "outside":
                    continue
                scope = regions.get(who or "admin")
                if args and where == "inside":
                    if scope is None:
                        continue  # a sponsor's scope is the workers it funds: funding/tests
                    ids = [_record(k, inside=_scope_q(scope, k)) for k in args]
                elif args:
                    ids = [_record(k, inside=None) for k in args]
                else:
                    ids = []
                path = _path(name, args, ids)
                if path is None:
                    continue  # no such record in this role's scope: the coverage check below counts the rest
                driven.add((name, where))
                path += QUERIES.get(name, "").format(village=villages.get(who or "admin", ""))
                before = AuditEvent.objects.count()
                response = client.post(path, {}) if writes else client.get(path)
                status = response.status_code
                label = (
                    f"{'POST' if writes else 'GET'} {path} ({name}) as {who or 'nobody'} {where}: {status}"
                )
                checked += 1
                result.check(status < 500, f"server error: {label}")
                if needs == PUBLIC:
                    continue  # for everyone: only no server error (the public pages' own tests say the rest)
                if who is None:
                    result.check(
                        status == 302 and "/login/" in response["Location"], f"not to sign-in: {label}"
                    )
                    continue
                assert role is not None
                allowed = needs in (SIGNED_IN, PUBLIC) or may(role, needs)  # type: ignore[arg-type]
                if not allowed:
                    result.check(status in ((403, 404) if args else (403,)), f"not refused: {label}")
                elif where == "outside" and role != Role.ADMIN:
                    result.check(status in (403, 404), f"outside the scope shown: {label}")
                elif not writes and where == "inside":
                    shown = 400 if role == Role.SPONSOR and name in EMPTY_FOR_SPONSOR else 200
                    result.check(status == shown, f"not shown inside the scope: {label}")
                if (not allowed or (where == "outside" and role != Role.ADMIN)) and writes:
                    result.check(AuditEvent.objects.count() == before, f"a refused write wrote: {label}")
    checked += _api(world, regions, result)
    assert not result.failures, "\n".join(result.failures)
    expected = {
        (n, w) for n, (_, a, _) in PAGES.items() for w in (("inside", "outside") if a else ("inside",))
    }
    expected -= {("logout", "inside"), ("set_language", "inside"), ("login", "inside")}
    assert expected - driven == set(), f"never driven with a record: {sorted(expected - driven)}"
    assert checked > 500  # every route was driven, not skipped


def _api(world: dict[str, Any], regions: dict[str, str | None], result: Result) -> int:
    """The API routes: the same rules; a refused write may also be refused as malformed first (422), since
    the matrix sends an empty body (each app's test_api refuses well-formed writes by role)."""
    checked = 0
    for (method, template), (needs, args, writes) in ROUTES.items():
        if needs == PUBLIC:
            continue  # the bank's notification: signed, contributions/tests/test_api.py
        for who in (None, *ROLES):
            client = Client()
            role = ROLES.get(who or "")
            if who:
                client.force_login(world["users"][who])
            for where in ("inside", "outside") if args else ("inside",):
                scope = regions.get(who or "admin")
                if args and args[0] == "region":
                    ids: list[int | str | None] = ["36.03" if where == "inside" else "35.25"]
                elif args and where == "inside":
                    if scope is None:
                        continue
                    ids = [_record(k, inside=_scope_q(scope, k)) for k in args]
                else:
                    ids = [_record(k, inside=None) for k in args]
                if any(i is None for i in ids):
                    continue
                path = template
                for part, value in zip(template.split("{")[1:], ids, strict=False):
                    path = path.replace("{" + part.split("}")[0] + "}", str(value))
                before = AuditEvent.objects.count()
                query = "?payer_type=mandiri&months=3&workers=2" if "budget-plan" in path else ""
                response = client.generic(method, path + query, "{}" if method != "GET" else "",
                                          content_type="application/json")  # fmt: skip
                status = response.status_code
                label = f"{method} {path} as {who or 'nobody'} {where}: {status}"
                checked += 1
                result.check(status < 500, f"server error: {label}")
                if who is None:
                    result.check(status == 401, f"not 401: {label}")
                    continue
                assert role is not None
                allowed = needs == SIGNED_IN or may(role, needs)  # type: ignore[arg-type]
                refused = (400, 403, 404, 422) if method != "GET" else ((403, 404) if args else (403,))
                if not allowed:
                    result.check(status in refused, f"not refused: {label}")
                elif where == "outside" and role != Role.ADMIN and args[0] != "region":
                    result.check(status in (403, 404, 422), f"outside the scope shown: {label}")
                elif not writes and where == "inside" and method == "GET":
                    result.check(status == 200, f"not shown inside the scope: {label}")
                if writes and (not allowed or where == "outside"):
                    result.check(AuditEvent.objects.count() == before, f"a refused write wrote: {label}")
    return checked
