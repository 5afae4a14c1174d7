from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

#: Caches that live inside one process: not shared by the gunicorn processes of production.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _create_cache_tables(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """`migrate` also creates the table of a database cache (production's default shared cache)."""
    from django.conf import settings
    from django.core.management import call_command

    if any(
        "backends.db" in c["BACKEND"] or c["BACKEND"].endswith("cache.DatabaseCache") for c in settings.CACHES.values()
    ):
        call_command("createcachetable", database=using, verbosity=0)


def _refuse_overlong_text(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Before any of our records is saved (see `core.validation.check_text_lengths`)."""
    if raw or not sender.__module__.startswith("khuyencong.") or sender.__name__.startswith("Historical"):
        return
    from .validation import check_text_lengths

    check_text_lengths(instance)


def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """With several processes, a per-process cache splits the public pages' rate limit (60 × processes a minute)."""
    from django.conf import settings

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            checks.Error(
                f"The default cache ({backend}) is not shared between processes.",
                hint="Set CACHE_URL to Redis (rediscache://…) or leave it unset in production for the database "
                "cache table (docs/deploy.md).",
                id="khuyencong.E001",
            )
        ]
    return []


class CoreConfig(AppConfig):
    name = "khuyencong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        post_migrate.connect(_create_cache_tables, sender=self)
        pre_save.connect(_refuse_overlong_text, dispatch_uid="khuyencong.refuse_overlong_text")
        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
