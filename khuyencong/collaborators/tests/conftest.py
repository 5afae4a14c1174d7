"""Shared fixtures of the collaborators' tests: Vietnamese messages, and a province with its staff, three communes
and a collaborator covering the first two (with a login)."""

import pytest
from django.utils import translation

from .factories import appoint, communes, staff


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world():
    people = staff()
    places = communes("68", 3)
    collaborator = appoint(people["officer"], places[:2])
    return {**people, "places": places, "collaborator": collaborator, "user": collaborator.user}
