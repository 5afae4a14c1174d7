"""Settings for the test suite: fast hashing, in-memory cache, tasks run immediately."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client builds the middleware for every Client: WhiteNoise would index the 60,000 files of node_modules
# each time (1–2 s). The live server of the browser tests serves static files itself (StaticFilesHandler).
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LANGUAGE_CODE = "vi"

# SQLite tests use a database file (one per xdist worker, under var/), not Django's shared-cache memory database:
# there, a second connection gets "database table is locked" at once instead of waiting, so tests of concurrent
# writers (threads, each with its own connection) could not run as they do in production, WAL and busy timeout on.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405

# Browser tests end with a flush; keep the reference data loaded by migrations (see core's flush command): units,
# policy tables and the seeded report forms.
KC_FLUSH_KEEP_TABLE_PREFIXES = ["geography_", "policy_", "collaborators_reportform", "collaborators_formversion"]
