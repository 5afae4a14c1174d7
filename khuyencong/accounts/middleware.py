"""Administrators and approvers must pass TOTP two-factor authentication before reaching anything else."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/favicon.ico")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "requires_two_factor", False)
            and not user.is_verified()
            and not request.path.startswith(_ALWAYS_ALLOWED)
        ):
            allowed = {reverse("accounts:otp_setup"), reverse("accounts:otp_verify"), reverse("accounts:logout")}
            if request.path not in allowed:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"code": "two_factor_required", "message": _("Two-factor verification is required.")},
                        status=403,
                    )
                has_device = user.totpdevice_set.filter(confirmed=True).exists()
                target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
