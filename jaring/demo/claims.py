"""Claims for the demo, in every state, for workers the ledger really covers (their month paid before the
event) and one it does not: reported, documents complete, verified, approved (by another clerk), paid,
rejected by the rules (month paid after the accident) and rejected by a clerk."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from jaring.claims.factories import pdf_bytes
from jaring.claims.models import Claim
from jaring.claims.rules import REQUIRED_DOCUMENTS, Aid, ClaimType, Injury, Mode
from jaring.claims.services import claim_advance, claim_document_add, claim_file, claim_reject
from jaring.contributions.models import BillLine, LineStatus
from jaring.core.selectors import SYSTEM, viewer_for
from jaring.core.types import Period

PDF = pdf_bytes("Dokumen contoh Jaring (demo)")
PLAN: list[tuple[ClaimType, int, dict[str, object]]] = [  # type, steps taken (0 reported .. 4 paid), inputs
    (ClaimType.JKM, 0, {}),
    (ClaimType.JKK_MEDICAL, 1, {"amount": 3_750_000}),
    (ClaimType.JKK_STMB, 2, {"days": 45}),
    (ClaimType.JKK_TRANSPORT, 3, {"mode": Mode.SEA, "amount": 2_400_000}),
    (ClaimType.JKM, 4, {}),
    (
        ClaimType.JKK_PARTIAL_DISABILITY,
        4,
        {"injuries": [Injury("telunjuk_kanan"), Injury("jari_lain_kanan", Decimal(50))]},
    ),
    (ClaimType.JKK_HOME_CARE, 2, {"amount": 4_800_000, "days": 60}),  # PP 82/2019: home care
    (ClaimType.JKK_AIDS, 1, {"aid": Aid.GLASSES, "amount": 1_350_000}),  # capped at Rp 1,000,000
]


def claims_demo(*, today: dt.date) -> dict[str, int]:
    """Idempotent: a registry that already has claims is left as it is."""
    if Claim.objects.exists():
        return {"claims": 0}
    users = get_user_model().objects.filter(username__in=["cabang", "admin"]).order_by("username")
    by_name = {u.get_username(): u for u in users}
    clerk, head = by_name.get("cabang"), by_name.get("admin")
    clerk_view = viewer_for(clerk) if clerk else None
    head_view = viewer_for(head) if head else None
    if clerk_view is None or head_view is None:
        return {"claims": 0}
    month = Period.of(today).plus(-1)
    event = month.first_day() + dt.timedelta(days=19)
    cutoff = timezone.make_aware(dt.datetime.combine(event, dt.time.max))
    covered: list[str] = [nik for nik in (
        BillLine.objects.filter(clerk_view.region_q(prefix="worker__"), period=str(month), status=LineStatus.PAID,
                                paid_at__lte=cutoff, worker__nik__isnull=False)
        .order_by("worker_id").values_list("worker__nik", flat=True)[: len(PLAN) + 1]
    ) if nik]  # fmt: skip
    late = (
        BillLine.objects.filter(clerk_view.region_q(prefix="worker__"), period=str(month), status=LineStatus.PAID,
                                paid_at__gt=cutoff, worker__nik__isnull=False)
        .order_by("worker_id").values_list("worker__nik", flat=True).first()
    )  # fmt: skip
    made = 0
    for nik, (claim_type, steps, inputs) in zip(covered, PLAN, strict=False):
        claim = claim_file(nik=nik, claim_type=claim_type, event=event, viewer=clerk_view, actor=clerk,
                           reported_at=timezone.make_aware(dt.datetime.combine(event + dt.timedelta(days=1), dt.time(9))),
                           **inputs)  # type: ignore[arg-type]  # demo plan inputs  # fmt: skip
        made += 1
        if steps >= 1:
            for doc_type in sorted(REQUIRED_DOCUMENTS[claim_type]):
                claim_document_add(claim_id=claim.pk, doc_type=doc_type, stream=io.BytesIO(PDF),
                                   file_name=f"{doc_type}.pdf", viewer=clerk_view, actor=clerk)  # fmt: skip
        for step in range(1, steps + 1):
            # The clerk checks documents and verifies; the head of the branch approves and pays (four eyes).
            actor, view = (clerk, clerk_view) if step <= 2 else (head, head_view)
            claim_advance(claim_id=claim.pk, viewer=view, actor=actor, beneficiary_name="Ahli waris / peserta",
                          bank="BRI", account_number="0021-01-000123-50-9", payment_reference=f"TRF-{claim.number}")  # fmt: skip
    if len(covered) > len(PLAN):
        odd = claim_file(nik=covered[len(PLAN)], claim_type=ClaimType.JKK_STMB, event=event, days=10,
                         viewer=clerk_view, actor=clerk)  # fmt: skip
        claim_reject(claim_id=odd.pk, code="not_work_related", reason="Kecelakaan di luar hubungan kerja (demo)",
                     viewer=clerk_view, actor=clerk)  # fmt: skip
        made += 1
    if late:
        claim_file(
            nik=late,
            claim_type=ClaimType.JKK_MEDICAL,
            event=event,
            amount=1_200_000,
            viewer=SYSTEM,
            actor=None,
        )
        made += 1  # recorded as rejected: the month was paid after the accident
    return {"claims": made}
