"""A fixed-window counter per key in Django's cache: enough to keep a public lookup from being used as an
oracle (issue #13). The laptop's cache is per process; production sets a shared CACHES backend."""

from __future__ import annotations

import time

from django.core.cache import cache


def allow(*, scope: str, key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one request of `key` in the current window; False once more than `limit` came in it."""
    slot = int(time.time() // window_seconds)
    name = f"jaring-rate:{scope}:{key}:{slot}"
    cache.add(name, 0, timeout=window_seconds + 60)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window_seconds + 60)
        count = 1
    return count <= limit
