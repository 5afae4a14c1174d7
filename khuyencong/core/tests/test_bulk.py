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
