"""DRF's side of API tokens: it authenticates nothing itself, it hands over what `ApiTokenMiddleware` found (and
`AccessPolicyMiddleware` already allowed), so that sessions and tokens are judged in one place. A token never gets an
HTML page, not even the browsable API's: its requests are answered in JSON (or 406)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        token = getattr(request._request, "api_token", None)
        if token is None:
            return None  # no token: the session (with its CSRF check) is tried next
        return request._request.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword  # makes DRF answer 401, not 403, to a request without credentials


class TokenContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        if getattr(request._request, "api_token", None) is not None:
            renderers = [r for r in renderers if not r.media_type.startswith("text/html")]
        return super().select_renderer(request, renderers, format_suffix)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "khuyencong.accounts.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` (or `Bearer <key>`): a key made on the account page /accounts/me/tokens/.",
        }
