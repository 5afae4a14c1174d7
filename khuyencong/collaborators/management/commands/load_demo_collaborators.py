"""Appoint the demo collaborator (idempotent: nothing happens once any collaborator exists)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from khuyencong.collaborators.demo import load_demo_collaborators


class Command(BaseCommand):
    help = "Appoint the demo collaborator ctv.lamdong with last quarter's report (only when there is none)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        if load_demo_collaborators():
            self.stdout.write("Đã công nhận cộng tác viên minh họa ctv.lamdong.")
