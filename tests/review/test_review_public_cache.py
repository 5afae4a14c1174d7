# mypy: disable-error-code="union-attr"
"""Review: the public pages are cached (cache_page, 5 minutes) inside the view, before the session and locale
middlewares add `Vary: Cookie`: the first visitor's page, with their name, role, organisation, scope and CSRF
token, is what every later visitor of the same URL gets.

    .venv/bin/python -m pytest -q -p no:xdist tests/review/test_review_public_cache.py
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import login

pytestmark = pytest.mark.django_db


def _token(body: str) -> str:
    return re.search(r'X-CSRFToken": "([^"]+)"', body).group(1)


@pytest.mark.parametrize("url", ["/public/?from=probe", "/public/data/?from=probe"])
def test_a_logged_in_officers_page_is_served_to_anonymous_visitors(world, url):
    cache.clear()
    officer = world.users["officer"]
    officer_page = login(Client(), officer).get(url).content.decode()
    assert officer.get_full_name() in officer_page  # the user menu of the officer's own page
    anonymous_page = Client().get(url).content.decode()
    assert officer.get_full_name() not in anonymous_page, "an anonymous visitor sees the officer's name and menu"
    assert _token(anonymous_page) != _token(officer_page), "an anonymous visitor gets the officer's CSRF token"


def test_another_user_gets_the_first_users_page(world):
    cache.clear()
    url = "/public/?from=probe2"
    officer, auditor = world.users["officer"], world.users["auditor"]
    first = login(Client(), officer).get(url).content.decode()
    second = login(Client(), auditor).get(url).content.decode()
    assert officer.get_full_name() not in second or officer.get_full_name() == auditor.get_full_name()
    assert _token(first) != _token(second)
