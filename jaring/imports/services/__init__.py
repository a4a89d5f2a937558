"""Staged bulk intake: upload (file kept, hash recognised), stage (every row validated, nothing written to the
registry), commit (accepted rows in one transaction). A file that cannot be read fails whole and leaves only
its batch record with the reason."""

from jaring.imports.services.commit import CONTACT_FIELDS, import_commit
from jaring.imports.services.staging import (
    NIK_NAME_MISMATCH,
    STAGED_SCHEMA,
    batches_interrupted,
    import_stage,
    import_stage_isolated,
)
from jaring.imports.services.upload import ALLOWED_SUFFIXES, UploadResult, import_upload

__all__ = [
    "UploadResult",
    "import_upload",
    "ALLOWED_SUFFIXES",
    "batches_interrupted",
    "import_stage",
    "import_stage_isolated",
    "STAGED_SCHEMA",
    "NIK_NAME_MISMATCH",
    "import_commit",
    "CONTACT_FIELDS",
]
