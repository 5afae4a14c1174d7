"""Login, two-factor set-up and verification, the user's own page, organisations."""

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.views import ObjectDetailView, ObjectHistoryView, ObjectListView

from . import selectors, services
from .choices import OrganisationKind, TokenAccess
from .forms import ApiTokenForm, LoginForm, TokenForm
from .rules import is_two_factor_verified


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: open to a password-only session only while the account has none; with one,
    only a session verified with it may set up a replacement (the services refuse the rest too)."""
    user = request.user
    replacing = selectors.has_authenticator(user=user)
    if replacing and not is_two_factor_verified(user):
        messages.info(request, _("Your account already has an authenticator app: type its code first."))
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _safe_next(request)})}")
    device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_device_confirm(user=user, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error(error.field, str(error.message))
        else:
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request)})
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": secret,
            "next": _safe_next(request),
            "replacing": replacing,
        },
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip().replace(" ", "")
        device = match_token(request.user, token)
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "has_totp": selectors.has_authenticator(user=user),
            "verified": is_two_factor_verified(user),
            "live_tokens": sum(1 for t in selectors.api_token_list(user=user) if t.is_active),
            "nav_active": "",
        },
    )


TOKEN_STATES = {
    "active": gettext_lazy("In use"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
}


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: make one (its key is shown once, in this response only), list them, revoke one."""
    user = request.user
    asks_code = bool(user.requires_two_factor)  # type: ignore[union-attr]
    form = ApiTokenForm(request.POST or None, asks_code=asks_code)
    created = key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, key = services.api_token_create(
                    user=user,
                    name=form.cleaned_data["name"],
                    access=form.cleaned_data["access"],
                    days=form.cleaned_data["days"],
                    code=form.cleaned_data.get("code", ""),
                )
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                form = ApiTokenForm(asks_code=asks_code)
        if form.errors:
            status = 400
    rows = [(token, token.state(), TOKEN_STATES[token.state()]) for token in selectors.api_token_list(user=user)]
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "rows": rows,
            "created": created,
            "key": key,
            "asks_code": asks_code,
            "write": TokenAccess.WRITE,
            "nav_active": "",
        },
        status=status,
    )
    add_never_cache_headers(response)  # a page that may hold a key is never kept by a cache
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: str) -> HttpResponse:
    try:
        token = selectors.api_token_get(user=request.user, pk=pk)  # only the user's own tokens: others are 404
        services.api_token_revoke(user=request.user, token_id=token.pk)
    except ApplicationError as error:
        if error.code == ErrorCode.NOT_FOUND:
            raise Http404(str(error.message)) from error
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


class OrganisationListView(ObjectListView):
    template_name = "accounts/organisation_list.html"
    table_template = "accounts/organisation_table.html"
    title = gettext_lazy("Organisations")

    def get_queryset(self, request: HttpRequest) -> Any:
        kind = request.GET.get("kind", "")
        kind = kind if kind in OrganisationKind.values else ""
        return selectors.organisation_list(user=request.user, query=request.GET.get("q", ""), kind=kind)

    def get_extra_context(self, request: HttpRequest) -> dict:
        return {"kinds": OrganisationKind.choices, "kind": request.GET.get("kind", ""), "nav_active": "organisations"}


class OrganisationDetailView(ObjectDetailView):
    template_name = "accounts/organisation_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return selectors.organisation_get(user=request.user, pk=kwargs["pk"])

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict:
        return {
            "members": selectors.organisation_members(user=request.user, organisation=obj),
            "nav_active": "organisations",
        }


class OrganisationHistoryView(ObjectHistoryView):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return selectors.organisation_get(user=request.user, pk=kwargs["pk"])

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict:
        return {
            **super().get_extra_context(request, obj),
            "object_template": "accounts/organisation_detail.html",
            "nav_active": "organisations",
        }
