"""Remove an account's two-factor devices and backup codes from the server's command line, with a reason.

For when no verified system administrator can do it in /admin/ (the only administrator lost their phone). The reset
is recorded as a `TwoFactorEvent` without an actor.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khuyencong.accounts.services import two_factor_reset_by_operator
from khuyencong.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Reset an account's two-factor authentication (its next login sets up a new app). A reason is required."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why the reset is made (kept in the history)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            event = two_factor_reset_by_operator(username=options["username"], reason=options["reason"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            f"{event.user.username}: {event.get_kind_display()} ({timezone.localtime(event.at):%d/%m/%Y %H:%M})"
        )
