from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "khuyencong.projects"
    verbose_name = _("Khuyến công projects")

    def ready(self) -> None:
        from khuyencong.establishments import support

        from . import (
            rules,  # noqa: F401  (registers the permission predicates)
            services,  # noqa: F401  (registers the step checks: workflow.BEFORE_HOOKS / AFTER_HOOKS)
        )
        from .selectors import support_received

        support.register(support_received)  # an establishment's "Hỗ trợ đã nhận" tab
