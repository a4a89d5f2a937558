"""Upload: the file kept, its hash recognised (the same bytes again return the earlier batch)."""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import transaction

from jaring.core.audit import AuditAction, Entity
from jaring.core.config import setting_int, setting_path
from jaring.core.errors import Conflict, ErrorCode, FileRejected, PermissionDenied, ValidationFailed
from jaring.core.rules import common_region, may_import
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, audit_record
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.imports.selectors import original_path
from jaring.regions.selectors import region_get
from jaring.registry.rules import rows as record

ALLOWED_SUFFIXES = {".xlsx", ".xls", ".csv", ".txt"}


@dataclass(frozen=True)
class UploadResult:
    batch: ImportBatch
    created: bool  # False: the same file was uploaded before; nothing changed (True again to retry a fault)


def import_upload(
    *,
    stream: IO[bytes],
    file_name: str,
    source: str,
    default_village_code: str = "",
    viewer: Viewer,
    actor: Actor,
) -> UploadResult:
    """Keep the file and open a batch for it. The same bytes uploaded again return the earlier batch."""
    if not may_import(viewer.role):
        raise PermissionDenied("Peran Anda tidak boleh mengunggah daftar pekerja.")
    suffix = Path(file_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise FileRejected(
            f"Jenis berkas '{suffix or file_name}' tidak didukung. Unggah berkas .xlsx, .xls atau .csv.",
            code=ErrorCode.FILE_TYPE_UNSUPPORTED,
            field="file",
        )
    source = " ".join(source.split())
    if not source:
        raise ValidationFailed(
            "Isi sumber daftar (misalnya 'Desa Cangkudu, Juni 2026').",
            code=ErrorCode.SOURCE_MISSING,
            field="source",
        )
    default_village_code = record.village_code_normalise(default_village_code) if default_village_code else ""
    if not default_village_code and viewer.region_codes and viewer.region_codes[0].count(".") == 3:
        default_village_code = viewer.region_codes[0]  # a village operator's own village
    if default_village_code:
        region = region_get(code=default_village_code)
        if region is None or region.level != 4:
            raise ValidationFailed(
                f"Kode desa '{default_village_code}' tidak dikenal.",
                code=ErrorCode.VILLAGE_UNKNOWN,
                field="default_village_code",
            )
        if not viewer.may_see_region(default_village_code):
            raise PermissionDenied("Desa ini di luar wilayah kerja Anda.", field="default_village_code")

    max_bytes = setting_int("IMPORT_MAX_BYTES")
    tmp_dir = setting_path("IMPORT_DIR") / "incoming"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"upload-{time.time_ns()}{suffix}"
    digest = hashlib.sha256()
    size = 0
    try:
        with open(tmp, "wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FileRejected(
                        f"Berkas lebih besar dari {max_bytes // (1024 * 1024)} MB. Bagi daftar menjadi beberapa berkas.",
                        code=ErrorCode.FILE_TOO_LARGE,
                        field="file",
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise FileRejected("Berkas kosong.", code=ErrorCode.FILE_EMPTY, field="file")
        sha = digest.hexdigest()
        existing = ImportBatch.objects.filter(file_sha256=sha).first()
        if existing is not None:
            if not _may_see_batch(viewer, existing):
                raise Conflict(
                    "Berkas yang sama sudah diunggah oleh pengguna lain.",
                    code=ErrorCode.FILE_ALREADY_UPLOADED,
                )
            # A check that stopped on a system fault (not on the file) may be run again with the same file.
            retried = ImportBatch.objects.filter(
                pk=existing.pk, status=BatchStatus.FAILED, error_code="STAGE_FAILED"
            ).update(status=BatchStatus.QUEUED, error_code="", error_message="")
            existing.refresh_from_db()
            return UploadResult(existing, created=bool(retried))
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                file_name=Path(file_name).name[:255],
                file_sha256=sha,
                file_size=size,
                source=source[:200],
                default_village_code=default_village_code,
                # Until its rows are read the batch belongs to the uploader's regions (then: rows_region).
                region_code="" if viewer.all_regions else common_region(list(viewer.region_codes)),
                created_by_id=viewer.user_id,
            )
            target = original_path(batch)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(tmp), target)
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT_UPLOAD,
                entity_type=Entity.IMPORT_BATCH,
                entity_id=batch.pk,
                batch_ref=f"import-{batch.pk}",
                changes={"file_name": batch.file_name, "sha256": sha, "size": size, "source": batch.source},
            )
        return UploadResult(batch, created=True)
    finally:
        tmp.unlink(missing_ok=True)


def _may_see_batch(viewer: Viewer, batch: ImportBatch) -> bool:
    return (
        viewer.all_regions
        or batch.created_by_id == viewer.user_id
        or bool(batch.region_code and viewer.may_see_region(batch.region_code))
    )
