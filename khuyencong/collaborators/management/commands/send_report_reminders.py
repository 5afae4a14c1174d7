"""Remind collaborators of their overdue reports, in the app and by e-mail (run daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khuyencong.collaborators.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the reminders of overdue collaborator reports (run it once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=7, help="Remind again every this many days (7).")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(every_days=max(1, options["every"]))
        self.stdout.write(f"reminders: {sent.reminders}; e-mails: {sent.emails}")
