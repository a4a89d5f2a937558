"""`jaring dedupe` and `jaring duplicates list`: the JSON the issue names."""

from __future__ import annotations

import json

import pytest

from jaring.cli import main
from jaring.linkage.tests.test_services import _same_person_twice

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_dedupe_then_list(capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _same_person_twice()
    code, out = run(capsys, "dedupe", "--json")
    assert code == 0 and (out["pairs_found"], out["proposed"], out["auto_merged"]) == (1, 1, 0)
    assert isinstance(out["seconds"], float)
    code, out = run(capsys, "duplicates", "list", "--json")
    (pair,) = out["pairs"]
    assert pair["probability"] >= 0.9
    assert [w["id"] for w in pair["workers"]] == [a.pk, b.pk] and pair["workers"][1]["nik"] == ""
    assert set(pair["workers"][0]) == {"id", "nik", "name", "birth_date", "village_code"}
    code, out = run(capsys, "dedupe", "--json")
    assert (out["pairs_found"], out["proposed"]) == (1, 0)  # a re-run proposes nothing new


def test_dedupe_of_an_unknown_batch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "dedupe", "--batch", "9999", "--json")
    assert code == 1 and out["error"]["code"] == "BATCH_NOT_FOUND"
