from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstablishmentsConfig(AppConfig):
    name = "khuyencong.establishments"
    label = "establishments"
    verbose_name = _("Establishments")
