from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def update_last_login_without_history(sender: Any, user: Any, **kwargs: Any) -> None:
    """Django's update_last_login, without a history row: `last_login` is not tracked, so every login would
    otherwise add an empty "changed" row to the user's history."""
    from django.utils import timezone

    user.last_login = timezone.now()
    user.save_without_historical_record(update_fields=["last_login"])


class AccountsConfig(AppConfig):
    name = "khuyencong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login_without_history, dispatch_uid="update_last_login")
