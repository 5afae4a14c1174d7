"""Who a request is, and whether it may go on: one place for sessions and API tokens alike.

`ApiTokenMiddleware` (after django-otp's `OTPMiddleware`) recognises `Authorization: Token <key>` (or `Bearer <key>`)
on /api/ paths only: `request.user` becomes the token's user, whose `is_verified()` is the token's `verified` flag,
and `request.api_token` the token; an unknown, expired or revoked key leaves `request.api_token_problem`. A token
never opens an HTML page: elsewhere the header is ignored and the session decides.

`AccessPolicyMiddleware` then decides, for every path:

- a refused token → 401 `not_authenticated`;
- a read-only token with an unsafe method → 403 `token_read_only`;
- a token of an account that needs two-factor (approvers, administrators, superusers, staff) that was not issued
  from a verified session for that purpose → 403 `two_factor_required`;
- a session of such an account that has not passed the second factor → the set-up or verification page (403
  `two_factor_required` under /api/).

DRF only hands over what these found (`accounts.api.authentication.ApiTokenAuthentication`).
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import tokens
from .choices import TokenAccess
from .models import ApiToken
from .selectors import has_authenticator

API_PREFIX = "/api/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ALWAYS_ALLOWED = ("/static/", "/i18n/", "/favicon.ico")


def _token_is_verified(token: ApiToken) -> bool:
    return token.verified


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.api_token = None  # type: ignore[attr-defined]
        request.api_token_problem = ""  # type: ignore[attr-defined]
        if request.path.startswith(API_PREFIX):
            key = tokens.key_from_header(request.headers.get("Authorization", ""))
            if key is not None:
                self._authenticate(request, key)
        return self.get_response(request)

    @staticmethod
    def _authenticate(request: HttpRequest, key: str) -> None:
        token, problem = tokens.authenticate(key)
        if token is None:
            request.api_token_problem = problem  # type: ignore[attr-defined]
            return
        user: Any = token.user
        # What django-otp's middleware installs on a session user, answered by the token instead.
        user.otp_device = None
        user.is_verified = functools.partial(_token_is_verified, token)
        request.user = user
        request.auser = functools.partial(_same_user, user)
        request.api_token = token  # type: ignore[attr-defined]


async def _same_user(user: Any) -> Any:
    return user


def _json(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = getattr(request, "api_token_problem", "")
        if problem:
            return _json(401, "not_authenticated", self._token_problem_message(problem))
        token = getattr(request, "api_token", None)
        if token is not None:
            refusal = self._token_refusal(request, token)
            return refusal or self.get_response(request)
        refusal = self._session_refusal(request)
        return refusal or self.get_response(request)

    @staticmethod
    def _token_problem_message(problem: str) -> str:
        messages = {
            "expired": _("This API token has expired. Make a new one on your account page."),
            "revoked": _("This API token was revoked."),
            "inactive": _("The account of this API token is disabled."),
        }
        return messages.get(problem, _("The API token is not valid."))

    @staticmethod
    def _token_refusal(request: HttpRequest, token: ApiToken) -> HttpResponse | None:
        if token.access == TokenAccess.READ and request.method not in SAFE_METHODS:
            return _json(403, "token_read_only", _("This API token is read-only: it cannot change anything."))
        if token.user.requires_two_factor and not token.verified:
            return _json(
                403,
                "two_factor_required",
                _(
                    "Your account requires two-factor verification, and this API token was not issued from a "
                    "verified session for this use. Make a new token on your account page."
                ),
            )
        return None

    @staticmethod
    def _session_refusal(request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not getattr(user, "requires_two_factor", False)
            or user.is_verified()
            or request.path.startswith(_ALWAYS_ALLOWED)
        ):
            return None
        # The set-up page decides itself whether this session may use it (only without a confirmed app).
        allowed = {reverse("accounts:otp_setup"), reverse("accounts:otp_verify"), reverse("accounts:logout")}
        if request.path in allowed:
            return None
        if request.path.startswith(API_PREFIX):
            return _json(403, "two_factor_required", _("Two-factor verification is required."))
        target = "accounts:otp_verify" if has_authenticator(user=user) else "accounts:otp_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
