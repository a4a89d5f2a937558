"""What the registry announces, so that higher apps react without the app that caused it knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that registered a committed list's workers (registry.services.workers_intake),
# with `batch_id`, `nik_conflicts` (rows whose NIK is registered to a clearly different person: sheet, row,
# worker_id, name, birth_date, village_code) and `check_duplicates` (False when the caller checks the whole
# registry itself, as the demo does). Duplicate detection subscribes (linkage.apps).
workers_registered = Signal()

# Sent when someone registers a worker whose NIK is registered outside their scope: nothing is registered, the
# case waits for the branch (issue #13). Arguments: `worker_id` (the registered worker), `name`, `birth_date`,
# `village_code` (what was typed) and `user_id`. The NIK-conflict queue subscribes (linkage.apps).
nik_check_requested = Signal()
