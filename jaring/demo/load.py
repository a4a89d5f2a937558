"""The demo data set: synthetic lists taken through the real intake (which issues every worker a card), one
login per role. Running it again with the same seed changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jaring.core.rules import ROLE_LABELS, Role
from jaring.core.selectors import SYSTEM
from jaring.core.services import user_profile_set
from jaring.demo.claims import claims_demo
from jaring.demo.funding import CSR_REF, DONOR_REF, funding_demo
from jaring.demo.ledger import MONTHS as LEDGER_MONTHS
from jaring.demo.ledger import ledger_demo
from jaring.demo.synthetic import SEED_REGIONS, PeopleFactory, generate_lists
from jaring.imports.models import BatchStatus
from jaring.imports.services import import_commit, import_stage, import_upload
from jaring.insights.selectors import targets_of as coverage_targets
from jaring.insights.services import coverage_refresh, coverage_refresh_pending, coverage_target_set
from jaring.linkage.services import dedupe_run
from jaring.regions.models import NikPrefix, Region
from jaring.regions.services import regions_load
from jaring.registry.models import Membership, Worker

DEMO_PASSWORD = "jaring-demo-2026"

Progress = Callable[[str, int, int], None]


def _seed_villages() -> list[str]:
    codes: list[str] = []
    for prefix in SEED_REGIONS:
        codes += Region.objects.filter(level=4, code__startswith=prefix + ".").values_list("code", flat=True)
    return codes


def demo_users(*, first_village: str) -> list[dict[str, str]]:
    """One login per role, scoped to the seed regions."""
    User = get_user_model()
    specs = [
        ("admin", Role.ADMIN, "", ""),
        ("cabang", Role.BRANCH, "", "KC-TGR-CKP"),
        ("pemda", Role.REGION, "36.03", ""),
        ("desa", Role.VILLAGE, first_village, ""),
        ("agen", Role.AGENT, first_village[:8], ""),
        ("sponsor", Role.SPONSOR, "", CSR_REF),  # the CSR manager of the demo company
        ("donatur", Role.SPONSOR, "", DONOR_REF),  # GN Lingkaran, a donor
    ]
    out = []
    with transaction.atomic():
        for username, role, region, scope in specs:
            branch = scope if role == Role.BRANCH else ""
            sponsor_ref = scope if role == Role.SPONSOR else ""
            user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": role == Role.ADMIN})
            if role == Role.ADMIN:
                user.is_superuser = True
                user.is_staff = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            user_profile_set(user=user, role=role, region_code=region, branch_code=branch, sponsor_ref=sponsor_ref,
                             actor=None)  # fmt: skip
            label = "Donatur (GN Lingkaran)" if username == "donatur" else ROLE_LABELS[role]
            out.append({"username": username, "password": DEMO_PASSWORD, "role": label,
                        "scope": region or scope or "semua"})  # fmt: skip
    return out


def demo_load(
    *, workers: int, seed: int, out_dir: Path, progress: Progress | None = None
) -> dict[str, object]:
    if not Region.objects.filter(level=4).exists():
        regions_load(actor=None)
    villages = _seed_villages()
    known = list(NikPrefix.objects.filter(digits__regex=r"^\d{6}$").values_list("digits", flat=True))
    factory = PeopleFactory(seed=seed, villages=villages, known_districts=known, today=timezone.localdate())
    _, lists = generate_lists(factory=factory, workers=workers, out_dir=out_dir)
    report = []
    created = 0
    batch_ids = []
    for i, generated in enumerate(lists):
        if progress:
            progress("daftar", i, len(lists))
        with open(generated.path, "rb") as fh:
            upload = import_upload(
                stream=fh, file_name=generated.path.name, source=generated.source, viewer=SYSTEM, actor=None
            )
        batch = import_stage(batch_id=upload.batch.pk)
        if batch.status == BatchStatus.STAGED:
            batch = import_commit(batch_id=batch.pk, viewer=SYSTEM, actor=None, check_duplicates=False)
        created += batch.created_workers if upload.created else 0
        batch_ids.append(batch.pk)
        report.append({"file": str(generated.path), "batch_id": batch.pk, "rows": batch.rows, "accepted": batch.accepted,
                       "rejected": batch.rejected, "status": batch.status, "new": upload.created})  # fmt: skip
    if progress:
        progress("daftar", len(lists), len(lists))
    # Every committed list gave its workers their cards (decision 0010): no worker waits without one.
    cards = Membership.objects.filter(worker__created_batch_id__in=batch_ids).count()
    first_village = (
        Worker.objects.filter(created_batch_id__in=batch_ids)
        .order_by("id")
        .values_list("village_id", flat=True)
        .first()
    )
    users = demo_users(first_village=first_village or villages[0])
    funding = funding_demo(today=timezone.localdate(), months_back=LEDGER_MONTHS)
    ledger = ledger_demo(seed=seed, out_dir=out_dir, today=timezone.localdate())
    claims = claims_demo(today=timezone.localdate())
    # The regency's list repeats people the villages registered, some without a NIK: the review queue.
    dedupe = dedupe_run(actor=None)
    # Kab. Tangerang's own denominator (seed 002: 75,000 vulnerable workers targeted from the APBD), then the
    # coverage figures of everything above, as the refresh job would leave them.
    if not coverage_targets(viewer=SYSTEM, region_code="36.03"):  # once: the demo runs again without change
        coverage_target_set(region_code="36.03", workers=75_000, source="Pemkab Tangerang, target APBD (seed 002)",
                            year=2022, viewer=SYSTEM, actor=None)  # fmt: skip
    refreshed = coverage_refresh_pending() or coverage_refresh(periods=None)
    return {
        "workers_created": created,
        "cards_issued": cards,
        "lists": report,
        "users": users,
        "funding": funding,
        "ledger": ledger,
        "claims": claims,
        "duplicates": {"pairs_found": dedupe.pairs_found, "proposed": dedupe.proposed},
        "coverage": {"months": len(refreshed.periods), "rows": refreshed.rows},
        "out_dir": str(out_dir),
    }
