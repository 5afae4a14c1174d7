"""Who needs the second factor, who may set up an authenticator app, and the administrator's reset (issue 13, hole 1).

A password alone must never be enough to register a new app on an account that already has one, nor to reach
/admin/ as a superuser or staff account, whatever its role.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import services
from khuyencong.accounts.models import ApiToken, TwoFactorEvent, User
from khuyencong.accounts.tests.factories import PASSWORD
from khuyencong.core.exceptions import ApplicationError, ErrorCode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttling(settings):
    # django-otp slows retries down after a failure; these tests type wrong codes on purpose.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_login(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password login itself must work"


def _verified_login(client, user):
    """A session that has passed the second factor with the user's app (what django-otp's login() leaves)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(confirmed=True).persistent_id
    session.save()


def _superuser_with_default_role(make_user, **kwargs):
    user = make_user(**kwargs)  # role: provincial officer, the model's default
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture(params=["approver", "superuser"])
def with_app(request, make_user):
    """An account that must use two-factor and already has a confirmed app: an approver, a superuser."""
    if request.param == "approver":
        return make_user("provincial_approver", with_totp=True)
    user = _superuser_with_default_role(make_user)
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def test_a_password_only_session_cannot_open_the_setup_page_when_an_app_exists(client, with_app):
    _password_login(client, with_app)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    assert not TOTPDevice.objects.filter(user=with_app, confirmed=False).exists()  # no secret was handed out


def test_a_password_only_session_cannot_confirm_a_new_app_when_an_app_exists(client, with_app):
    _password_login(client, with_app)
    old = with_app.totpdevice_set.get(confirmed=True)
    # Even holding a pending device of their own making (an attacker's authenticator), the POST is refused.
    pending = TOTPDevice.objects.create(user=with_app, name="attacker", confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": _code(pending)})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    assert list(TOTPDevice.objects.filter(user=with_app, confirmed=True)) == [old]
    assert not TwoFactorEvent.objects.filter(user=with_app).exists()
    # The session is still not verified: every page still asks for the existing app's code.
    assert client.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get("/admin/").status_code == 302


def test_the_services_refuse_a_new_app_without_a_verified_session(with_app):
    pending = TOTPDevice.objects.create(user=with_app, name="attacker", confirmed=False)
    user = User.objects.get(pk=with_app.pk)  # read from the database: no request, not verified
    for call in (
        lambda: services.totp_device_start(user=user),
        lambda: services.totp_device_confirm(user=user, token=_code(pending)),
    ):
        with pytest.raises(ApplicationError) as error:
            call()
        assert error.value.code == ErrorCode.PERMISSION_DENIED
        assert "đã có ứng dụng xác thực" in str(error.value.message)
    pending.refresh_from_db()
    assert not pending.confirmed


def test_without_an_app_the_first_one_is_set_up_after_the_password(client, make_user):
    approver = make_user("provincial_approver")
    _password_login(client, approver)
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=approver, confirmed=False)
    done = client.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    event = TwoFactorEvent.objects.get(user=approver)
    assert event.kind == "set_up" and event.actor == approver
    assert event.history.get().history_user == approver


def test_a_verified_session_may_replace_its_app(client, make_user):
    approver = make_user("provincial_approver", with_totp=True)
    old = approver.totpdevice_set.get()
    services.backup_codes_regenerate(user=approver)
    old_codes = set(StaticDevice.objects.get(user=approver).token_set.values_list("token", flat=True))
    _verified_login(client, approver)
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and 'data-testid="otp-replacing"' in page.text
    new = TOTPDevice.objects.get(user=approver, confirmed=False)
    done = client.post(reverse("accounts:otp_setup"), {"token": _code(new)})
    assert done.status_code == 200
    assert list(TOTPDevice.objects.filter(user=approver).values_list("pk", flat=True)) == [new.pk]  # old one gone
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert not old_codes & set(StaticDevice.objects.get(user=approver).token_set.values_list("token", flat=True))
    assert TwoFactorEvent.objects.get(user=approver).kind == "replaced"
    assert client.get(reverse("accounts:profile")).status_code == 200  # still verified, now with the new app


def test_a_superuser_with_the_default_role_must_verify_before_admin(client, make_user):
    superuser = _superuser_with_default_role(make_user)
    assert superuser.role == "provincial_officer" and superuser.requires_two_factor
    _password_login(client, superuser)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get("/admin/accounts/user/").status_code == 302
    TOTPDevice.objects.create(user=superuser, name="test", confirmed=True)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    device = superuser.totpdevice_set.get()
    assert client.post(reverse("accounts:otp_verify"), {"token": _code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_staff_account_needs_two_factor_too(client, make_user):
    staff = make_user("provincial_officer")
    staff.is_staff = True
    staff.save()
    _password_login(client, staff)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get("/api/v1/me/").json()["code"] == "two_factor_required"


def test_createsuperuser_makes_a_country_wide_administrator_who_must_verify(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--no-input", "--username", "root", "--email", "root@example.vn", stdout=StringIO())
    root = User.objects.get(username="root")
    assert (root.role, root.scope_level, root.requires_two_factor) == ("system_admin", "country", True)
    _password_login(client, root)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_setup"))


# ---- the administrator's reset -----------------------------------------------------------------------------------


@pytest.fixture
def admin(make_user):
    return make_user("system_admin", with_totp=True, username="quantri-test")


@pytest.fixture
def lost_phone(make_user):
    """An approver who lost their phone: an app and backup codes to remove."""
    user = make_user("provincial_approver", with_totp=True, username="pheduyet-mat-may")
    services.backup_codes_regenerate(user=user)
    return user


def _as_request_user(user, verified=True):
    """The user as a request would present them after (or before) the second factor: django-otp's middleware
    installs `is_verified` on the request's user."""
    user.is_verified = lambda: verified
    return user


def test_a_verified_administrator_resets_a_lost_app_with_a_reason(client, admin, lost_phone):
    services.api_token_create(user=_as_request_user(lost_phone), name="Đọc số liệu", access="read")
    event = services.two_factor_reset(
        user=_as_request_user(admin), target_id=lost_phone.pk, reason="Mất điện thoại, đã xác minh qua điện thoại bàn"
    )
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not StaticDevice.objects.filter(user=lost_phone).exists()
    assert (event.user, event.actor, event.kind) == (lost_phone, admin, "reset")
    assert event.reason == "Mất điện thoại, đã xác minh qua điện thoại bàn"
    record = event.history.get()
    assert record.history_user == admin and record.history_change_reason == event.reason
    assert record.history_date is not None
    # The tokens issued on the lost app's verification are revoked with it, each change in history.
    assert not ApiToken.objects.filter(user=lost_phone, revoked_at__isnull=True).exists()
    assert (
        ApiToken.objects.get(user=lost_phone)
        .history.filter(history_change_reason="Thu hồi khi đặt lại xác thực hai lớp")
        .exists()
    )
    # Their next login sets up a new app after the password, as on the first day.
    _password_login(client, lost_phone)
    assert client.get(reverse("accounts:otp_setup")).status_code == 200


@pytest.mark.parametrize(
    ("who", "reason", "code"),
    [
        ("officer", "Mất điện thoại", ErrorCode.PERMISSION_DENIED),
        ("approver", "Mất điện thoại", ErrorCode.PERMISSION_DENIED),
        ("unverified admin", "Mất điện thoại", ErrorCode.PERMISSION_DENIED),
        ("admin", "", ErrorCode.INVALID),
        ("admin", "   ", ErrorCode.INVALID),
        ("admin", "x" * 501, ErrorCode.INVALID),
    ],
)
def test_the_reset_is_refused_to_others_and_without_a_reason(make_user, admin, lost_phone, who, reason, code):
    actor = {
        "officer": lambda: _as_request_user(make_user("provincial_officer")),
        "approver": lambda: _as_request_user(make_user("ministry_approver", with_totp=True)),
        "unverified admin": lambda: _as_request_user(admin, verified=False),
        "admin": lambda: _as_request_user(admin),
    }[who]()
    with pytest.raises(ApplicationError) as error:
        services.two_factor_reset(user=actor, target_id=lost_phone.pk, reason=reason)
    assert error.value.code == code
    assert TOTPDevice.objects.filter(user=lost_phone, confirmed=True).exists()
    assert StaticDevice.objects.filter(user=lost_phone).exists()
    assert not TwoFactorEvent.objects.filter(kind="reset").exists()


def test_an_administrator_cannot_reset_their_own_second_factor(admin):
    with pytest.raises(ApplicationError) as error:
        services.two_factor_reset(user=_as_request_user(admin), target_id=admin.pk, reason="Đổi điện thoại")
    assert error.value.code == ErrorCode.INVALID and "trang tài khoản" in str(error.value.message)
    assert admin.totpdevice_set.filter(confirmed=True).exists()


def test_the_reset_of_an_unknown_account_or_one_without_an_app(admin, make_user):
    with pytest.raises(ApplicationError) as error:
        services.two_factor_reset(user=_as_request_user(admin), target_id="khong-phai-so", reason="Thử")
    assert error.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(ApplicationError) as error:
        services.two_factor_reset(
            user=_as_request_user(admin), target_id=make_user("provincial_officer").pk, reason="Thử"
        )
    assert error.value.code == ErrorCode.CONFLICT


def test_the_reset_from_the_admin_asks_for_a_reason(client, admin, lost_phone):
    _verified_login(client, admin)
    url = reverse("admin:accounts_user_changelist")
    chosen = {"action": "reset_two_factor", "_selected_action": [lost_phone.pk]}
    asks = client.post(url, chosen)
    assert asks.status_code == 200 and "Lý do" in asks.text and lost_phone.username in asks.text
    without_reason = client.post(url, {**chosen, "apply": "1", "reason": " "})
    assert without_reason.status_code == 200 and "Hãy nêu lý do đặt lại" in without_reason.text
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
    done = client.post(url, {**chosen, "apply": "1", "reason": "Mất điện thoại"}, follow=True)
    assert "Đã đặt lại xác thực hai lớp cho: pheduyet-mat-may" in done.text
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    event = TwoFactorEvent.objects.get(kind="reset")
    assert (event.user, event.actor, event.reason) == (lost_phone, admin, "Mất điện thoại")
    events = client.get(reverse("admin:accounts_twofactorevent_changelist"))
    assert events.status_code == 200 and "Mất điện thoại" in events.text


def test_the_reset_action_is_not_offered_to_a_staff_account_without_the_role(client, make_user, lost_phone):
    from django.contrib.auth.models import Permission

    staff = make_user("provincial_officer", with_totp=True)
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    _verified_login(client, staff)
    url = reverse("admin:accounts_user_changelist")
    assert "reset_two_factor" not in client.get(url).text
    client.post(url, {"action": "reset_two_factor", "_selected_action": [lost_phone.pk], "apply": "1", "reason": "x"})
    assert TOTPDevice.objects.filter(user=lost_phone).exists()


def test_the_reset_from_the_command_line(lost_phone):
    out = StringIO()
    call_command("two_factor_reset", lost_phone.username, "--reason", "Quản trị viên duy nhất mất máy", stdout=out)
    assert lost_phone.username in out.getvalue()
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    event = TwoFactorEvent.objects.get(user=lost_phone)
    assert event.actor is None and event.reason == "Quản trị viên duy nhất mất máy"
    with pytest.raises(CommandError, match="lý do"):
        call_command("two_factor_reset", lost_phone.username, "--reason", "  ")
    with pytest.raises(CommandError):
        call_command("two_factor_reset", "khong-co-ai", "--reason", "Thử")
