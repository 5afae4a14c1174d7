"""Production settings: everything secret or site-specific comes from the environment (see docs/deploy.md)."""

from .base import *  # noqa: F403
from .base import env, mailers

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

MAILERS = mailers("smtp://localhost:25")  # the machine's mail server unless EMAIL_URL says otherwise

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# A cache shared by every process (the public pages' rate limit and page cache): Redis through CACHE_URL, else the
# database's cache table (created by `migrate`). A per-process memory cache is refused by `check --deploy`.
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        default="dbcache://kc_cache",
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["default"]["BACKEND"] = "khuyencong.core.cache.DatabaseCache"  # with an atomic incr
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 200_000)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
