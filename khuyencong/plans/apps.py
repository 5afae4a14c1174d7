from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "khuyencong.plans"
    verbose_name = _("Programmes, plans and money")

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the settle step's money: workflow.AFTER_HOOKS)
