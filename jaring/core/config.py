"""Typed access to the JARING settings (read on each call: tests and administrators may change them)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def setting_int(name: str) -> int:
    return int(settings.JARING[name])


def setting_path(name: str) -> Path:
    return Path(settings.JARING[name])
