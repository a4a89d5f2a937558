"""Claim documents are checked whole and served under safe names (issue #13): `%PDF-<script>` saved as
`evil.html` was accepted on its first five bytes and served with that name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from jaring.claims.factories import covered_member, pdf_bytes, png_bytes
from jaring.claims.models import Claim, ClaimDocument
from jaring.claims.rules import ClaimType
from jaring.claims.services import claim_document_add, claim_file
from jaring.contributions.factories import at
from jaring.core.errors import FileRejected
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _claims_dir(tmp_path: Path, settings: pytest.FixtureRequest) -> None:
    settings.JARING = {**settings.JARING, "CLAIMS_DIR": tmp_path / "claims"}  # type: ignore[attr-defined]


def _claim() -> Claim:
    worker = covered_member()
    return claim_file(nik=worker.nik or "", claim_type=ClaimType.JKM, event=at("2026-10-20").date(), viewer=SYSTEM,
                      actor=None)  # fmt: skip


def _add(claim: Claim, data: bytes, name: str) -> ClaimDocument:
    return claim_document_add(claim_id=claim.pk, doc_type="death_certificate", stream=io.BytesIO(data),
                              file_name=name, viewer=SYSTEM, actor=None)  # fmt: skip


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 90, 90)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"%PDF-<script>alert(document.cookie)</script>", "evil.html", "FILE_CORRUPT"),  # the attack
        (pdf_bytes()[:200], "akta.pdf", "FILE_CORRUPT"),  # a PDF cut short
        (png_bytes()[:60], "akta.png", "FILE_CORRUPT"),  # a PNG cut short
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "akta.jpg", "FILE_CORRUPT"),  # a JPEG header and nothing
        (b"GIF89a" + b"\x00" * 40, "akta.gif", "FILE_TYPE_NOT_ALLOWED"),
    ],
)
def test_a_file_that_is_not_a_whole_document_is_refused(data: bytes, name: str, code: str) -> None:
    claim = _claim()
    with pytest.raises(FileRejected) as caught:
        _add(claim, data, name)
    assert caught.value.code == code and caught.value.field == "file" and not ClaimDocument.objects.exists()


def test_an_image_beyond_the_pixel_bound_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 megapixels in a small file
    with pytest.raises(FileRejected) as caught:
        _add(_claim(), out.getvalue(), "besar.png")
    assert caught.value.code == "FILE_TOO_LARGE"


@pytest.mark.parametrize(("data", "kind", "ext"), [(pdf_bytes(), "application/pdf", ".pdf"),
                                                   (png_bytes(), "image/png", ".png"), (_jpeg(), "image/jpeg", ".jpg")])  # fmt: skip
def test_whole_documents_are_kept_under_their_real_type(data: bytes, kind: str, ext: str) -> None:
    document = _add(_claim(), data, "evil.html")
    assert document.content_type == kind and document.stored_as.endswith(ext)


def test_a_document_is_served_under_a_safe_name_with_its_real_type(client: Client) -> None:
    claim = _claim()
    document = _add(claim, pdf_bytes(), 'akta"; filename="evil.html')
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    response = client.get(reverse("claims:document_download", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{claim.number}-death_certificate-{document.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff" and "evil" not in response["Content-Disposition"]
