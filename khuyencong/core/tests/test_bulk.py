import pytest

from khuyencong.core.bulk import rows_where_in
from khuyencong.geography.models import AdminUnit

pytestmark = pytest.mark.django_db


def test_rows_where_in_matches_a_list_longer_than_any_parameter_limit():
    wanted = ["01", "79", "Bà Rịa – không phải mã"]
    values = wanted + [f"X{n}" for n in range(70_000)]  # over SQLite's 32,766 and PostgreSQL's 65,535 parameters
    rows = set(rows_where_in(AdminUnit.objects.model, "code", values, ["code", "level"]))
    expected = set(AdminUnit.objects.filter(code__in=wanted).values_list("code", "level"))
    assert rows == expected
    assert ("01", "province") in rows


def test_rows_where_in_with_nothing_to_match_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(rows_where_in(AdminUnit, "code", [], ["code"])) == []


def _region_row(pk: int, code: str) -> tuple:
    return (pk, code, "socio_economic", f"Vùng {code}", 0)


REGION_COLUMNS = ["id", "code", "kind", "name", "sort_order"]


def test_ids_handed_out_are_never_handed_out_again_after_a_bulk_insert():
    """Ids reserved by a writer that has not inserted yet (another transaction, still open) stay its own: a bulk
    insert with explicit ids, and the sequence reset loaders call after it, move the sequence forward only. (The
    old reset set it back to the highest id in the table, and the next create collided with the pending writer.)"""
    from django.db import connection

    from khuyencong.core.bulk import insert_rows, reserve_ids, reset_sequence
    from khuyencong.geography.models import Region

    mine = reserve_ids(Region, 1)
    pending = reserve_ids(Region, 5)  # as a concurrent import would, after this one and before inserting
    insert_rows(Region, REGION_COLUMNS, [_region_row(mine[0], "vung-thu-nhat")])
    reset_sequence(Region)
    created = Region.objects.create(code="vung-tao-thuong", kind="socio_economic", name="Vùng tạo thường")
    if connection.vendor == "postgresql":
        assert created.pk not in pending and created.pk > mine[0]
    else:  # SQLite: writers are serialised, there is nothing pending; ids follow the table's highest
        assert created.pk == mine[0] + 1
    assert Region.objects.filter(pk__in=[mine[0], created.pk]).count() == 2


def test_explicit_ids_move_the_sequence_past_them():
    """A loader that writes ids of its own (the demo dataset) leaves the next create a free id, with or without
    calling reset_sequence."""
    from khuyencong.core.bulk import insert_rows, next_id
    from khuyencong.geography.models import Region

    start = next_id(Region) + 100
    insert_rows(Region, REGION_COLUMNS, [_region_row(start + n, f"vung-nap-{n}") for n in range(3)])
    created = Region.objects.create(code="vung-sau-nap", kind="socio_economic", name="Vùng sau nạp")
    assert created.pk == start + 3


def test_next_id_does_not_give_again_the_id_of_a_deleted_row():
    """The history of a deleted row keeps its id: a loader's next id is past it (SQLite's AUTOINCREMENT counter,
    PostgreSQL's sequence)."""
    from khuyencong.core.bulk import next_id
    from khuyencong.geography.models import Region

    last = Region.objects.create(code="vung-se-xoa", kind="socio_economic", name="Vùng sẽ xóa")
    Region.objects.filter(pk=last.pk).delete()
    assert next_id(Region) > last.pk
