"""Load or refresh the administrative units from the committed fixture (safe to run again: changes nothing)."""

from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.geography.loader import load_admin_units


class Command(BaseCommand):
    help = "Load the administrative-unit fixture; running it twice changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_admin_units()
        self.stdout.write(", ".join(f"{key}={value}" for key, value in counts.items()))
