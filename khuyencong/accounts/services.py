"""Writes on accounts: two-factor devices and demo accounts. Each write is atomic and leaves history."""

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.core.exceptions import ApplicationError, ErrorCode

BACKUP_CODE_COUNT = 10


def totp_device_start(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed authenticator device (created on first call), whose secret the setup page shows."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: Any, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; returns it and a fresh set of backup codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    token = (token or "").strip().replace(" ", "")
    if device is None:
        raise ApplicationError(ErrorCode.INVALID, _("Start the set-up again."), field="token")
    if not token.isdigit() or not device.verify_token(token):
        raise ApplicationError(
            ErrorCode.INVALID, _("The code is wrong or has expired. Try the newest code."), field="token"
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device, backup_codes_regenerate(user=user)


@transaction.atomic
def backup_codes_regenerate(*, user: Any, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Replace the user's backup codes with `count` new single-use ones, shown once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
