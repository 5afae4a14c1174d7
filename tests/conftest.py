"""Fixtures of the generated suites: one world per test module (built once, inside a transaction rolled back at the
end of the module; every test runs in its own savepoint on top), and clients logged in as each role."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    from .world import build_world

    with django_db_blocker.unblock(), translation.override("vi"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def login(client: Client, user: Any) -> Client:
    """Log `client` in as `user`; an account that needs two-factor gets a verified session (its confirmed device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if getattr(user, "requires_two_factor", False):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert device is not None, f"{user} needs a confirmed device"
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_user(db: Any) -> Any:
    """`as_user(user)`: a fresh test client logged in as `user` (verified when two-factor applies)."""

    def make(user: Any) -> Client:
        return login(Client(), user)

    return make
