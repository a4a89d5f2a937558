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
