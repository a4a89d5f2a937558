from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest
from django.db import connection

from jaring.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jaring.core.factories import make_viewer
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.registry import rules
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE, nik_for, worker_cells
from jaring.registry.models import Membership, Worker
from jaring.registry.services import (
    memberships_issue_missing,
    memberships_register,
    name_key_expr,
    worker_register,
    worker_update,
    workers_bulk_create,
)
from jaring.registry.tests.helpers import add_worker

pytestmark = pytest.mark.django_db


def test_register_one_worker_by_the_rules_of_a_list_row() -> None:
    worker = add_worker(full_name="SITI AMINAH", sex="P", nik=nik_for(sex="P"))
    assert worker.full_name == "Siti Aminah" and worker.name_key == "siti aminah"
    assert (worker.village_id, worker.district_code, worker.regency_code, worker.province_code) == (
        VILLAGE, "36.03.01", "36.03", "36",
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="worker.register", entity_id=str(worker.pk)).exists()


def test_register_refuses_a_bad_row_with_the_field() -> None:
    with pytest.raises(ValidationFailed) as exc:
        worker_register(data=worker_cells(nik="123"), viewer=SYSTEM, actor=None)
    assert (exc.value.code, exc.value.field) == ("NIK_LENGTH", "nik")
    assert Worker.objects.count() == 0


def test_one_nik_one_worker() -> None:
    nik = nik_for()
    add_worker(nik=nik)
    with pytest.raises(Conflict) as exc:
        add_worker(nik=nik, full_name="Orang Lain")
    assert exc.value.code == "NIK_ALREADY_REGISTERED"


def test_workers_without_nik_may_be_many() -> None:
    add_worker(nik="", sex="L")
    add_worker(nik="", sex="L", full_name="Joko")
    assert Worker.objects.filter(nik__isnull=True).count() == 2


def test_village_operator_cannot_register_outside_their_village() -> None:
    _, viewer = make_viewer(Role.VILLAGE, region_code=VILLAGE)
    with pytest.raises(PermissionDenied):
        worker_register(data=worker_cells(village_code=OTHER_REGENCY_VILLAGE), viewer=viewer, actor=None)


def test_update_keeps_old_values_in_the_audit_trail() -> None:
    worker = add_worker(phone="081111111111")
    user, viewer = make_viewer(Role.BRANCH, branch_code="KC-TGR-CKP")
    worker_update(
        worker_id=worker.pk,
        changes={"phone": "082222222222", "address": "Jl. Baru"},
        viewer=viewer,
        actor=user,
    )
    worker.refresh_from_db()
    assert worker.phone == "082222222222"
    event = AuditEvent.objects.get(action="worker.update")
    assert event.changes["phone"] == ["081111111111", "082222222222"]
    assert event.actor_id == user.pk


def test_update_validates_the_changed_field() -> None:
    worker = add_worker()
    with pytest.raises(ValidationFailed) as exc:
        worker_update(worker_id=worker.pk, changes={"income_tier": 500_000}, viewer=SYSTEM, actor=None)
    assert exc.value.code == "INCOME_OUT_OF_RANGE"
    with pytest.raises(ValidationFailed):
        worker_update(worker_id=worker.pk, changes={"nik": "1"}, viewer=SYSTEM, actor=None)


def test_update_outside_scope_is_not_found_and_roles_without_edit_right_are_refused() -> None:
    worker = add_worker()
    _, gresik = make_viewer(Role.BRANCH, branch_code="KC-GRS")
    with pytest.raises(NotFound):
        worker_update(worker_id=worker.pk, changes={"phone": "082222222222"}, viewer=gresik, actor=None)
    _, sponsor = make_viewer(Role.SPONSOR)
    with pytest.raises(PermissionDenied):
        worker_update(worker_id=worker.pk, changes={"phone": "082222222222"}, viewer=sponsor, actor=None)


def test_moving_a_worker_updates_the_region_columns() -> None:
    worker = add_worker()
    worker_update(
        worker_id=worker.pk, changes={"village_code": OTHER_REGENCY_VILLAGE}, viewer=SYSTEM, actor=None
    )
    worker.refresh_from_db()
    assert (worker.regency_code, worker.province_code) == ("35.25", "35")


def test_registering_a_worker_issues_a_unique_valid_card_once() -> None:
    workers = [add_worker(), add_worker(), add_worker()]
    ids = [w.pk for w in workers]
    assert Membership.objects.filter(worker_id__in=ids, status="active").count() == 3
    assert memberships_register(worker_ids=ids, actor=None) == 0
    kpjs = list(Membership.objects.values_list("kpj", flat=True))
    assert len(set(kpjs)) == 3 and all(rules.kpj_valid(k) for k in kpjs)


def test_backfill_gives_a_card_to_every_worker_that_never_had_one_and_is_idempotent() -> None:
    """Databases from before decision 0010 hold workers without a card; an ended card is never replaced."""
    workers = [add_worker(), add_worker(), add_worker()]
    Membership.objects.filter(worker=workers[0]).delete()
    Membership.objects.filter(worker=workers[1]).delete()
    Membership.objects.filter(worker=workers[2]).update(status="ended")
    assert memberships_issue_missing(actor=None) == 2
    assert memberships_issue_missing(actor=None) == 0
    assert Membership.objects.filter(worker=workers[2]).count() == 1
    assert Membership.objects.filter(worker_id__in=[w.pk for w in workers[:2]], status="active").count() == 2
    assert AuditEvent.objects.filter(action="membership.register_bulk").exists()


def test_birth_date_change_is_checked_against_the_age_window() -> None:
    worker = add_worker()
    with pytest.raises(ValidationFailed) as exc:
        worker_update(
            worker_id=worker.pk, changes={"birth_date": dt.date(2015, 1, 1)}, viewer=SYSTEM, actor=None
        )
    assert exc.value.code == "AGE_OUT_OF_RANGE"


@pytest.mark.parametrize(
    "name",
    [
        "H. Moh. Yusuf, S.Pd.",
        "  SITI   AMINAH ",
        "Nur'aini",
        "Ẓulaikha binti Ahmad",
        "İsmail",
        "O'Neil-Putra",
        "",
        "Ⅻ Budi",
    ],
)
def test_the_column_name_key_equals_the_scalar_one(name: str) -> None:
    column = pl.DataFrame({"n": [name]}).select(name_key_expr(pl.col("n")))["n"][0]
    assert column == rules.name_key(name)


def test_bulk_insert_keeps_nulls_empty_strings_and_awkward_text() -> None:
    # On PostgreSQL these rows travel as CSV into COPY: NULL and "" must stay apart, and commas, quotes and
    # line breaks must survive.
    rows = pl.DataFrame(
        {
            "nik": [None, nik_for()],
            "full_name": ['Siti "Ncek", Aminah', "Budi\nSantoso"],
            "sex": ["P", "L"],
            "birth_place": ["", "Tangerang"],
            "birth_date": [dt.date(1985, 4, 12), None],
            "mother_name": ["", "N'Dang"],
            "address": ["Jl. Mawar, RT 01", "\\N"],
            "village_code": [VILLAGE, VILLAGE],
            "phone": ["", "081234567890"],
            "occupation": ["petani", "ojek"],
            "occupation_text": ["", ""],
            "ecosystem": ["rentan", "rentan"],
            "sector": ["other", "transport"],
            "income_tier": [1_000_000, 2_000_000],
            "poverty_decile": [None, 3],
        },
        schema_overrides={"poverty_decile": pl.Int64, "nik": pl.String},
    )
    assert workers_bulk_create(rows=rows, batch_id=None, actor_id=None) == 2
    first = Worker.objects.get(full_name='Siti "Ncek", Aminah')
    assert (first.nik, first.phone, first.birth_place, first.poverty_decile) == (None, "", "", None)
    assert first.birth_date == dt.date(1985, 4, 12) and first.address == "Jl. Mawar, RT 01"
    assert first.name_key == "siti ncek aminah" and first.regency_code == "36.03"
    second = Worker.objects.get(phone="081234567890")
    assert second.full_name == "Budi\nSantoso" and second.address == "\\N" and second.birth_date is None
    assert second.mother_name == "N'Dang" and second.poverty_decile == 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_card_number_equals_the_rule(seed: int) -> None:
    """Cards of a committed list are numbered inside the database (rules.kpj_sql); each is the rule's."""
    rng = random.Random(seed)
    sequences = [1, 9, 10, 7992739871, 10**10 - 1] + [rng.randrange(1, 10**10) for _ in range(300)]
    values = " UNION ALL ".join(f"SELECT {n} AS n" for n in sequences)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.n, {rules.kpj_sql('v.n')} FROM ({values}) v")
        got = dict(cursor.fetchall())
    assert {n: got[n] for n in sequences} == {n: rules.kpj_number(n) for n in sequences}


def test_a_lists_cards_follow_the_counter_in_worker_order() -> None:
    workers = [add_worker() for _ in range(4)]
    Membership.objects.filter(worker__in=workers).delete()
    assert memberships_issue_missing(actor=None) == 4
    kpjs = [Membership.objects.get(worker=w).kpj for w in workers]
    assert all(rules.kpj_valid(k) for k in kpjs)
    assert [int(k[:10]) for k in kpjs] == sorted(int(k[:10]) for k in kpjs)  # consecutive, in id order
    assert len({int(k[:10]) for k in kpjs}) == 4
