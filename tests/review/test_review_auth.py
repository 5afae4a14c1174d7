"""Review: two-factor and API tokens.

.venv/bin/python -m pytest -q -p no:xdist tests/review/test_review_auth.py
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts.models import ApiToken, TwoFactorEvent
from khuyencong.accounts.services import api_token_create
from khuyencong.core.history import update_with_history
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _client(user):
    return login(Client(raise_request_exception=False), user)


def _password_only(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _token(user, access="write", verified=False, code=""):
    user = type(user).objects.get(pk=user.pk)
    user.is_verified = lambda: verified
    _t, key = api_token_create(user=user, name="probe", access=access, code=code)
    return _t, key


def _api(key, scheme="Token"):
    return Client(raise_request_exception=False, headers={"Authorization": f"{scheme} {key}"})


# ---- administrators read and write other people's second factor without a record ------------------------------


def test_admin_reads_an_approvers_totp_secret(world):
    """A verified system administrator opens /admin/otp_totp/totpdevice/<id>/change/ of an approver's device: the
    TOTP key (hex) is on the page, so the administrator can compute the approver's codes from then on."""
    approver = world.users["approver"]
    device = TOTPDevice.objects.get(user=approver, confirmed=True)
    client = _client(world.users["admin"])
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 404, "devices are not in the admin (they change only through the audited services)"
    assert device.key not in page.content.decode(), "the approver's TOTP secret is shown to the administrator"


def test_admin_adds_a_totp_device_to_an_approver_and_no_two_factor_event_is_recorded(world):
    """POST /admin/otp_totp/totpdevice/add/ for the approver with a key the administrator chose: a second confirmed
    authenticator on the approver's account; TwoFactorEvent (the history of second factors) says nothing."""
    approver = world.users["approver"]
    before = TwoFactorEvent.objects.filter(user=approver).count()
    client = _client(world.users["admin"])
    response = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {"user": approver.pk, "name": "admin's", "confirmed": "on", "key": "3132333435363738393031323334353637383930",
         "step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0, "last_t": -1,
         "throttling_failure_count": 0},
    )  # fmt: skip
    added = TOTPDevice.objects.filter(user=approver, name="admin's", confirmed=True).exists()
    events = TwoFactorEvent.objects.filter(user=approver).count()
    assert not (added and events == before), (
        f"admin added a confirmed authenticator to an approver ({response.status_code}); TwoFactorEvent rows "
        f"{before} -> {events}"
    )


def test_admin_adds_backup_codes_to_an_approver_and_no_event_is_recorded(world):
    approver = world.users["approver"]
    client = _client(world.users["admin"])
    client.post(
        "/admin/otp_static/staticdevice/add/",
        {"user": approver.pk, "name": "backup2", "confirmed": "on", "throttling_failure_count": 0,
         "token_set-TOTAL_FORMS": 1, "token_set-INITIAL_FORMS": 0, "token_set-0-token": "12345678"},
    )  # fmt: skip
    added = StaticDevice.objects.filter(user=approver, name="backup2").exists()
    assert not (added and not TwoFactorEvent.objects.filter(user=approver).exists()), (
        "admin added backup codes to an approver with no TwoFactorEvent"
    )
    # The approver's password-only session then verifies with the administrator's code.
    if added:
        session = _password_only(approver)
        response = session.post("/accounts/two-factor/", {"token": "12345678"})
        assert response.status_code == 302


# ---- tokens ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_token_cannot_write(world, method):
    _t, key = _token(world.users["officer"], access="read")
    client = _api(key)
    project = world.own["project"]
    response = getattr(client, method)(
        f"/api/v1/projects/{project.pk}/steps/request_adjustment/", "{}", content_type="application/json"
    )
    assert response.status_code in (401, 403, 405), response.status_code


def test_method_override_headers_do_not_turn_a_get_into_a_write(world):
    _t, key = _token(world.users["officer"], access="read")
    client = _api(key)
    record = world.own["establishment"]
    before = record.history.count()
    for header in ("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"):
        client.get(f"/api/v1/establishments/{record.pk}/?_method=PATCH&name=x", headers={header: "PATCH"})
    assert record.history.count() == before


def test_token_of_an_officer_who_becomes_approver_cannot_take_steps(world):
    from khuyencong.accounts.models import User

    officer = world.users["officer"]
    _t, key = _token(officer, access="write")
    update_with_history(User.objects.filter(pk=officer.pk), user=None, role="provincial_approver")
    response = _api(key).get("/api/v1/me/")
    assert response.status_code == 403, response.status_code


def test_token_of_an_officer_made_staff(world):
    from khuyencong.accounts.models import User

    officer = world.users["officer"]
    _t, key = _token(officer, access="write")
    update_with_history(User.objects.filter(pk=officer.pk), user=None, is_staff=True)
    assert _api(key).get("/api/v1/me/").status_code == 403


@pytest.mark.parametrize("state", ["revoked", "expired", "inactive"])
def test_dead_tokens(world, state):
    from khuyencong.accounts.models import User

    token, key = _token(world.users["so"], access="read")
    if state == "revoked":
        update_with_history(ApiToken.objects.filter(pk=token.pk), user=None, revoked_at=timezone.now())
    elif state == "expired":
        update_with_history(
            ApiToken.objects.filter(pk=token.pk),
            user=None,
            created_at=timezone.now() - datetime.timedelta(days=3),
            expires_at=timezone.now() - datetime.timedelta(1),
        )
    else:
        update_with_history(User.objects.filter(pk=world.users["so"].pk), user=None, is_active=False)
    for scheme in ("Token", "Bearer", "token", "BEARER"):
        assert _api(key, scheme).get("/api/v1/me/").status_code == 401


def test_a_token_never_opens_html_or_admin(world):
    admin = world.users["admin"]
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    _t, key = _token(admin, access="write", verified=True, code=f"{code:06d}")
    client = _api(key)
    for url in ("/admin/", "/accounts/me/tokens/", "/establishments/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code in (301, 302), (url, response.status_code)
    # …and the API's browsable HTML is never served to a token
    response = client.get("/api/v1/me/", headers={"Accept": "text/html"})
    assert "text/html" not in response.get("Content-Type", ""), response.status_code


def test_password_only_approver_session_cannot_set_up_or_make_tokens(world):
    approver = world.users["approver"]
    session = _password_only(approver)
    for url, data in (
        ("/accounts/two-factor/setup/", {"token": "123456"}),
        ("/accounts/me/tokens/", {"name": "x", "access": "read", "days": 30}),
    ):
        response = session.post(url, data)
        assert response.status_code in (302, 403), (url, response.status_code)
    assert not ApiToken.objects.filter(user=approver).exists()
    assert not TOTPDevice.objects.filter(user=approver, confirmed=False).exists()
    # the API with the session alone
    response = session.post(
        f"/api/v1/projects/{world.own['project'].pk}/steps/suspend/", {}, content_type="application/json"
    )
    assert response.status_code == 403
