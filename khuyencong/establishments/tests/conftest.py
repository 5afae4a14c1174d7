"""Fixtures of the registry's tests."""

import pytest


@pytest.fixture
def officer(make_user):
    """A provincial officer of Lâm Đồng (68), the province of the registry's test records."""
    return make_user("provincial_officer", province="68")
