"""Writes on accounts: two-factor devices and their reset, API tokens, demo accounts. Each write is atomic and leaves
history (django-otp's devices have none of their own: `TwoFactorEvent` rows record their changes)."""

import datetime
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.history import attribute

from . import tokens
from .choices import (
    TOKEN_DEFAULT_DAYS,
    TOKEN_MAX_DAYS,
    TOKEN_MAX_LIVE,
    TOKEN_MIN_DAYS,
    TokenAccess,
    TwoFactorEventKind,
)
from .models import ApiToken, TwoFactorEvent, User
from .rules import is_two_factor_verified, is_verified_system_admin
from .selectors import has_authenticator

BACKUP_CODE_COUNT = 10
REASON_MAX_LENGTH = 500


def _refuse_unverified_device_change(user: Any) -> None:
    """With a confirmed authenticator app, only a session verified with it may set up another one."""
    if has_authenticator(user=user) and not is_two_factor_verified(user):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _(
                "Your account already has an authenticator app: verify with its code first. If you lost it, ask a "
                "system administrator to reset your two-factor authentication."
            ),
            field="token",
        )


def totp_device_start(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed authenticator device (created on first call), whose secret the setup page shows."""
    _refuse_unverified_device_change(user)
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user_id=user.pk, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: Any, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; it replaces any app set up before. Returns the device
    and a fresh set of backup codes. Refused to a password-only session of an account that already has an app."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one set-up at a time per account
    _refuse_unverified_device_change(user)
    device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).first()
    token = (token or "").strip().replace(" ", "")
    if device is None:
        raise ApplicationError(ErrorCode.INVALID, _("Start the set-up again."), field="token")
    if not token.isdigit() or not device.verify_token(token):
        raise ApplicationError(
            ErrorCode.INVALID, _("The code is wrong or has expired. Try the newest code."), field="token"
        )
    replaced = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exclude(pk=device.pk)
    kind = TwoFactorEventKind.REPLACED if replaced.exists() else TwoFactorEventKind.SET_UP
    replaced.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
    event = TwoFactorEvent(user_id=user.pk, actor_id=user.pk, kind=kind)
    attribute(event, user=user, reason=str(kind.label))
    event.save()
    return device, backup_codes_regenerate(user=user)


@transaction.atomic
def backup_codes_regenerate(*, user: Any, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Replace the user's backup codes with `count` new single-use ones, shown once."""
    device, _created = StaticDevice.objects.get_or_create(user_id=user.pk, name="backup")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ApplicationError(ErrorCode.INVALID, _("Give the reason for the reset."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def _remove_second_factor(*, target: User, actor: Any, reason: str) -> TwoFactorEvent:
    devices = TOTPDevice.objects.filter(user_id=target.pk)
    backups = StaticDevice.objects.filter(user_id=target.pk)
    if not devices.exists() and not backups.exists():
        raise ApplicationError(ErrorCode.CONFLICT, _("%(user)s has no two-factor device to reset.") % {"user": target})
    devices.delete()
    backups.delete()  # their backup codes go with them
    # The tokens issued on the lost app's verification go too: whoever holds the phone may hold their keys.
    now = timezone.now()
    for token in ApiToken.objects.select_for_update().filter(user_id=target.pk, revoked_at__isnull=True):
        token.revoked_at = now
        attribute(token, user=actor, reason=_("Revoked by the two-factor reset"))
        token.save(update_fields=["revoked_at"])
    event = TwoFactorEvent(user=target, actor_id=getattr(actor, "pk", None), kind=TwoFactorEventKind.RESET)
    event.reason = reason
    attribute(event, user=actor, reason=reason)
    event.save()
    return event


@transaction.atomic
def two_factor_reset(*, user: Any, target_id: Any, reason: str) -> TwoFactorEvent:
    """An administrator's reset for someone who lost their authenticator app: removes the target's devices and
    backup codes, so that their next login sets up a new app. Only a system administrator whose own session passed
    two-factor verification may do it, with a reason; the `TwoFactorEvent` row and its history keep who, when and
    why."""
    if not is_verified_system_admin(user):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Only a verified system administrator may reset two-factor authentication."),
        )
    reason = _clean_reason(reason)
    try:
        target = User.objects.select_for_update().get(pk=int(str(target_id)))
    except (ValueError, User.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Account not found.")) from exc
    if target.pk == user.pk:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("You cannot reset your own two-factor authentication: set up a new app from your account page."),
        )
    return _remove_second_factor(target=target, actor=user, reason=reason)


@transaction.atomic
def two_factor_reset_by_operator(*, username: str, reason: str) -> TwoFactorEvent:
    """The same reset from the server's command line (`manage.py two_factor_reset`), for when no verified
    administrator can do it (the only administrator lost their phone). Whoever runs it already holds the server;
    the event records no actor and the reason."""
    reason = _clean_reason(reason)
    target = User.objects.select_for_update().filter(username=username).first()
    if target is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Account not found."))
    return _remove_second_factor(target=target, actor=None, reason=reason)


# ---- API tokens -------------------------------------------------------------------------------------------------


def _fresh_totp(user: Any, code: str) -> bool:
    """Whether `code` is a current code of one of the user's authenticator apps, never used before (django-otp
    refuses a code at or before the last one accepted, and slows down repeated failures)."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit():
        return False
    return any(
        device.verify_token(code)
        for device in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk")
    )


def _live_tokens(user: Any) -> Any:
    return ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True, expires_at__gt=timezone.now())


def api_token_create(
    *, user: Any, name: str, access: str, days: int = TOKEN_DEFAULT_DAYS, code: str = ""
) -> tuple[ApiToken, str]:
    """Make an API token for the user themself; returns it and its key, which is never shown again.

    The token is `verified` when made from a two-factor-verified session and, for a write token, confirmed with a
    fresh code from the authenticator app (required of an account that needs two-factor, optional otherwise): only
    verified tokens serve such an account (accounts.middleware), so the write token of an officer made without a
    code stops working if the officer becomes an approver. An account that needs two-factor can make tokens only
    from a verified session."""
    if not user.is_authenticated:
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Log in first."))
    verified_session = is_two_factor_verified(user)
    if user.requires_two_factor and not verified_session:
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED, _("Pass two-factor verification before making an API token.")
        )
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError(
            ErrorCode.INVALID, _("Give the token a name, e.g. the program that will use it."), field="name"
        )
    if len(name) > 100:
        raise ApplicationError(ErrorCode.INVALID, _("The name is too long (at most 100 characters)."), field="name")
    if access not in TokenAccess.values:
        raise ApplicationError(ErrorCode.INVALID, _("Choose read-only or read-and-write access."), field="access")
    if isinstance(days, bool) or not isinstance(days, int) or not TOKEN_MIN_DAYS <= days <= TOKEN_MAX_DAYS:
        raise ApplicationError(
            ErrorCode.INVALID,
            _("A token lasts from %(min)d to %(max)d days.") % {"min": TOKEN_MIN_DAYS, "max": TOKEN_MAX_DAYS},
            field="days",
        )
    too_many = _("You already have %(n)d tokens in use: revoke one you no longer need first.") % {"n": TOKEN_MAX_LIVE}
    if _live_tokens(user).count() >= TOKEN_MAX_LIVE:
        raise ApplicationError(ErrorCode.CONFLICT, too_many)
    needs_code = access == TokenAccess.WRITE and user.requires_two_factor
    code_checked = False
    if needs_code or (access == TokenAccess.WRITE and (code or "").strip()):
        if not (code or "").strip():
            raise ApplicationError(
                ErrorCode.INVALID,
                _("Type the current code of your authenticator app: a write token needs it."),
                field="code",
            )
        # Checked outside the transaction below, so that a failed attempt still counts towards django-otp's
        # throttling (a rollback would forget it).
        if not _fresh_totp(user, code):
            raise ApplicationError(
                ErrorCode.INVALID,
                _("The code is wrong, expired or already used. Wait for the next code."),
                field="code",
            )
        code_checked = True
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # counts tokens one request at a time
        if _live_tokens(user).count() >= TOKEN_MAX_LIVE:
            raise ApplicationError(ErrorCode.CONFLICT, too_many)
        key = tokens.new_key()
        now = timezone.now()
        token = ApiToken(
            user_id=user.pk,
            name=name,
            prefix=key[: tokens.PREFIX_LENGTH],
            key_hash=tokens.hash_key(key),
            access=access,
            verified=verified_session and (access == TokenAccess.READ or code_checked),
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        attribute(token, user=user, reason=_("API token created"))
        token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, user: Any, token_id: Any) -> ApiToken:
    """Revoke a token at once. Its owner may; so may a verified system administrator (Django admin). Anyone
    else's token is "not found"."""
    try:
        token = ApiToken.objects.select_for_update().get(pk=int(str(token_id)))
    except (ValueError, ApiToken.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("API token not found.")) from exc
    if token.user_id != user.pk and not is_verified_system_admin(user):
        raise ApplicationError(ErrorCode.NOT_FOUND, _("API token not found."))
    if token.revoked_at is not None:
        raise ApplicationError(ErrorCode.CONFLICT, _("This token was already revoked."))
    token.revoked_at = timezone.now()
    attribute(token, user=user, reason=_("API token revoked"))
    token.save(update_fields=["revoked_at"])
    return token
