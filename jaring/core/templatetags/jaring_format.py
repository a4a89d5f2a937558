from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def ribuan(value: object) -> str:
    """1234567 -> 1.234.567 (Indonesian thousands separator)."""
    try:
        return f"{int(str(value)):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.filter
def rupiah(value: object) -> str:
    text = ribuan(value)
    return f"Rp {text}" if text else ""
