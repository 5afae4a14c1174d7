"""Add the demo projects (idempotent: nothing happens once any project exists)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from khuyencong.projects.demo import load_demo_projects


class Command(BaseCommand):
    help = "Create a few demo projects in Lâm Đồng (only when there are none)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        created = load_demo_projects()
        if created:
            self.stdout.write(f"Đã tạo {created} đề án minh họa.")
