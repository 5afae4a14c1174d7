from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from .search import ensure_triggers

    ensure_triggers(using)


class EstablishmentsConfig(AppConfig):
    name = "khuyencong.establishments"
    label = "establishments"
    verbose_name = _("Establishments")

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_triggers, sender=self, dispatch_uid="establishments_search_triggers")
