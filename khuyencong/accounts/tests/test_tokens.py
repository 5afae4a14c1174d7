"""API tokens (issue 13, hole 2): one policy for sessions and tokens, enforced by the middleware.

An approver's token used to take approval steps with no second factor (DRF's TokenAuthentication ran after the
two-factor check). Now a token of an account that needs two-factor serves it only when issued from a verified session
for that use; read tokens only read; expired, revoked and unknown keys are 401; a token opens no HTML page.
"""

import datetime
import hashlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import services
from khuyencong.accounts.middleware import ApiTokenMiddleware
from khuyencong.accounts.models import ApiToken
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.projects.choices import Status
from khuyencong.projects.models import Project
from khuyencong.projects.tests.factories import decision, make_project, people
from khuyencong.projects.workflow import project_transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttling(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _as_request_user(user, verified=True):
    """The user as a request presents them (django-otp's middleware installs `is_verified`)."""
    user.is_verified = lambda: verified
    return user


def _verified_login(client, user):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(confirmed=True).persistent_id
    session.save()


def _auth(key):
    return {"Authorization": f"Token {key}"}


def _step(client, project, key, name="include_in_plan"):
    return client.post(
        f"/api/v1/projects/{project.pk}/steps/{name}/",
        {
            "decision_number": "300/QĐ-UBND",
            "decision_signed_on": timezone.localdate().isoformat(),
            "decision_signer": "Nguyễn Văn An",
        },
        content_type="application/json",
        headers=_auth(key),
    )


@pytest.fixture
def cast():
    return people()


@pytest.fixture
def awaiting_approval(cast):
    """A local-fund project appraised by the Department: the provincial approver's "include in plan" is next."""
    project = make_project(cast["centre"], cast["_centre_org"], fund="kcdp")
    for name, who, data in [("submit", "centre", None), ("receive", "so", None), ("pass_appraisal", "so", decision())]:
        project_transition(user=cast[who], project_id=project.pk, name=name, data=data)
    TOTPDevice.objects.create(user=cast["approver"], name="test", confirmed=True)
    return project


def _status(project):
    return Project.objects.get(pk=project.pk).status


def test_an_approvers_token_made_before_they_were_an_approver_cannot_approve(client, cast, awaiting_approval):
    approver = cast["approver"]
    approver.role = "provincial_officer"
    approver.save()
    _token, key = services.api_token_create(user=approver, name="Kịch bản cũ", access="write")  # no second factor
    approver.role = "provincial_approver"  # promoted later: the token was not issued for this
    approver.save()
    response = _step(client, awaiting_approval, key)
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert _status(awaiting_approval) == Status.BASE_APPROVED
    assert client.get("/api/v1/me/", headers=_auth(key)).json()["code"] == "two_factor_required"


def test_an_officers_write_token_from_a_verified_session_without_a_code_does_not_survive_promotion(
    client, cast, awaiting_approval
):
    """An officer who uses an app (optional for them) makes a write token from a verified session without typing a
    code: it serves the officer, but it was not issued for approval, so it stops when they become an approver."""
    officer = cast["approver"]
    officer.role = "provincial_officer"
    officer.save()
    officer = _as_request_user(officer)
    token, key = services.api_token_create(user=officer, name="Không mã", access="write")
    assert not token.verified
    assert client.get("/api/v1/me/", headers=_auth(key)).status_code == 200  # an officer's token: it works
    with_code, code_key = services.api_token_create(
        user=officer, name="Có mã", access="write", code=_code(officer.totpdevice_set.get())
    )
    assert with_code.verified
    officer.role = "provincial_approver"
    officer.save()
    response = _step(client, awaiting_approval, key)
    assert response.status_code == 403 and response.json()["code"] == "two_factor_required"
    assert _status(awaiting_approval) == Status.BASE_APPROVED
    assert _step(client, awaiting_approval, code_key).status_code == 201


def test_an_approvers_read_token_cannot_approve(client, cast, awaiting_approval):
    approver = _as_request_user(cast["approver"])
    token, key = services.api_token_create(user=approver, name="Đọc số liệu", access="read")
    assert token.verified  # made from a verified session: it may read
    assert client.get("/api/v1/me/", headers=_auth(key)).status_code == 200
    response = _step(client, awaiting_approval, key)
    assert response.status_code == 403 and response.json()["code"] == "token_read_only"
    assert _status(awaiting_approval) == Status.BASE_APPROVED


def test_an_approvers_verified_write_token_takes_the_step(client, cast, awaiting_approval):
    approver = _as_request_user(cast["approver"])
    code = _code(approver.totpdevice_set.get())
    token, key = services.api_token_create(user=approver, name="Phê duyệt", access="write", code=code)
    assert token.verified
    response = _step(client, awaiting_approval, key)
    assert response.status_code == 201, response.json()
    assert _status(awaiting_approval) == Status.IN_PLAN
    transition = awaiting_approval.transitions.get(name="include_in_plan")
    assert transition.actor == cast["approver"]
    assert transition.history.get().history_user == cast["approver"]  # the token's user, in the history


def test_a_write_token_of_a_two_factor_account_needs_a_fresh_code(cast):
    approver = _as_request_user(cast["approver"])
    device = TOTPDevice.objects.create(user=approver, name="test", confirmed=True)
    code = _code(device)
    wrong = "000000" if code != "000000" else "111111"
    for given, message in [("", "cần mã này"), (wrong, "không đúng"), ("abc", "không đúng")]:
        with pytest.raises(ApplicationError) as error:
            services.api_token_create(user=approver, name="Phê duyệt", access="write", code=given)
        assert error.value.field == "code" and message in str(error.value.message)
    services.api_token_create(user=approver, name="Phê duyệt", access="write", code=code)
    with pytest.raises(ApplicationError) as error:  # the same code again: not fresh
        services.api_token_create(user=approver, name="Phê duyệt 2", access="write", code=code)
    assert "đã dùng" in str(error.value.message)
    assert ApiToken.objects.filter(user=approver).count() == 1
    # Without a verified session, an account that needs two-factor makes no token at all.
    with pytest.raises(ApplicationError) as error:
        services.api_token_create(user=_as_request_user(approver, verified=False), name="X", access="read")
    assert error.value.code == ErrorCode.PERMISSION_DENIED


def test_read_tokens_refuse_changes(client, cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    _token, key = services.api_token_create(user=cast["centre"], name="Đồng bộ", access="read")
    assert client.get(f"/api/v1/projects/{project.pk}/", headers=_auth(key)).status_code == 200
    assert client.head("/api/v1/projects/", headers=_auth(key)).status_code == 200
    assert client.options("/api/v1/projects/", headers=_auth(key)).status_code == 200
    patch = client.patch(
        f"/api/v1/projects/{project.pk}/", {"name": "Đổi tên"}, content_type="application/json", headers=_auth(key)
    )
    assert patch.status_code == 403 and patch.json() == {
        "code": "token_read_only",
        "message": "Mã API này chỉ được đọc: không thể thay đổi dữ liệu.",
    }
    post = client.post(f"/api/v1/projects/{project.pk}/steps/submit/", {}, headers=_auth(key))
    assert post.status_code == 403 and post.json()["code"] == "token_read_only"
    assert client.delete(f"/api/v1/projects/{project.pk}/", headers=_auth(key)).status_code == 403
    project.refresh_from_db()
    assert project.name != "Đổi tên" and project.status == Status.DRAFT
    # The same officer's write token may change (officers do not need two-factor).
    _token, write = services.api_token_create(user=cast["centre"], name="Ghi", access="write")
    response = client.post(f"/api/v1/projects/{project.pk}/steps/submit/", {}, headers=_auth(write))
    assert response.status_code == 201
    assert _status(project) == Status.SUBMITTED


def test_expired_revoked_unknown_and_disabled_are_401(client, make_user):
    officer = make_user("provincial_officer")
    expired, expired_key = services.api_token_create(user=officer, name="Cũ", access="read", days=1)
    expired.created_at = timezone.now() - datetime.timedelta(days=2)
    expired.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    expired.save()
    revoked, revoked_key = services.api_token_create(user=officer, name="Thu hồi", access="read")
    services.api_token_revoke(user=officer, token_id=revoked.pk)
    cases = [
        (expired_key, "Mã API này đã hết hạn"),
        (revoked_key, "Mã API này đã bị thu hồi."),
        ("kc_" + "x" * 43, "Mã API không hợp lệ."),
        ("", "Mã API không hợp lệ."),
    ]
    for key, message in cases:
        response = client.get("/api/v1/me/", headers={"Authorization": f"Token {key}".strip()})
        assert response.status_code == 401, key
        assert response.json()["code"] == "not_authenticated" and message in response.json()["message"]
    _live, live_key = services.api_token_create(user=officer, name="Còn hạn", access="read")
    assert client.get("/api/v1/me/", headers=_auth(live_key)).status_code == 200
    officer.is_active = False
    officer.save()
    assert client.get("/api/v1/me/", headers=_auth(live_key)).status_code == 401


def test_the_old_drf_token_header_with_a_random_key_is_401(client, make_user):
    assert not apps.is_installed("rest_framework.authtoken")
    officer = make_user("provincial_officer")
    client.force_login(officer)  # a session does not rescue a bad token: the token decides
    response = client.get("/api/v1/me/", headers={"Authorization": "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"})
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_token_never_opens_an_html_page(client, make_user):
    superuser = make_user("system_admin", with_totp=True)
    _token, key = services.api_token_create(user=_as_request_user(superuser), name="Quản trị", access="read")
    assert client.get("/api/v1/me/", headers=_auth(key)).status_code == 200  # the token itself works
    for path in ["/accounts/me/", "/accounts/me/tokens/", "/projects/", "/admin/", "/admin/accounts/apitoken/"]:
        response = client.get(path, headers=_auth(key))
        assert response.status_code == 302, path
        assert "login" in response["Location"], path
    assert "sessionid" not in client.cookies or not client.session.get("_auth_user_id")
    # Under /api/ neither: not the browsable API, not the documentation page.
    for accept in ["text/html", "text/html,application/xhtml+xml,*/*;q=0.8"]:
        me = client.get("/api/v1/me/", headers={**_auth(key), "Accept": accept})
        assert me["Content-Type"] == "application/json", accept
        docs = client.get("/api/v1/docs/", headers={**_auth(key), "Accept": accept})
        assert docs.status_code == 406 and b"swagger" not in docs.content.lower(), accept


def test_session_writes_to_the_api_still_need_the_csrf_token(make_user, cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast["centre"])
    response = browser.post(f"/api/v1/projects/{project.pk}/steps/submit/", {})
    assert response.status_code == 403 and project.status == Status.DRAFT
    _token, key = services.api_token_create(user=cast["centre"], name="Ghi", access="write")
    assert browser.post(f"/api/v1/projects/{project.pk}/steps/submit/", {}, headers=_auth(key)).status_code == 201


def _through_the_middlewares(request):
    """Run a request through sessions, authentication, django-otp and the token middleware; return its user."""
    seen = {}

    def view(request):
        seen["user"] = request.user
        seen["verified"] = request.user.is_verified()
        return HttpResponse()

    chain = SessionMiddleware(AuthenticationMiddleware(OTPMiddleware(ApiTokenMiddleware(view))))
    chain(request)
    return seen


def test_is_verified_is_the_tokens_verified_flag(make_user, cast):
    approver = cast["approver"]
    TOTPDevice.objects.create(user=approver, name="test", confirmed=True)
    _read, verified_key = services.api_token_create(user=_as_request_user(approver), name="Đọc", access="read")
    officer = make_user("provincial_officer")
    _plain, plain_key = services.api_token_create(user=officer, name="Đọc", access="read")
    factory = RequestFactory()
    seen = _through_the_middlewares(factory.get("/api/v1/me/", headers=_auth(verified_key)))
    assert seen["user"] == approver and seen["verified"] is True
    seen = _through_the_middlewares(factory.get("/api/v1/me/", headers=_auth(plain_key)))
    assert seen["user"] == officer and seen["verified"] is False
    seen = _through_the_middlewares(factory.get("/projects/", headers=_auth(verified_key)))
    assert not seen["user"].is_authenticated  # outside /api/ the header is ignored


def test_last_use_is_stamped_at_most_once_a_minute_without_history(client, make_user):
    officer = make_user("provincial_officer")
    token, key = services.api_token_create(user=officer, name="Đồng bộ", access="read")
    history = token.history.count()
    client.get("/api/v1/me/", headers=_auth(key))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me/", headers=_auth(key))
    token.refresh_from_db()
    assert token.last_used_at == first
    token.last_used_at = first - datetime.timedelta(minutes=2)
    token.save_without_historical_record(update_fields=["last_used_at"])  # type: ignore[attr-defined]
    client.get("/api/v1/me/", headers=_auth(key))
    token.refresh_from_db()
    assert token.last_used_at > first
    assert token.history.count() == history


# ---- the token page -----------------------------------------------------------------------------------------------


def test_the_token_page_makes_lists_and_revokes(client, make_user):
    officer = make_user("provincial_officer")
    client.force_login(officer)
    profile = client.get(reverse("accounts:profile"))
    assert reverse("accounts:api_tokens") in profile.text
    page = client.get(reverse("accounts:api_tokens"))
    assert page.status_code == 200 and 'data-testid="no-tokens"' in page.text
    assert "no-store" in page["Cache-Control"]
    made = client.post(reverse("accounts:api_tokens"), {"name": "Phần mềm kế toán", "access": "read", "days": "30"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    key = made.context["key"]
    assert key.startswith("kc_") and len(key) > 40 and key in made.text
    token = ApiToken.objects.get(user=officer)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in [str(value) for value in ApiToken.objects.values().get().values()]  # never stored as such
    assert token.prefix == key[:11] and (token.access, token.name) == ("read", "Phần mềm kế toán")
    assert (token.expires_at - token.created_at) == datetime.timedelta(days=30)
    assert token.history.get().history_user == officer
    # Shown once: the list shows the prefix, never the key.
    listed = client.get(reverse("accounts:api_tokens"))
    assert key not in listed.text and f"{token.prefix}…" in listed.text and "Đang dùng" in listed.text
    assert "Phần mềm kế toán" in listed.text
    assert client.get(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 405
    revoked = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)
    assert "đã bị thu hồi" in revoked.text and "Đã thu hồi" in revoked.text
    token.refresh_from_db()
    assert token.revoked_at is not None
    change = token.history.order_by("-history_id").first()
    assert change.history_type == "~" and change.history_user == officer
    assert client.get("/api/v1/me/", headers=_auth(key)).status_code == 401
    again = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)
    assert "đã được thu hồi trước đó" in again.text


def test_another_users_token_is_404_on_the_token_page(client, make_user):
    owner, other = make_user("provincial_officer"), make_user("provincial_officer")
    token, key = services.api_token_create(user=owner, name="Của người khác", access="read")
    client.force_login(other)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("accounts:api_token_revoke", args=["khong-phai-so"])).status_code == 404
    assert "Của người khác" not in client.get(reverse("accounts:api_tokens")).text
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get("/api/v1/me/", headers=_auth(key)).status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": " ", "access": "read", "days": "90"}, "name", "Hãy đặt tên cho mã, ví dụ tên phần mềm sẽ dùng mã."),
        ({"name": "A", "access": "admin", "days": "90"}, "access", "Hãy chọn quyền chỉ đọc hoặc đọc và ghi."),
        ({"name": "A", "access": "read", "days": "0"}, "days", "Thời hạn của mã từ 1 đến 365 ngày."),
        ({"name": "A", "access": "read", "days": "366"}, "days", "Thời hạn của mã từ 1 đến 365 ngày."),
        ({"name": "A", "access": "read", "days": "chín mươi"}, "days", "Thời hạn của mã từ 1 đến 365 ngày."),
        ({"name": "A", "access": "read", "days": ""}, "days", "Thời hạn của mã từ 1 đến 365 ngày."),
        ({"name": "A" * 101, "access": "read", "days": "90"}, "name", "Tên quá dài (nhiều nhất 100 ký tự)."),
    ],
)
def test_bad_input_on_the_token_page_is_refused_in_vietnamese(client, make_user, data, field, message):
    client.force_login(make_user("provincial_officer"))
    response = client.post(reverse("accounts:api_tokens"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.text
    assert not ApiToken.objects.exists()


def test_the_service_checks_its_input_too(make_user):
    officer = make_user("provincial_officer")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": "", "access": "read"}, "name"),
        ({"name": "A", "access": "admin"}, "access"),
        ({"name": "A", "access": "read", "days": 0}, "days"),
        ({"name": "A", "access": "read", "days": 366}, "days"),
        ({"name": "A", "access": "read", "days": True}, "days"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ApplicationError) as error:
            services.api_token_create(user=officer, **kwargs)
        assert error.value.code == ErrorCode.INVALID and error.value.field == field
    assert not ApiToken.objects.exists()


def test_too_many_live_tokens(make_user):
    from khuyencong.accounts.choices import TOKEN_MAX_LIVE

    officer = make_user("provincial_officer")
    made = [services.api_token_create(user=officer, name=f"T{n}", access="read")[0] for n in range(TOKEN_MAX_LIVE)]
    with pytest.raises(ApplicationError) as error:
        services.api_token_create(user=officer, name="Một nữa", access="read")
    assert error.value.code == ErrorCode.CONFLICT
    services.api_token_revoke(user=officer, token_id=made[0].pk)
    services.api_token_create(user=officer, name="Một nữa", access="read")


def test_an_approver_makes_a_write_token_on_the_page_with_a_code(client, cast):
    approver = cast["approver"]
    device = TOTPDevice.objects.create(user=approver, name="test", confirmed=True)
    _verified_login(client, approver)
    page = client.get(reverse("accounts:api_tokens"))
    assert 'name="code"' in page.text
    refused = client.post(reverse("accounts:api_tokens"), {"name": "Phê duyệt", "access": "write", "days": "7"})
    assert refused.status_code == 400 and "cần mã này" in refused.text
    made = client.post(
        reverse("accounts:api_tokens"), {"name": "Phê duyệt", "access": "write", "days": "7", "code": _code(device)}
    )
    assert made.status_code == 200 and made.context["key"]
    assert ApiToken.objects.get(user=approver).verified


def test_a_password_only_approver_session_reaches_no_token_page(client, cast):
    from khuyencong.accounts.tests.factories import PASSWORD

    approver = cast["approver"]
    TOTPDevice.objects.create(user=approver, name="test", confirmed=True)
    client.post(reverse("accounts:login"), {"username": approver.username, "password": PASSWORD})
    response = client.post(reverse("accounts:api_tokens"), {"name": "X", "access": "read", "days": "7"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    assert not ApiToken.objects.exists()


# ---- the admin ------------------------------------------------------------------------------------------------


def test_the_admin_never_shows_nor_sets_a_key(client, make_user):
    admin = make_user("system_admin", with_totp=True)
    officer = make_user("provincial_officer")
    token, key = services.api_token_create(user=officer, name="Đồng bộ", access="read")
    _verified_login(client, admin)
    listing = client.get(reverse("admin:accounts_apitoken_changelist"))
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    for response in (listing, detail):
        assert response.status_code == 200
        assert token.prefix in response.text
        assert key not in response.text and token.key_hash not in response.text
    assert 'name="key_hash"' not in detail.text and 'name="name"' not in detail.text  # a read-only view
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    client.post(reverse("admin:accounts_apitoken_change", args=[token.pk]), {"key_hash": "0" * 64, "name": "X"})
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and token.name == "Đồng bộ"
    assert "authtoken" not in client.get("/admin/").text
    # An administrator may revoke a token there.
    client.post(reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.history.order_by("-history_id").first().history_user == admin
