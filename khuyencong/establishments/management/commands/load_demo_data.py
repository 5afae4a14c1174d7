"""Prepare the demo database: apply pending migrations (which load the administrative units), create the demo
organisations, one account per role and about 3,000 establishments (idempotent), then print the logins. A second
run changes nothing and takes about a second."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from khuyencong.accounts.demo import load_demo_data
from khuyencong.accounts.models import User
from khuyencong.core.scoping import user_scope
from khuyencong.establishments.models import Establishment


def link_demo_representative() -> None:
    """The demo establishment representative sees one establishment of Xã Đức Trọng (idempotent)."""
    from khuyencong.establishments.services import representative_link

    account = User.objects.filter(username="coso.lamdong").first()
    officer = User.objects.filter(username="lamdong.canbo").first()
    if account is None or officer is None or account.represented.exists():
        return
    establishment = (
        Establishment.objects.filter(commune__full_name="Xã Đức Trọng", province__code="68")
        .order_by("name_folded", "pk")
        .first()
    )
    if establishment is not None:
        representative_link(user=officer, establishment_id=establishment.pk, username=account.username)
    account._kc_scope = None


class Command(BaseCommand):
    help = "Migrate if needed, load the demo organisations and accounts, and print the logins."
    requires_system_checks: list[str] = []  # `runserver` runs the checks right after

    def handle(self, *args: Any, **options: Any) -> None:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Đang chuẩn bị cơ sở dữ liệu (lần đầu mất khoảng một phút)…")
            call_command("migrate", interactive=False, verbosity=0)
        translation.activate("vi")
        logins = load_demo_data()
        if not Establishment.objects.exists():
            call_command("generate_demo_data", scale="province", stdout=self.stdout)
        link_demo_representative()
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {logins[0]['password']})")
        for login in logins:
            user = User.objects.select_related("scope_province").get(username=login["username"])
            line = f"  {login['username']:<18} {login['role']:<28} phạm vi: {user_scope(user).label}"
            if login["two_factor"]:
                line += f"  [2FA: make otp USER={login['username']}]"
            self.stdout.write(line)
        self.stdout.write("")
