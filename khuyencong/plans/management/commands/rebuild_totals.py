"""Recompute every running total from the records: the money totals of the plans, the project figures and the
collaborators' reports received (after a bulk load or a repair made outside the services)."""

from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.collaborators.services import reporting_totals_rebuild
from khuyencong.plans.services import totals_rebuild
from khuyencong.projects.figures import figures_rebuild


class Command(BaseCommand):
    help = "Recompute the running money totals, project figures and reports received from the records."

    def handle(self, *args: Any, **options: Any) -> None:
        money = totals_rebuild()
        figures = figures_rebuild()
        reports = reporting_totals_rebuild()
        self.stdout.write(
            f"money totals: {money} monthly rows; project figures: {figures} status rows; "
            f"reports received: {reports} rows"
        )
