"""Login, lockout, two-factor authentication and password rules, with Vietnamese messages."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import services
from khuyencong.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_login_and_logout(client, make_user):
    user = make_user("provincial_officer")
    history = user.history.count()
    response = _login(client, user.username)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == history  # last_login is not tracked: no empty history row per login
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_wrong_password_has_a_vietnamese_message(client, make_user):
    user = make_user("provincial_officer")
    response = _login(client, user.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text


def test_lockout_after_repeated_failures(client, make_user, settings):
    user = make_user("provincial_officer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "sai-mat-khau")
    response = _login(client, user.username)  # even the right password is refused now
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.text
    other = make_user("provincial_officer")
    assert _login(client, other.username).status_code == 302  # the lock is per account


def test_approver_must_set_up_two_factor(client, make_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    approver = make_user("provincial_approver")
    _login(client, approver.username)
    response = client.get(reverse("accounts:organisation_list"))
    assert response.status_code == 302 and reverse("accounts:otp_setup") in response["Location"]
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"

    setup = client.get(reverse("accounts:otp_setup"))
    assert setup.status_code == 200 and "data:image/svg+xml" in setup.text
    device = TOTPDevice.objects.get(user=approver, confirmed=False)
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "Mã không đúng hoặc đã hết hạn" in wrong.text
    done = client.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get(reverse("accounts:organisation_list")).status_code == 200


def test_verification_with_totp_or_a_single_use_backup_code(client, make_user, settings):
    # django-otp slows retries down after a failure; this test retries at once on purpose.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    admin = make_user("system_admin", with_totp=True)
    codes = services.backup_codes_regenerate(user=admin)
    _login(client, admin.username)
    response = client.get(reverse("accounts:organisation_list"))
    assert reverse("accounts:otp_verify") in response["Location"]
    assert "Mã không đúng" in client.post(reverse("accounts:otp_verify"), {"token": "12"}).text
    assert client.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("accounts:organisation_list")).status_code == 200

    client.post(reverse("accounts:logout"))
    _login(client, admin.username)
    assert "Mã không đúng" in client.post(reverse("accounts:otp_verify"), {"token": codes[0]}).text  # used up
    device = admin.totpdevice_set.get()
    assert client.post(reverse("accounts:otp_verify"), {"token": _code(device)}).status_code == 302


def test_verify_refuses_an_outside_next_url(client, make_user):
    admin = make_user("system_admin", with_totp=True)
    _login(client, admin.username)
    response = client.post(
        reverse("accounts:otp_verify") + "?next=https://evil.example/", {"token": _code(admin.totpdevice_set.get())}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_officers_do_not_need_two_factor(client, make_user):
    _login(client, make_user("provincial_officer").username)
    assert client.get(reverse("accounts:organisation_list")).status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan", "quá ngắn"),
        ("1234567890123", "toàn chữ số"),
        ("password123", "quá phổ biến"),
    ],
)
def test_password_rules_speak_vietnamese(password, message):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_demo_accounts_are_idempotent_and_scoped():
    from khuyencong.accounts.demo import ACCOUNTS, load_demo_data
    from khuyencong.accounts.models import User
    from khuyencong.core.scoping import user_scope

    first = load_demo_data()
    history = User.history.count()
    second = load_demo_data()
    assert User.history.count() == history  # a second run changes nothing
    assert [a["username"] for a in first] == [a["username"] for a in second] == [a.username for a in ACCOUNTS]
    assert User.objects.count() == len(ACCOUNTS)
    assert user_scope(User.objects.get(username="lamdong.canbo")).label == "Tỉnh Lâm Đồng"
    assert user_scope(User.objects.get(username="hanoi.canbo")).label == "Thành phố Hà Nội"
    assert len(user_scope(User.objects.get(username="ctv.lamdong")).commune_ids) == 3
    assert user_scope(User.objects.get(username="bo.canbo")).is_country
    assert all(u.totpdevice_set.exists() for u in User.objects.all() if u.requires_two_factor)


def test_demo_otp_prints_the_current_code_only_in_development(settings, make_user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    admin = make_user("system_admin", with_totp=True, username="quantri-test")
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_otp", "quantri-test", stdout=out)
    device = admin.totpdevice_set.get()
    assert device.verify_token(out.getvalue().strip())
    with pytest.raises(CommandError):
        call_command("demo_otp", "khong-co-tai-khoan")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_otp", "quantri-test")
