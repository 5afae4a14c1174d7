"""API token keys: how they are made, stored (SHA-256 only) and recognised in a request.

A key is `kc_` and 43 random URL-safe characters (256 bits). The database keeps its SHA-256 hash and a short prefix
that names the token in lists; the key itself is shown once, when the token is made (`services.api_token_create`).
`authenticate()` is called by `middleware.ApiTokenMiddleware` for requests under /api/ only.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

KEY_PREFIX = "kc_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8  # the non-secret part shown in lists
SCHEMES = ("token", "bearer")
USE_STAMP_EVERY = datetime.timedelta(minutes=1)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_from_header(header: str) -> str | None:
    """The key of an `Authorization: Token <key>` (or `Bearer <key>`) header; "" when such a header carries no
    well-formed key; None when the header is absent or of another kind."""
    parts = header.split()
    if not parts or parts[0].lower() not in SCHEMES:
        return None
    if len(parts) != 2 or len(parts[1]) > 200:
        return ""
    return parts[1]


def authenticate(key: str) -> tuple[ApiToken | None, str]:
    """The live token whose key this is, with its user, or None and why: "unknown", "revoked", "expired" or
    "inactive" (the account is disabled). A live token's `last_used_at` is stamped at most once a minute."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first() if key else None
    if token is None:
        return None, "unknown"
    now = timezone.now()
    state = token.state(now)
    if state != "active":
        return None, state
    if not token.user.is_active:
        return None, "inactive"
    if token.last_used_at is None or now - token.last_used_at >= USE_STAMP_EVERY:
        # Bookkeeping, not a change of the token: the field is left out of its history (like a user's last_login).
        token.last_used_at = now
        token.save_without_historical_record(update_fields=["last_used_at"])
    return token, ""
