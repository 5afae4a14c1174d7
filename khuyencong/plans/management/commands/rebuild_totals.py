"""Recompute every running total from the records: the money totals of the plans and the project figures (after a
bulk load or a repair made outside the services)."""

from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.plans.services import totals_rebuild
from khuyencong.projects.figures import figures_rebuild


class Command(BaseCommand):
    help = "Recompute the running money totals and project figures from the records."

    def handle(self, *args: Any, **options: Any) -> None:
        money = totals_rebuild()
        figures = figures_rebuild()
        self.stdout.write(f"money totals: {money} monthly rows; project figures: {figures} status rows")
