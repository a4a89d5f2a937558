from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html

from jaring.core.labels import label_of
from jaring.core.rules import date_as_written, mask_name

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


@register.filter
def samarkan(value: object) -> str:
    """A name masked for documents that leave the office (a donor's list): "S**** A*****"."""
    return mask_name(str(value or ""))


@register.filter
def label(value: object, vocabulary: str) -> str:
    """`{{ claim.claim_type|label:"claim_type" }}`: the words for a code (core.labels)."""
    return label_of(vocabulary, value)


@register.filter
def persen(value: object) -> str:
    """A probability as people read it: 0.9991 -> "99,9 %" (never "1,000")."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return f"{number * 100:.1f} %".replace(".", ",")


@register.filter
def place(code: object, names: object) -> str:
    """`{{ w.village_code|place:places }}`: a region's name from a map the view read once (regions'
    region_labels), the code itself when the map has none."""
    text = str(code or "")
    found = names.get(text) if isinstance(names, dict) else None
    return str(found) if found else text


@register.filter
def tanggal(value: object) -> str:
    """A date as people write it here: 1965-04-28 -> 28-04-1965 (core.rules.date_as_written)."""
    return date_as_written(str(value or ""))


_CODE_AT_END = re.compile(r"\s*\[([A-Z][A-Z0-9_]{2,})\]\s*$")


@register.filter
def pesan(value: object) -> str:
    """A message as a sentence with its stable code in small print: "... salah. [VA_INVALID]" ->
    "... salah. <small class="muted code">VA_INVALID</small>" (issue #14: codes are not the message)."""
    text = str(value or "")
    found = _CODE_AT_END.search(text)
    if not found:
        return conditional_escape(text)
    return format_html('{} <small class="muted code">{}</small>', text[: found.start()], found.group(1))
