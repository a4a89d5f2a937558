from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def settings_override(tmp_path: Path) -> Iterator[None]:
    """Claim documents under a temporary folder, and the size limit restored afterwards."""
    before = dict(settings.JARING)
    settings.JARING["CLAIMS_DIR"] = tmp_path / "claims"
    yield
    settings.JARING.clear()
    settings.JARING.update(before)
