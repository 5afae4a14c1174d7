from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaboratorsConfig(AppConfig):
    name = "khuyencong.collaborators"
    verbose_name = _("Collaborators and periodic reports")
