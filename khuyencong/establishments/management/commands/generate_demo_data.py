"""Generate demo establishments: `--scale province` (about 3,000, for `make run`) or `--scale national` (1,000,000)."""

import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.core.formatting import format_number
from khuyencong.establishments.demo import generate
from khuyencong.establishments.models import Establishment


class Command(BaseCommand):
    help = "Generate realistic demo establishments (province or national scale), idempotent per scale."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=["province", "national"], default="province")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--count", type=int, default=None)
        parser.add_argument("--force", action="store_true", help="Add rows even if establishments exist.")

    def handle(self, *args: Any, **options: Any) -> None:
        if Establishment.objects.exists() and not options["force"]:
            self.stdout.write("Đã có dữ liệu cơ sở; bỏ qua (dùng --force để thêm).")
            return
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done:>9,} / {total:,}".replace(",", "."), ending="\r")
            self.stdout.flush()

        written = generate(scale=options["scale"], seed=options["seed"], count=options["count"], progress=progress)
        self.stdout.write("")
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{format_number(written['establishments'])} cơ sở, {format_number(written['years'])} số liệu năm "
            f"trong {format_number(Decimal(str(round(seconds, 1))), 1)} giây"
        )
