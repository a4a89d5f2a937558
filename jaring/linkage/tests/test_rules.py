"""Indonesian name normalisation for duplicate detection (issue #3): spellings, titles, degrees, bin/binti."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.demo.synthetic import FAMILY, FEMALE, MALE, VARIANTS, name_variant
from jaring.registry.rules.names import name_normalise, name_parts, names_clearly_differ


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Muhammad Yusuf", "muhamad yusuf"),
        ("Mohamad Yusup", "muhamad yusuf"),
        ("Moh. Yusuf", "muhamad yusuf"),
        ("M. Yusuf", "muhamad yusuf"),
        ("MOCHAMMAD YOESOEF", "muhamad yusuf"),
        ("Yusuf M.", "yusuf m"),  # a trailing M is an initial, not Muhammad
        ("H. Ahmad Hidayat", "ahmad hidayat"),
        ("Hj. Siti Aminah", "siti aminah"),
        ("Dr. H. Achmad Hidayat, S.E., M.M.", "ahmad hidayat"),
        ("Budi Santoso S.Pd", "budi santoso"),
        ("Budi Santoso, S.Pd.", "budi santoso"),
        ("Rina Wati A.Md.", "rina wati"),
        ("Ahmad bin Yusuf", "ahmad"),
        ("Siti Aminah binti Abdul Rahman", "siti aminah"),
        ("Sitti Aminah", "siti aminah"),
        ("St. Aminah", "siti aminah"),
        ("Nurul Hidayah", "nur hidayah"),
        ("Noer Hidayah", "nur hidayah"),
        ("Nur'aini", "nuraini"),
        ("Soekarno", "sukarno"),
        ("Djoko Santoso", "joko santoso"),
        ("Tjahjo Kumolo", "cahyo kumolo"),
        ("Djojo", "joyo"),
        ("Joko Widodo", "joko widodo"),
        ("Soejono", "suyono"),
        ("Hassan", "hasan"),
        ("Ẓulaikha", "zulaikha"),
        ("Siti (Ina) Aminah", "siti aminah"),
        ("  SITI   AMINAH  ", "siti aminah"),
        ("Haji", "haji"),  # a title alone is kept: it is all there is
        ("", ""),
    ],
)
def test_name_normalise(written: str, normalised: str) -> None:
    assert name_normalise(written) == normalised


def test_the_patronym_is_kept_apart() -> None:
    parts = name_parts("Ahmad bin Yusuf, S.Ag.")
    assert (parts.given, parts.patronym) == ("ahmad", "yusuf")
    assert name_parts("Bin Laden").given == "bin laden"  # "bin" first is a name, not a marker


@pytest.mark.parametrize("canonical", sorted(VARIANTS))
def test_every_spelling_the_generator_uses_normalises_alike(canonical: str) -> None:
    for variant in VARIANTS[canonical]:
        assert name_normalise(f"{variant} Santoso") == name_normalise(f"{canonical} Santoso"), variant


def test_generated_title_and_degree_variants_normalise_to_the_original() -> None:
    rng = random.Random(5)
    same = 0
    for _ in range(500):
        sex = rng.choice("LP")
        name = f"{rng.choice(MALE if sex == 'L' else FEMALE)} {rng.choice(FAMILY)}"
        variant = name_variant(rng, name, sex)
        same += name_normalise(variant) == name_normalise(name)
    # Typos and dropped family names remain for the probabilistic model; titles, degrees, spellings and
    # capitals do not.
    assert same > 0.6 * 500


@given(st.text(max_size=40))
def test_normalising_is_idempotent_and_ascii(text: str) -> None:
    once = name_normalise(text)
    assert name_normalise(once) == once
    assert once.isascii() and "  " not in once and once == once.strip()


@pytest.mark.parametrize(
    ("a", "b", "differ"),
    [
        ("Budi Santoso", "Siti Aminah", True),
        ("Budi Santoso", "H. Budi Santoso, S.Pd.", False),
        ("Budi", "Budi Santoso", False),
        ("Mohamad Yusuf", "Muhammad Yusup", False),
        ("Ahmad bin Yusuf", "Yusuf Ahmad", False),
        ("Ahmad bin Yusuf", "Yusuf", True),  # the father's name is not the person's
        ("", "Budi", False),  # nothing to compare
    ],
)
def test_names_clearly_differ(a: str, b: str, differ: bool) -> None:
    assert names_clearly_differ(a, b) is differ
