"""A small per-client rate limit for the pages open to everyone (the transparency pages and open data)."""

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def client_address(request: HttpRequest) -> str:
    # Behind the reverse proxy of docs/deploy.md the proxy sets REMOTE_ADDR to the client (proxy_protocol/realip).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(*, per_minute: int | None = None) -> Callable:
    """Refuse (429, a Vietnamese message, Retry-After) a client's requests beyond `per_minute` in a minute (by
    default `settings.KC_PUBLIC_RATE_PER_MINUTE`). The count lives in the default cache, which production shares
    between its processes (see `core.cache`)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            window = int(time.time() // 60)
            key = f"rl:{view.__module__}.{view.__name__}:{client_address(request)}:{window}"
            limit = per_minute if per_minute is not None else settings.KC_PUBLIC_RATE_PER_MINUTE
            count = cache.get_or_set(key, 0, timeout=70)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.set(key, 1, timeout=70)
                count = 1
            if count > limit:
                response = HttpResponse(
                    _("Too many requests from your address; please wait a minute and try again."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
