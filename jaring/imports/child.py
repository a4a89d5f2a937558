"""`python -m jaring.imports.child BATCH_ID`: one batch's check, in a process of its own with a memory limit
(`staging.import_stage_isolated`). Whatever a file does to this process, the background worker survives it."""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    import django  # noqa: PLC0415 (settings first)

    django.setup()
    from jaring.imports.services import import_stage  # noqa: PLC0415 (after django.setup)

    import_stage(batch_id=int(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
