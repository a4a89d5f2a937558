"""How numbers read on a page (issue #14): a probability as a percentage, never "1,000"."""

from __future__ import annotations

import pytest

from jaring.core.templatetags.jaring_format import persen


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.9991, "99,9 %"),
        (1.0, "100,0 %"),
        (0.5, "50,0 %"),
        (0, "0,0 %"),
        ("0.25", "25,0 %"),
        (None, ""),
        ("x", ""),
    ],
)
def test_a_probability_reads_as_a_percentage(value: object, shown: str) -> None:
    assert persen(value) == shown


@pytest.mark.parametrize(
    ("message", "html"),
    [
        ("Nomor VA salah. [VA_INVALID]", 'Nomor VA salah. <small class="muted code">VA_INVALID</small>'),
        ("Tanpa kode.", "Tanpa kode."),
        ("<b>x</b> [X_CODE]", '&lt;b&gt;x&lt;/b&gt; <small class="muted code">X_CODE</small>'),  # escaped
        ("Kode di tengah [A_B] lalu teks", "Kode di tengah [A_B] lalu teks"),
    ],
)
def test_a_message_reads_as_a_sentence_with_its_code_in_small_print(message: str, html: str) -> None:
    """Issue #14: error messages read as sentences; the stable code stays available in small print."""
    from jaring.core.templatetags.jaring_format import pesan  # noqa: PLC0415

    assert str(pesan(message)) == html


@pytest.mark.parametrize(("value", "text"), [("1965-04-28", "28-04-1965"), ("1965-**-**", "**-**-1965"),
                                             ("", ""), ("28-04-1965", "28-04-1965")])  # fmt: skip
def test_dates_as_people_write_them(value: str, text: str) -> None:
    from jaring.core.templatetags.jaring_format import tanggal  # noqa: PLC0415

    assert tanggal(value) == text
