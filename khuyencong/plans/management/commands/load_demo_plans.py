"""Add the demo year's plans, money and a finished project (idempotent: nothing happens once any plan exists)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from khuyencong.plans.demo import load_demo_plans


class Command(BaseCommand):
    help = "Create this year's demo plans (national and Lâm Đồng's), money events and a settled project."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        created = load_demo_plans()
        if created:
            self.stdout.write(f"Đã tạo {created} kế hoạch minh họa, các khoản chi và một đề án đã quyết toán.")
